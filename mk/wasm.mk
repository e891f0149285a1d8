# mk/wasm.mk -- inro itself compiled to WebAssembly: build/inro.wasm, a WASI
# preview 1 command built from the same sources as build/inro, which runs on
# any WASI host (docs/self-hosting.md).  Like the guests it does not depend
# on BUILD: there is one inro.wasm, in build/.
#
#   make wasm    build build/inro.wasm
#   make wasm-portable
#                build/inro-portable.wasm: the same without the
#                self-hosting profile (below), in its own build/wasm-portable
#
# Choices, measured (numbers in docs/self-hosting.md):
# * -O2: -Os is 8% smaller and up to 3% slower; both are far below 1 MiB.
# * WASM_CPU: clang-19's default also turns on reference-types, which
#   changes nothing in C code except that call_indirect gets a padded table
#   index, and that older hosts (wasm3, WAMR without reference types)
#   reject.  So: the MVP plus the four features every maintained host has;
#   bulk memory makes memcpy/memset single instructions.  For a host
#   without them: make wasm WASM_CPU=-mcpu=mvp.
# * The shadow stack (C locals whose address is taken) peaks at about 4 KiB
#   over the whole spec suite and every guest; WASM_STACK leaves a wide
#   margin.  --stack-first puts it below the static data, so an overflow
#   traps (address below 0) instead of silently overwriting data.
# * WASM_PROFILE=selfhost (the default): numeric operators whose checks
#   the host's own instruction makes (min/max, rounding, saturating
#   conversions, clz/ctz, shifts) are that instruction, not inro's C
#   (exec/numeric.h); =portable keeps the C.  tests/numeric_test.c, built
#   with the same flags as build/wasm/numeric_test.wasm, compares the two.
#   In the same way the guest's v128 instructions are the host's own
#   (exec/simd.c, compiled with -msimd128: that file alone, so only the
#   lane functions use the host's SIMD), checked by tests/simd_test.c
#   (build/wasm/simd_test.wasm).  So the self-hosting inro.wasm needs a
#   host with SIMD; the portable profile uses none (checked after
#   linking) and runs on hosts without it, such as wasm3.
# * -s drops debug info and names.
# * Linked without any -O option (WASM_TARGET, not WASM_CFLAGS): clang
#   runs binaryen's wasm-opt after a link that has one if wasm-opt is on
#   PATH, so inro.wasm would depend on whether binaryen is installed
#   (mk/guests.mk says more).
# * Only wasi_snapshot_preview1 may be imported: checked after linking.
# * No function nests blocks deeper than 240: wasm3 refuses more than 249
#   by default (exec/interp.c splits its switch for this).
WASM_CC      ?= clang-19
WASM_OPT     ?= -O2
WASM_CPU     ?= -mcpu=mvp -mmutable-globals -msign-ext -mnontrapping-fptoint -mbulk-memory
WASM_STACK   ?= 1048576
WASM_PROFILE ?= selfhost
WASM_PROFILE_selfhost :=
WASM_PROFILE_portable := -DINRO_PORTABLE_NUMERIC
WASM_SIMD_selfhost := -msimd128
WASM_SIMD_portable :=
ifeq ($(filter $(WASM_PROFILE),selfhost portable),)
$(error WASM_PROFILE must be selfhost or portable, not '$(WASM_PROFILE)')
endif
WASM_TARGET  ?= --target=wasm32-wasi --sysroot=/usr
WASM_CFLAGS  ?= $(WASM_TARGET) $(WASM_OPT) $(WASM_CPU) $(WASM_PROFILE_$(WASM_PROFILE))
WASM_LDFLAGS ?= -s -Wl,-z,stack-size=$(WASM_STACK) -Wl,--stack-first
# Where the objects and the binary go (wasm-portable sets other ones).
WASM_DIR     ?= build/wasm
WASM_OUT     ?= build/inro.wasm
WASM_OBJS    := $(patsubst src/%.c,$(WASM_DIR)/obj/%.o,$(SRCS))

# The flags in a file that changes only when they do, so that
# `make wasm WASM_CPU=...` rebuilds everything.
WASM_FLAGS_FILE := $(WASM_DIR)/flags
WASM_FLAGS_TEXT := $(WASM_CC) $(WASM_CFLAGS) $(WASM_LDFLAGS) $(WASM_SIMD_$(WASM_PROFILE))

wasm: $(WASM_OUT)

wasm-portable:
	@$(MAKE) --no-print-directory WASM_PROFILE=portable WASM_DIR=build/wasm-portable \
	  WASM_OUT=build/inro-portable.wasm wasm

$(WASM_FLAGS_FILE): wasm-flags-check
	@mkdir -p $(dir $@)
	@echo '$(WASM_FLAGS_TEXT)' | cmp -s - $@ || echo '$(WASM_FLAGS_TEXT)' >$@

# Linked without -O: clang given -O at link time runs binaryen's wasm-opt
# when one is on PATH, and inro.wasm must not depend on that.
$(WASM_OUT): $(WASM_OBJS) $(WASM_FLAGS_FILE)
	$(WASM_CC) $(WASM_TARGET) $(WASM_LDFLAGS) -o $@.tmp $(WASM_OBJS) -lm
	@if command -v wasm-objdump >/dev/null && \
	    wasm-objdump -j Import -x $@.tmp | grep -E '^ - ' | \
	    grep -v '<- wasi_snapshot_preview1\.'; then \
	  echo "$@: imports something other than wasi_snapshot_preview1" >&2; \
	  rm -f $@.tmp; exit 1; \
	fi
	@if [ "$(WASM_PROFILE)" = portable ] && command -v wasm-validate >/dev/null && \
	    ! wasm-validate --disable-simd $@.tmp; then \
	  echo "$@: the portable profile uses SIMD instructions" >&2; \
	  rm -f $@.tmp; exit 1; \
	fi
	@if command -v wasm2wat >/dev/null; then \
	  depth=$$(wasm2wat --enable-tail-call --no-check $@.tmp | awk '$$1 == "(func" { d = 0 } \
	    $$1 == "block" || $$1 == "loop" || $$1 == "if" { if (++d > m) m = d } \
	    $$1 == "end" { d-- } END { print m }'); \
	  if [ "$$depth" -gt 240 ]; then \
	    echo "$@: blocks nest $$depth deep; wasm3 allows 249 (interp.c: COLD_GROUPS)" >&2; \
	    rm -f $@.tmp; exit 1; \
	  fi; \
	fi
	mv $@.tmp $@

$(WASM_DIR)/numeric_test.o: tests/numeric_test.c $(WASM_FLAGS_FILE)
	@mkdir -p $(dir $@)
	$(WASM_CC) $(WARN) $(CPPFLAGS) $(FPFLAGS) $(WASM_CFLAGS) -MMD -MP -c -o $@ $<

$(WASM_DIR)/numeric_test.wasm: $(WASM_DIR)/numeric_test.o
	$(WASM_CC) $(WASM_TARGET) -o $@ $< -lm

# The lane functions of the profile (exec/simd.c, its objects' flags)
# against the portable C, as a WASI command.
$(WASM_DIR)/simd_test.o: tests/simd_test.c $(WASM_FLAGS_FILE)
	@mkdir -p $(dir $@)
	$(WASM_CC) $(WARN) $(CPPFLAGS) $(FPFLAGS) $(WASM_CFLAGS) $(WASM_SIMD_$(WASM_PROFILE)) -MMD -MP \
	  -c -o $@ $<

$(WASM_DIR)/simd_test.wasm: $(WASM_DIR)/simd_test.o $(WASM_DIR)/obj/exec/simd.o
	$(WASM_CC) $(WASM_TARGET) -o $@ $(filter %.o,$^) -lm

$(WASM_DIR)/obj/exec/simd.o: WASM_CFLAGS += $(WASM_SIMD_$(WASM_PROFILE))

$(WASM_DIR)/obj/%.o: src/%.c $(WASM_FLAGS_FILE)
	@mkdir -p $(dir $@)
	$(WASM_CC) $(WARN) $(CPPFLAGS) $(FPFLAGS) $(WASM_CFLAGS) -MMD -MP -c -o $@ $<

-include $(WASM_OBJS:.o=.d) $(WASM_DIR)/numeric_test.d $(WASM_DIR)/simd_test.d

.PHONY: wasm wasm-portable wasm-flags-check

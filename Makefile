# inro -- build rules.  `make` builds build/inro; `make test` runs every
# test, `make check` the quick ones; `make lib` builds build/libinro.a and
# `make install PREFIX=...` installs it with inro.h, inro.pc and inro.
CC      ?= cc
OPT     ?= -O2
CFLAGS  ?= $(OPT) -g
# Warnings are errors in CI (CI=true), `make test` and `make check`, not in
# a plain `make`: a newer compiler's new warning must not stop a user's
# build.  WERROR=-Werror (or WERROR=) decides explicitly.
ifneq ($(filter test test-asan check asan,$(MAKECMDGOALS))$(filter true,$(CI)),)
WERROR  ?= -Werror
endif
WERROR  ?=
export WERROR
WARN    := -std=c11 -Wall -Wextra $(WERROR) -pedantic -Wno-overlength-strings \
           -Wshadow -Wmissing-prototypes -Wcast-qual
CPPFLAGS := -Iinclude -Isrc -D_POSIX_C_SOURCE=200809L
FPFLAGS := -ffp-contract=off -fno-fast-math
# Only what inro.h declares (INRO_API) is visible outside the library.
VISFLAGS := -fvisibility=hidden
BUILD   ?= build
LDLIBS  := -lm

SRCS := $(sort $(wildcard src/*/*.c))
OBJS := $(patsubst src/%.c,$(BUILD)/obj/%.o,$(SRCS))
DEPS := $(OBJS:.o=.d)
# The runtime without the command line, for test programs with their own main.
LIBOBJS := $(filter-out $(BUILD)/obj/cli/%,$(OBJS))
TESTBINS := $(patsubst tests/%.c,$(BUILD)/tests/%,$(wildcard tests/*.c))

all: $(BUILD)/inro

$(BUILD)/inro: $(OBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(OBJS) $(LDLIBS)

$(BUILD)/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CPPFLAGS) $(FPFLAGS) $(VISFLAGS) $(CFLAGS) $(FILEFLAGS) -MMD -MP -c -o $@ $<

# The interpreter's handlers (labels reached by computed goto) start on
# 32-byte boundaries where the compiler offers it (gcc; clang has no such
# option), in a function that starts a 64-byte line (exec/interp.c): a
# short handler then never straddles a 32-byte fetch block, and no
# handler moves when the code linked before the function grows (with
# 16-byte labels and the function wherever the linker put it, that alone
# moved blur by 1.2x and leibniz by 1.1x; gcc 12, x86-64, paired runs).
INTERP_ALIGN := $(shell $(CC) -falign-labels=32 -Werror -x c -c -o /dev/null /dev/null 2>/dev/null && echo -falign-labels=32)
$(BUILD)/obj/exec/interp.o: FILEFLAGS := $(INTERP_ALIGN)

# ---------------------------------------------------------------- library

lib: $(BUILD)/libinro.a

# The archive holds one object: the runtime's objects linked together
# (-r), then every hidden symbol renamed with the internal prefix inro__
# and made local, so that the only global names an embedder's program
# meets are inro.h's inro_*, and no name of inro's own is among those its
# debugger and profiler show (docs/embedding.md, "Building against the
# library"; tools/check-exports.sh checks it).
OBJCOPY ?= objcopy
READELF ?= readelf
$(BUILD)/libinro.a: $(LIBOBJS)
	@rm -f $@ $(BUILD)/libinro.o
	$(CC) -r -nostdlib -o $(BUILD)/libinro.o $(LIBOBJS)
	$(READELF) -sW $(BUILD)/libinro.o | awk '($$5 == "GLOBAL" || $$5 == "WEAK") && \
	  $$6 == "HIDDEN" && $$7 != "UND" { print $$8, "inro__" $$8 }' | sort -u >$(BUILD)/libinro.names
	$(OBJCOPY) --redefine-syms=$(BUILD)/libinro.names --localize-hidden $(BUILD)/libinro.o
	$(AR) rcs $@ $(BUILD)/libinro.o

PREFIX  ?= /usr/local
DESTDIR ?=
VERSION := $(shell sed -n 's/^\#define INRO_VERSION "\(.*\)"/\1/p' include/inro.h)

install: $(BUILD)/libinro.a $(BUILD)/inro mk/inro.pc.in
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/include
	install -m 755 $(BUILD)/inro $(DESTDIR)$(PREFIX)/bin/inro
	install -m 644 $(BUILD)/libinro.a $(DESTDIR)$(PREFIX)/lib/libinro.a
	install -m 644 include/inro.h $(DESTDIR)$(PREFIX)/include/inro.h
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' mk/inro.pc.in \
	  >$(DESTDIR)$(PREFIX)/lib/pkgconfig/inro.pc

# examples/embed.c as an embedder builds it: against a copy of the library
# installed under $(BUILD)/embed/prefix, with the flags pkg-config gives.
# tests/embed/collide.c too: a program with names of its own that inro
# uses internally (tests/embed.sh runs both).
EMBED_PREFIX  = $(abspath $(BUILD))/embed/prefix
EMBED_INSTALL = $(BUILD)/embed/prefix/lib/pkgconfig/inro.pc
EMBED_PC      = PKG_CONFIG_PATH=$(EMBED_PREFIX)/lib/pkgconfig pkg-config
EMBED_CC      = $(CC) $(WARN) $(CFLAGS) $(LDFLAGS) $$($(EMBED_PC) --cflags inro) -o $@ $< \
                $$($(EMBED_PC) --libs inro)
embed-example: $(BUILD)/embed/embed $(BUILD)/embed/collide

$(EMBED_INSTALL): $(BUILD)/libinro.a $(BUILD)/inro include/inro.h mk/inro.pc.in
	rm -rf $(EMBED_PREFIX)
	$(MAKE) --no-print-directory install PREFIX=$(EMBED_PREFIX)

# The example's watchdog is a thread of its own (inro needs none).
$(BUILD)/embed/embed: examples/embed.c $(EMBED_INSTALL)
	$(EMBED_CC) -pthread

$(BUILD)/embed/collide: tests/embed/collide.c $(EMBED_INSTALL)
	$(EMBED_CC)

$(BUILD)/tests/%: tests/%.c $(LIBOBJS)
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CPPFLAGS) $(FPFLAGS) $(CFLAGS) $(LDFLAGS) -MMD -MP -o $@ $< $(LIBOBJS) $(LDLIBS)

# Test modules written in the text format (wat2wasm from wabt); those of
# tests/wat3 use what WebAssembly 3.0 added that wabt 1.0.32 can write
# (legacy exceptions, tail calls, 64-bit and multiple memories).
WAT3_FLAGS := --enable-exceptions --enable-tail-call --enable-memory64 --enable-multi-memory
WATS := $(patsubst tests/%.wat,$(BUILD)/tests/%.wasm,$(wildcard tests/wat/*.wat tests/ir/*.wat tests/wat3/*.wat))
$(BUILD)/tests/wat3/%.wasm: tests/wat3/%.wat
	@mkdir -p $(dir $@)
	wat2wasm $(WAT3_FLAGS) --debug-names $< -o $@
$(BUILD)/tests/%.wasm: tests/%.wat
	@mkdir -p $(dir $@)
	wat2wasm $< -o $@

# The API test runs stores in several threads.
$(BUILD)/tests/api_test: LDLIBS += -pthread

testbins: $(TESTBINS) $(WATS)

-include $(DEPS) $(TESTBINS:=.d)

include mk/guests.mk
include mk/wasm.mk
include mk/bench.mk
include mk/web.mk

# Sanitizer build of the same sources, in its own tree.
asan:
	$(MAKE) BUILD=build/asan CFLAGS="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" LDFLAGS="-fsanitize=address,undefined" all testbins embed-example

# A build that counts every IR op and pair of ops it runs (exec/irstats.c).
irstats:
	$(MAKE) BUILD=build/irstats CFLAGS="$(OPT) -g -DINRO_IR_STATS" all testbins

test: all testbins irstats wasm build/wasm/numeric_test.wasm build/wasm/simd_test.wasm \
      wasm-portable guests embed-example web
	tests/run-all.sh $(BUILD)

test-asan: asan guests
	tests/run-all.sh build/asan

# The quick subset: native build, spec suite, unit tests, guests.
check: all testbins guests
	tests/run-all.sh --quick $(BUILD)

# Differential fuzzing against V8, longer than make test's run: FUZZ_N
# random modules from seed FUZZ_SEED on, natively and as inro.wasm on node
# (tests/difffuzz.mjs; mismatching modules go to build/fuzz-failures).
FUZZ_N    ?= 1000
FUZZ_SEED ?= 1
fuzz: all wasm
	node tests/difffuzz.mjs --count $(FUZZ_N) --first $(FUZZ_SEED) --native $(BUILD)/inro --wasm

clean:
	rm -rf build

.PHONY: all lib install embed-example asan irstats testbins test test-asan check fuzz clean

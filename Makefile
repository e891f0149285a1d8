# inro -- build rules.  `make` builds build/inro; `make test` runs every test.
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
	$(CC) $(WARN) $(CPPFLAGS) $(FPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/tests/%: tests/%.c $(LIBOBJS)
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CPPFLAGS) $(FPFLAGS) $(CFLAGS) $(LDFLAGS) -MMD -MP -o $@ $< $(LIBOBJS) $(LDLIBS)

# Test modules written in the text format (wat2wasm from wabt).
WATS := $(patsubst tests/wat/%.wat,$(BUILD)/tests/wat/%.wasm,$(wildcard tests/wat/*.wat))
$(BUILD)/tests/wat/%.wasm: tests/wat/%.wat
	@mkdir -p $(dir $@)
	wat2wasm $< -o $@

# The API test runs stores in several threads.
$(BUILD)/tests/api_test: LDLIBS += -pthread

testbins: $(TESTBINS) $(WATS)

-include $(DEPS) $(TESTBINS:=.d)

include mk/guests.mk
include mk/wasm.mk
include mk/bench.mk

# Sanitizer build of the same sources, in its own tree.
asan:
	$(MAKE) BUILD=build/asan CFLAGS="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" LDFLAGS="-fsanitize=address,undefined" all testbins

test: all testbins wasm build/wasm/numeric_test.wasm wasm-portable guests
	tests/run-all.sh $(BUILD)

test-asan: asan
	tests/run-all.sh build/asan

clean:
	rm -rf build

.PHONY: all asan testbins test test-asan clean

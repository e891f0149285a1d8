# inro -- build rules.  `make` builds build/inro; `make test` runs every test.
CC      ?= cc
OPT     ?= -O2
CFLAGS  ?= $(OPT) -g
WARN    := -std=c11 -Wall -Wextra -Werror -pedantic -Wno-overlength-strings
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
WATS := $(patsubst tests/%.wat,$(BUILD)/tests/%.wasm,$(wildcard tests/wat/*.wat tests/ir/*.wat))
$(BUILD)/tests/%.wasm: tests/%.wat
	@mkdir -p $(dir $@)
	wat2wasm $< -o $@

testbins: $(TESTBINS) $(WATS)

-include $(DEPS) $(TESTBINS:=.d)

include mk/guests.mk
include mk/wasm.mk
include mk/bench.mk

# Sanitizer build of the same sources, in its own tree.
asan:
	$(MAKE) BUILD=build/asan CFLAGS="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" LDFLAGS="-fsanitize=address,undefined" all testbins

# A build that counts every IR op and pair of ops it runs (exec/irstats.c).
irstats:
	$(MAKE) BUILD=build/irstats CFLAGS="$(OPT) -g -DINRO_IR_STATS" all testbins

test: all testbins irstats wasm build/wasm/numeric_test.wasm wasm-portable guests
	tests/run-all.sh $(BUILD)

test-asan: asan
	tests/run-all.sh build/asan

clean:
	rm -rf build

.PHONY: all asan irstats testbins test test-asan clean

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

all: $(BUILD)/inro

$(BUILD)/inro: $(OBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(OBJS) $(LDLIBS)

$(BUILD)/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CPPFLAGS) $(FPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

-include $(DEPS)

# Sanitizer build of the same sources, in its own tree.
asan:
	$(MAKE) BUILD=build/asan CFLAGS="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" LDFLAGS="-fsanitize=address,undefined"

test: all
	tests/run-all.sh $(BUILD)

test-asan: asan
	tests/run-all.sh build/asan

clean:
	rm -rf build

.PHONY: all asan test test-asan clean

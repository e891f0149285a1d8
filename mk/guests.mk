# mk/guests.mk -- WebAssembly programs built with clang and wasi-libc: the
# WASI test guests (tests/guests/*.c) and the examples (examples/*.c).
# They do not depend on how inro itself is built, so they always go to
# build/guests and build/examples, whatever BUILD is.
#
#   make guests    build both
#   make example   build inro and the Mandelbrot example, render with inro
#
# Each program is compiled with WASI_CFLAGS, then linked without any -O
# option: for a link command that has one, clang runs binaryen's wasm-opt
# on the result whenever wasm-opt is on PATH, and that strips the name
# section which backtraces and monitor reports read (clang 19.1's
# --no-wasm-opt drops the link step altogether).  So a guest is the same
# with binaryen installed or not (tests/hermetic.sh).  GUEST_DIR puts the
# guests elsewhere.
WASI_CC      ?= clang-19
WASI_TARGET  ?= --target=wasm32-wasi --sysroot=/usr
WASI_CFLAGS  ?= $(WASI_TARGET) -O2 -Wall -Wextra $(WERROR)
WASI_LDFLAGS ?=
GUEST_DIR    ?= build/guests

GUEST_WASM   := $(patsubst tests/guests/%.c,$(GUEST_DIR)/%.wasm,$(wildcard tests/guests/*.c))
# examples/embed.c is not a guest: it is the host that runs primes.c.
EXAMPLE_WASM := $(patsubst examples/%.c,build/examples/%.wasm,$(filter-out examples/embed.c,$(wildcard examples/*.c)))

$(GUEST_DIR)/%.o: tests/guests/%.c
	@mkdir -p $(dir $@)
	$(WASI_CC) $(WASI_CFLAGS) -c -o $@ $<

# The link depends on this file: how a guest is linked is part of what it is.
$(GUEST_DIR)/%.wasm: $(GUEST_DIR)/%.o mk/guests.mk
	$(WASI_CC) $(WASI_TARGET) $(WASI_LDFLAGS) -o $@ $<

build/examples/%.o: examples/%.c
	@mkdir -p $(dir $@)
	$(WASI_CC) $(WASI_CFLAGS) -c -o $@ $<

build/examples/%.wasm: build/examples/%.o mk/guests.mk
	$(WASI_CC) $(WASI_TARGET) $(WASI_LDFLAGS) -o $@ $<

.PRECIOUS: $(GUEST_DIR)/%.o build/examples/%.o

guests: $(GUEST_WASM) $(EXAMPLE_WASM) $(GUEST_DIR)/cxx_eh.wasm

# The demo: a Mandelbrot set rendered by a wasm guest running in inro and
# written through the preopened current directory (so the path handed to
# the guest must be relative to it).
EXAMPLE_SIZE ?= 600
example: $(BUILD)/inro build/examples/mandelbrot.wasm
	$(BUILD)/inro run --dir . build/examples/mandelbrot.wasm $(EXAMPLE_SIZE) build/mandelbrot.pbm

.PHONY: guests example

# A reactor: no main, exports called with `inro run --invoke`.
$(GUEST_DIR)/exports.wasm: WASI_LDFLAGS += -mexec-model=reactor

# A SIMD guest: wasm_simd128.h.
$(GUEST_DIR)/ckpt_simd.wasm: WASI_CFLAGS += -msimd128

# Deep recursion in C needs more than wasm-ld's default 64 KiB C stack.
$(GUEST_DIR)/ckpt_recursion.wasm: WASI_LDFLAGS += -Wl,-z,stack-size=4194304

# An interpreter whose dispatch is musttail: return_call_indirect.
$(GUEST_DIR)/tailcall.o: WASI_CFLAGS += -mtail-call

# A program of a 64-bit memory: wasm64, no libc, exports called with
# `inro run --invoke`.
$(GUEST_DIR)/mem64.o: tests/guests/mem64.c
	@mkdir -p $(dir $@)
	$(WASI_CC) --target=wasm64-unknown-unknown -O2 -Wall -Wextra $(WERROR) -c -o $@ $<

$(GUEST_DIR)/mem64.wasm: $(GUEST_DIR)/mem64.o mk/guests.mk
	$(WASI_CC) --target=wasm64-unknown-unknown -nostdlib -Wl,--no-entry -o $@ $<

# C++ with exceptions (Wasm exception handling, clang-19's legacy form):
# libc++ from Debian's libc++-19-dev-wasm32, and the exception runtime its
# libc++abi leaves out (tests/guests/cxx_eh_runtime.cpp says why).
WASI_CXX      ?= clang++-19
WASI_CXXFLAGS ?= $(WASI_TARGET) -O2 -fwasm-exceptions -Wall -Wextra $(WERROR)
$(GUEST_DIR)/cxx_eh.o: tests/guests/cxx_eh.cpp
	@mkdir -p $(dir $@)
	$(WASI_CXX) $(WASI_CXXFLAGS) -c -o $@ $<

$(GUEST_DIR)/cxx_eh_runtime.o: tests/guests/cxx_eh_runtime.cpp
	@mkdir -p $(dir $@)
	$(WASI_CXX) $(WASI_CXXFLAGS) -c -o $@ $<

$(GUEST_DIR)/cxx_eh.wasm: $(GUEST_DIR)/cxx_eh.o $(GUEST_DIR)/cxx_eh_runtime.o mk/guests.mk
	$(WASI_CXX) $(WASI_TARGET) -fwasm-exceptions -o $@ $(GUEST_DIR)/cxx_eh.o $(GUEST_DIR)/cxx_eh_runtime.o

# mk/guests.mk -- WebAssembly programs built with clang and wasi-libc: the
# WASI test guests (tests/guests/*.c) and the examples (examples/*.c).
# They do not depend on how inro itself is built, so they always go to
# build/guests and build/examples, whatever BUILD is.
#
#   make guests    build both
#   make example   build inro and the Mandelbrot example, render with inro
WASI_CC     ?= clang-19
WASI_CFLAGS ?= --target=wasm32-wasi --sysroot=/usr -O2 -Wall -Wextra $(WERROR)
# Compile and link apart: clang given -O at link time runs binaryen's
# wasm-opt when one is on PATH, which would make the guests depend on
# whether binaryen is installed (and strip their name section).
WASI_LINK   ?= $(filter-out -O%,$(WASI_CFLAGS)) $(WASI_LDFLAGS)
WASI_LDFLAGS ?=

GUEST_WASM   := $(patsubst tests/guests/%.c,build/guests/%.wasm,$(wildcard tests/guests/*.c))
# examples/embed.c is not a guest: it is the host that runs primes.c.
EXAMPLE_WASM := $(patsubst examples/%.c,build/examples/%.wasm,$(filter-out examples/embed.c,$(wildcard examples/*.c)))

build/guests/%.wasm: tests/guests/%.c
	@mkdir -p $(dir $@)
	$(WASI_CC) $(WASI_CFLAGS) -c -o $@.o $<
	$(WASI_CC) $(WASI_LINK) -o $@ $@.o
	@rm -f $@.o

build/examples/%.wasm: examples/%.c
	@mkdir -p $(dir $@)
	$(WASI_CC) $(WASI_CFLAGS) -c -o $@.o $<
	$(WASI_CC) $(WASI_LINK) -o $@ $@.o
	@rm -f $@.o

guests: $(GUEST_WASM) $(EXAMPLE_WASM) build/guests/cxx_eh.wasm

# The demo: a Mandelbrot set rendered by a wasm guest running in inro and
# written through the preopened current directory (so the path handed to
# the guest must be relative to it).
EXAMPLE_SIZE ?= 600
example: $(BUILD)/inro build/examples/mandelbrot.wasm
	$(BUILD)/inro run --dir . build/examples/mandelbrot.wasm $(EXAMPLE_SIZE) build/mandelbrot.pbm

.PHONY: guests example

# A reactor: no main, exports called with `inro run --invoke`.
build/guests/exports.wasm: WASI_LDFLAGS += -mexec-model=reactor

# Deep recursion in C needs more than wasm-ld's default 64 KiB C stack.
build/guests/ckpt_recursion.wasm: WASI_LDFLAGS += -Wl,-z,stack-size=4194304

# An interpreter whose dispatch is musttail: return_call_indirect.
build/guests/tailcall.wasm: WASI_CFLAGS += -mtail-call

# A program of a 64-bit memory: wasm64, no libc, exports called with
# `inro run --invoke`.
build/guests/mem64.wasm: tests/guests/mem64.c
	@mkdir -p $(dir $@)
	$(WASI_CC) --target=wasm64-unknown-unknown -O2 -Wall -Wextra $(WERROR) -c -o $@.o $<
	$(WASI_CC) --target=wasm64-unknown-unknown -nostdlib -Wl,--no-entry -o $@ $@.o
	@rm -f $@.o

# C++ with exceptions (Wasm exception handling, clang-19's legacy form):
# libc++ from Debian's libc++-19-dev-wasm32, and the exception runtime its
# libc++abi leaves out (tests/guests/cxx_eh_runtime.cpp says why).
WASI_CXX      ?= clang++-19
WASI_CXXFLAGS ?= --target=wasm32-wasi --sysroot=/usr -O2 -fwasm-exceptions -Wall -Wextra $(WERROR)
build/guests/cxx_eh.wasm: tests/guests/cxx_eh.cpp tests/guests/cxx_eh_runtime.cpp
	@mkdir -p $(dir $@)
	$(WASI_CXX) $(WASI_CXXFLAGS) -c -o $@.main.o tests/guests/cxx_eh.cpp
	$(WASI_CXX) $(WASI_CXXFLAGS) -c -o $@.rt.o tests/guests/cxx_eh_runtime.cpp
	$(WASI_CXX) $(filter-out -O%,$(WASI_CXXFLAGS)) -o $@ $@.main.o $@.rt.o
	@rm -f $@.main.o $@.rt.o

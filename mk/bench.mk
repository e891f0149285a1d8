# mk/bench.mk -- the benchmark programs of bench/*.c, each built natively
# (build/bench/NAME) and for wasm32-wasi (build/bench/NAME.wasm), and the
# measurement (docs/performance.md).  Like the guests they do not depend on
# BUILD: there is one build/bench.
#
#   make bench-progs   build the programs only
#   make bench         build them, inro, and run bench/run (BENCH_ARGS=...)
BENCH_CC      ?= gcc
BENCH_CFLAGS  ?= -O2 -ffp-contract=off -Wall -Wextra $(WERROR)
BENCH_WASI_CC ?= clang-19
BENCH_WASI_TARGET ?= --target=wasm32-wasi --sysroot=/usr
BENCH_WASI_CFLAGS ?= $(BENCH_WASI_TARGET) -O2 -ffp-contract=off -Wall -Wextra $(WERROR)

BENCH_SRCS   := $(wildcard bench/*.c)
BENCH_NATIVE := $(patsubst bench/%.c,build/bench/%,$(BENCH_SRCS))
BENCH_WASM   := $(patsubst bench/%.c,build/bench/%.wasm,$(BENCH_SRCS))

build/bench/%: bench/%.c
	@mkdir -p $(dir $@)
	$(BENCH_CC) $(BENCH_CFLAGS) -o $@ $< -lm

# Compiled, then linked without -O, so that binaryen's wasm-opt on PATH
# does not change them (mk/guests.mk).
build/bench/%.wasm.o: bench/%.c
	@mkdir -p $(dir $@)
	$(BENCH_WASI_CC) $(BENCH_WASI_CFLAGS) -c -o $@ $<

build/bench/%.wasm: build/bench/%.wasm.o
	$(BENCH_WASI_CC) $(BENCH_WASI_TARGET) -o $@ $<

.PRECIOUS: build/bench/%.wasm.o

# The SIMD benchmark: bench/blur.c again with -msimd128 (its
# wasm_simd128.h path), beside the scalar build/bench/blur.wasm.
BENCH_WASM += build/bench/blur_simd.wasm
build/bench/blur_simd.wasm.o: bench/blur.c
	@mkdir -p $(dir $@)
	$(BENCH_WASI_CC) $(BENCH_WASI_CFLAGS) -msimd128 -c -o $@ $<

bench-progs: $(BENCH_NATIVE) $(BENCH_WASM)

# The inro.wasm columns measure this source too: both Wasm builds first
# (a stale build/inro-portable.wasm ran under wasm3 and WAMR otherwise).
bench: bench-progs $(BUILD)/inro wasm wasm-portable
	INRO=$(BUILD)/inro bench/run $(BENCH_ARGS)

.PHONY: bench-progs bench

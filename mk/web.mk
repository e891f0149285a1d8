# mk/web.mk -- inro in the browser: the page of web/ with the self-hosted
# build/inro.wasm and the Mandelbrot example, in build/web.
#
#   make web         build build/web (serve it with tools/web-serve.mjs)
#
# The JavaScript is bundled by esbuild from the npm packages that
# package-lock.json pins (`npm ci` installs them; .ci/deps does).  The
# page loads nothing from elsewhere.
WEB_SRC   := $(wildcard web/src/*.mjs)
WEB_FILES := build/web/index.html build/web/style.css build/web/main.js \
             build/web/worker.js build/web/inro.wasm build/web/mandelbrot.wasm
ESBUILD   := node_modules/.bin/esbuild
ESBUILD_FLAGS := --bundle --target=es2022 --log-level=warning

web: $(WEB_FILES)

$(ESBUILD):
	@echo "make web: the npm packages are missing: run npm ci (or .ci/deps)" >&2; exit 1

# Also writes build/web/main.css: d3-flame-graph imports its style sheet.
build/web/main.js: $(WEB_SRC) $(ESBUILD) package-lock.json
	@mkdir -p $(dir $@)
	$(ESBUILD) $(ESBUILD_FLAGS) --format=esm web/src/main.mjs --outfile=$@

# A classic worker (an IIFE): every browser starts one.
build/web/worker.js: $(WEB_SRC) $(ESBUILD) package-lock.json
	@mkdir -p $(dir $@)
	$(ESBUILD) $(ESBUILD_FLAGS) --format=iife web/src/worker.mjs --outfile=$@

build/web/%: web/%
	@mkdir -p $(dir $@)
	cp $< $@

build/web/inro.wasm: build/inro.wasm
	@mkdir -p $(dir $@)
	cp $< $@

build/web/mandelbrot.wasm: build/examples/mandelbrot.wasm
	@mkdir -p $(dir $@)
	cp $< $@

.PHONY: web

#!/usr/bin/env bash
# inro-self.sh -- run build/inro.wasm hosted by inro itself ("self-on-self"):
#
#   tools/inro-self.sh ARGS...      behaves like      build/inro ARGS...
#
# (same stdout, stderr and exit status), which tests/run-all.sh checks with
# the WASI guests (tests/guests.sh).  The outer inro hands inro.wasm what a
# native inro has: the whole file system (--dir=/), every exported
# environment variable (so `inro run --env NAME` inherits as natively), and
# $PWD, which inro.wasm takes as its working directory
# (src/platform/cwd.c), so relative paths mean the same.  The guest that
# inro.wasm runs sees only its own --dir directories, as always.
#
#   INRO_HOST=PATH   the outer runtime: a native inro (default build/inro),
#                    or `node` for inro.wasm hosting inro.wasm on node
#                    (tools/inro-node.mjs)
#   INRO_WASM=PATH   the inro.wasm to run (default build/inro.wasm)
set -eu
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
host=${INRO_HOST:-$root/build/inro}
wasm=${INRO_WASM:-$root/build/inro.wasm}

# The physical directory: wasi-libc and the WASI hosts treat `..` after a
# symlink textually, the kernel does not.  (So `--env PWD` gets this one.)
PWD=$(pwd -P)
export PWD
envs=()
while IFS= read -r name; do
  envs+=(--env "$name")
done < <(compgen -e)

if [[ $host == node ]]; then
  # inro-node.mjs reads INRO_WASM itself: keep it for the outer inro.wasm.
  exec node "$root/tools/inro-node.mjs" run "${envs[@]}" --dir=/ "$wasm" "$@"
fi
exec "$host" run "${envs[@]}" --dir=/ "$wasm" "$@"

#!/usr/bin/env bash
# check-exports.sh LIBRARY [HEADER] -- the symbols a build of inro shows
# to the program that links it.
#
# LIBRARY is build/libinro.a (every member's symbol table) or a shared
# object (its dynamic symbols).  Lists, one per line:
#   name     every global symbol it defines that is not inro_*: in a static
#            link each can collide with a name of the embedder's program;
#   +name    every visible (default-visibility) symbol that HEADER
#            (default include/inro.h) does not declare with INRO_API.
# Exits 1 if it listed anything, 0 if not, 2 on a usage error.
set -euo pipefail
if [[ $# -lt 1 || $# -gt 2 || ! -f $1 ]]; then
  echo "usage: tools/check-exports.sh LIBRARY [HEADER]" >&2
  exit 2
fi
lib=$1
header=${2:-$(dirname "${BASH_SOURCE[0]}")/../include/inro.h}
command -v readelf >/dev/null || { echo "check-exports: readelf (binutils) is needed" >&2; exit 2; }

# "visibility name" for each defined global or weak symbol.
if [[ $lib == *.a ]]; then
  syms=$(readelf -sW "$lib")
else
  syms=$(readelf --dyn-syms -W "$lib")
fi
defined=$(awk '$5 == "GLOBAL" || $5 == "WEAK" { if ($7 != "UND" && $8 != "") print $6, $8 }' \
  <<<"$syms" | sed 's/@.*//' | sort -u)

# The names inro.h declares with INRO_API.
public=$(grep -o 'INRO_API[^(]*(' "$header" | grep -o '[A-Za-z_][A-Za-z0-9_]*($' |
  tr -d '(' | sort -u)

listed=0
while read -r vis name; do
  [[ -n $name ]] || continue
  if [[ $name != inro_* ]]; then
    echo "$name"
    listed=$((listed + 1))
  elif [[ $vis == DEFAULT ]] && ! grep -qx "$name" <<<"$public"; then
    echo "+$name"
    listed=$((listed + 1))
  fi
done <<<"$defined"
echo "check-exports: $listed listed of $(grep -c . <<<"$defined") global symbols" >&2
((listed == 0))

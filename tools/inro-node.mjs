#!/usr/bin/env node
// inro-node.mjs -- run build/inro.wasm (inro compiled to WASI, `make wasm`)
// on node's own WASI, so that
//
//   node tools/inro-node.mjs ARGS...
//
// behaves like `build/inro ARGS...`: same stdout, stderr and exit status.
// tests/run-all.sh uses it to run the spec suite and the WASI guests with
// inro.wasm; docs/self-hosting.md shows the other WASI hosts.
//
// Paths.  WASI preview 1 has no working directory and sees only preopened
// directories.  inro.wasm takes $PWD as its working directory
// (src/platform/cwd.c), and wasi-libc then turns every relative path into
// an absolute one and serves it from the preopen whose name is its longest
// textual prefix.  So this script preopens, each under its absolute host
// name: the current directory, and for every argument that names a path
// (also the HOST of `--dir HOST::GUEST` and anything after `=`) the
// directory it is in, written as on the command line (wasi-libc does not
// collapse `..`, and node refuses to leave a preopen through `..`), or
// the nearest one that exists, so that a missing file is "No such file or
// directory" as natively.  inro.wasm is as trusted as native inro: this
// only narrows what it sees.  A guest run by inro.wasm sees nothing but its
// own --dir directories, enforced by inro itself.
//
// INRO_WASM=FILE runs another build of inro.wasm.
// INRO_NODE_FLAGS="FLAG ..." replaces the V8 flags below; empty, it runs
// inro.wasm with no flag at all, as a browser does (tests/hosts.sh).
import { readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { FAST_API_WORKAROUND, loadWasi } from './node-setup.mjs';

// No tier-up flag: V8 optimises a Wasm function when it is called again,
// and inro.wasm's interpreter returns to its driver at the end of every
// slice (exec/store.c), so its loop is optimised early in the run.
// (node-setup.mjs also keeps node:wasi's warning off inro's stderr.)
// `restore -` is different: it waits for a stream, often a migration
// whose program is stopped until it resumes here, so there everything is
// compiled up front, and optimised (no baseline tier to start in), while
// the stream is still coming.  Downtime of a 16 MiB migration through a
// pipe, 5 runs each: 7-15 ms so, 29-71 ms compiled up front to the
// baseline tier only, 42-72 ms with no flag (docs/migration.md).
const args = process.argv.slice(2);
const fromStream = args[0] === 'restore' && args.includes('-');
const flags = process.env.INRO_NODE_FLAGS ?? (fromStream
  ? `${FAST_API_WORKAROUND} --no-liftoff --no-wasm-lazy-compilation`
  : FAST_API_WORKAROUND);
const WASI = await loadWasi(flags.split(/\s+/).filter(Boolean));

const wasmFile = process.env.INRO_WASM ||
  new URL('../build/inro.wasm', import.meta.url).pathname;
// The physical working directory, not the shell's $PWD: wasi-libc and
// node resolve `..` after a symlink textually, the kernel does not.  (So
// `inro run --env PWD` passes this one.)
const cwd = process.cwd();

function isDir(p) {
  try { return statSync(p).isDirectory(); } catch { return false; }
}

// The text of an absolute path as wasi-libc makes it from `p` and the
// working directory (it drops one leading "./" and nothing else).
function absText(p) {
  if (p.startsWith('/')) return p;
  if (p === '.' || p === './') return cwd;
  return `${cwd}/${p.startsWith('./') ? p.slice(2) : p}`;
}

// Drop trailing slashes: wasi-libc compares a preopen's name with a path
// component by component.
function trim(p) {
  const t = p.replace(/\/+$/, '');
  return t === '' ? '/' : t;
}

// The directory to preopen for a path named on the command line.
function dirFor(p) {
  let d = trim(absText(p));
  if (!isDir(d)) d = path.posix.dirname(d);
  while (!isDir(d) && d !== '/') d = path.posix.dirname(d);
  return d;
}

// True when `d` is `top` or inside it both textually, without `..`, and
// after resolving symlinks: node then serves it from `top`.  (It refuses
// to leave a preopen through `..` or a symlink.)
function within(d, top) {
  const pre = top === '/' ? '/' : `${top}/`;
  return d === top || d.startsWith(pre);
}
function inside(d, top) {
  if (d === top) return true;
  if (!within(d, top) || d.slice(top.length).split('/').includes('..'))
    return false;
  try { return within(realpathSync(d), realpathSync(top)); } catch { return false; }
}

const wanted = new Set([cwd]);
for (const a of args) {
  const parts = [a];
  const eq = a.indexOf('=');
  if (eq >= 0) parts.push(a.slice(eq + 1));
  for (const p of [...parts]) {
    const sep = p.indexOf('::');
    if (sep >= 0) parts.push(p.slice(0, sep));
  }
  for (const p of parts) if (p !== '') wanted.add(dirFor(p));
}
// Shortest first, so nested directories are left to their parent.
const dirs = [];
for (const d of [...wanted].sort((x, y) => x.length - y.length))
  if (!dirs.some((top) => inside(d, top))) dirs.push(d);
const preopens = Object.fromEntries(dirs.map((d) => [d, d]));

const wasi = new WASI({
  version: 'preview1',
  args: ['inro', ...args],
  env: { ...process.env, PWD: cwd },
  preopens,
  returnOnExit: true,
});

let status;
try {
  const module = new WebAssembly.Module(readFileSync(wasmFile));
  const instance = new WebAssembly.Instance(module, wasi.getImportObject());
  status = wasi.start(instance);
} catch (e) {
  // Not inro's behaviour: inro.wasm itself is missing or broke (a trap or
  // a JS exception inside it), where native inro would crash.
  process.stderr.write(`inro-node: ${wasmFile}: ${e.message}\n`);
  status = e instanceof WebAssembly.RuntimeError ? 134 : 1;
}
process.exit(status);

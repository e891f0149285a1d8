#!/usr/bin/env node
// node-wasi-run.mjs -- run a WASI preview 1 command under node's own WASI
// (node:wasi, uvwasi) with the same command line as `inro run`, so that
// tests/guests.sh can compare the two runtimes output for output.
//
//   node tools/node-wasi-run.mjs [--dir HOST[::GUEST]]...
//        [--env NAME[=VALUE]]... MODULE.wasm [ARGS...]
//
// Exit status: the guest's exit code; 134 after a trap, which is printed as
// `inro: trap: REASON` in the spec's wording (V8's wording is mapped) so the
// two runtimes' stderr can be compared; 2 for a usage error.
import { readFileSync } from 'node:fs';
import { argv, env as hostEnv, exit, stderr } from 'node:process';
import { loadWasi } from './node-setup.mjs';

// V8's trap messages -> the WebAssembly spec's (as inro prints them).
const TRAPS = [
  [/^unreachable/, 'unreachable'],
  [/memory access out of bounds/, 'out of bounds memory access'],
  [/divide by zero/, 'integer divide by zero'],
  [/remainder by zero/, 'integer divide by zero'],
  [/divide result unrepresentable/, 'integer overflow'],
  [/float unrepresentable in integer range/, 'invalid conversion to integer'],
  [/table index is out of bounds/, 'undefined element'],
  [/null function/, 'uninitialized element'],
  [/signature mismatch/, 'indirect call type mismatch'],
  [/Maximum call stack size exceeded/, 'call stack exhausted'],
];

// node:wasi, imported once its ExperimentalWarning is filtered out: stderr
// belongs to the guest here.
const WASI = await loadWasi();

function usage(msg) {
  stderr.write(`node-wasi-run: ${msg}\n`);
  exit(2);
}

const preopens = {};
const env = {};
let i = 2;
for (; i < argv.length; i++) {
  const a = argv[i];
  if (!a.startsWith('--')) break;
  if (a === '--') { i++; break; }
  const eq = a.indexOf('=');
  const name = eq < 0 ? a : a.slice(0, eq);
  const value = eq < 0 ? argv[++i] : a.slice(eq + 1);
  if (value === undefined) usage(`${name} needs a value`);
  if (name === '--dir') {
    const sep = value.indexOf('::');
    const host = sep < 0 ? value : value.slice(0, sep);
    const guest = sep < 0 ? value : value.slice(sep + 2);
    preopens[guest] = host;
  } else if (name === '--env') {
    const e = value.indexOf('=');
    if (e < 0) { if (value in hostEnv) env[value] = hostEnv[value]; }
    else env[value.slice(0, e)] = value.slice(e + 1);
  } else {
    usage(`unknown option ${name}`);
  }
}
if (i >= argv.length) usage('missing MODULE.wasm');

const wasi = new WASI({
  version: 'preview1',
  args: argv.slice(i),
  env,
  preopens,
  returnOnExit: true,
});

let code;
try {
  const module = new WebAssembly.Module(readFileSync(argv[i]));
  const instance = new WebAssembly.Instance(module, wasi.getImportObject());
  code = wasi.start(instance);
} catch (e) {
  if (e instanceof WebAssembly.RuntimeError || e instanceof RangeError) {
    const hit = TRAPS.find(([re]) => re.test(e.message));
    stderr.write(`inro: trap: ${hit ? hit[1] : e.message}\n`);
    code = 134;
  } else {
    stderr.write(`node-wasi-run: ${e.message}\n`);
    code = 1;
  }
}
exit(code);

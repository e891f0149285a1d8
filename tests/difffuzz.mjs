// tests/difffuzz.mjs -- differential fuzzing against V8.
//
//   node tests/difffuzz.mjs [--count N] [--first SEED] [--native INRO]
//                           [--wasm] [--save DIR]
//
// Modules: for each seed, random bytes from a fixed generator, turned by
// binaryen (`wasm-opt -ttf`) into a valid module of the features inro
// implements (WebAssembly 2.0 but reference types, which binaryen 108
// writes in a pre-standard form, and SIMD: its --denan leaves the NaNs of
// v128 lanes, whose payloads, left to the engine by the spec, then show in
// integer lanes; of 3.0, tail calls and the legacy exceptions that node 20
// has too), with --denan so that no NaN reaches a result.
// Their imports (fuzzing-support.log-i32/i64/f32/f64) are a logger module
// that folds every value logged into a hash, NaNs made one value.
//
// Reference: V8 (this node) instantiates each module and calls each of
// its exported functions in order, with arguments from the seed, calling
// hangLimitInitializer before each, as binaryen's own harness does; after
// every call the logger's hash is read.  All of it is written as spec
// scripts (assert_return / assert_trap of those calls, in the spec's trap
// wording, several where V8's message covers more than one), which inro
// then runs: natively (--native, default build/inro) and as inro.wasm on
// node (--wasm, tools/inro-node.mjs).  A module V8 cannot compare (it
// does not validate or link, or a call exhausts V8's stack) is counted as
// such and left out from that point.
//
// Prints the counts; every mismatch as "MISMATCH seed S ENGINE: line" with
// the module saved to --save (default build/fuzz-failures); last line
// "N passed, M failed" (a module is one test per engine).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const opt = { count: 300, first: 1, native: path.join(root, 'build/inro'), wasm: false,
              save: path.join(root, 'build/fuzz-failures') };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--wasm') opt.wasm = true;
  else if (a === '--no-native') opt.native = null;
  else if (['--count', '--first', '--native', '--save'].includes(a) && i + 1 < argv.length)
    opt[a.slice(2)] = a === '--native' || a === '--save' ? path.resolve(argv[++i]) : Number(argv[++i]);
  else {
    console.error(`difffuzz: unknown option '${a}'`);
    process.exit(2);
  }
}
const FEATURES = ['--enable-mutable-globals', '--enable-nontrapping-float-to-int',
                  '--enable-sign-ext', '--enable-multivalue', '--enable-bulk-memory',
                  '--enable-tail-call', '--enable-exception-handling'];
const BATCH = 100;  // modules per spec script (each script has its own store)
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'inro-fuzz-'));

const version = spawnSync('wasm-opt', ['--version'], { encoding: 'utf8' });
if (version.status !== 0) {
  console.log('difffuzz: wasm-opt (Debian\'s binaryen, .ci/deps) is needed');
  console.log('0 passed, 1 failed');
  process.exit(1);
}

// ------------------------------------------------------------- the logger

const LOGGER = `(module
  (global $h (export "hash") (mut i64) (i64.const 0))
  (func $mix (param i64)
    (global.set $h (i64.add (i64.mul (global.get $h) (i64.const 1099511628211))
                            (local.get 0))))
  (func (export "log-i32") (param i32) (call $mix (i64.extend_i32_u (local.get 0))))
  (func (export "log-i64") (param i64) (call $mix (i64.xor (local.get 0) (i64.const 0x64))))
  (func (export "log-f32") (param f32)
    (call $mix (select (i64.const 0x7fc00000)
                       (i64.extend_i32_u (i32.reinterpret_f32 (local.get 0)))
                       (f32.ne (local.get 0) (local.get 0)))))
  (func (export "log-f64") (param f64)
    (call $mix (select (i64.const 0x7ff8000000000000)
                       (i64.reinterpret_f64 (local.get 0))
                       (f64.ne (local.get 0) (local.get 0))))))`;
fs.writeFileSync(path.join(dir, 'logger.wat'), LOGGER);
const wat = spawnSync('wat2wasm', ['logger.wat', '-o', 'logger.wasm'], { cwd: dir, encoding: 'utf8' });
if (wat.status !== 0) {
  console.log(`difffuzz: wat2wasm failed: ${wat.error || wat.stderr}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const loggerModule = new WebAssembly.Module(fs.readFileSync(path.join(dir, 'logger.wasm')));

// -------------------------------------------------------------- the seeds

// SplitMix64: the same bytes for a seed on every machine.
function* random(seed) {
  let s = BigInt(seed) * 0x9e3779b97f4a7c15n & 0xffffffffffffffffn;
  for (;;) {
    s = (s + 0x9e3779b97f4a7c15n) & 0xffffffffffffffffn;
    let z = s;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & 0xffffffffffffffffn;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & 0xffffffffffffffffn;
    yield z ^ (z >> 31n);
  }
}

function seedBytes(seed) {
  const r = random(seed);
  const n = 1000 + Number(r.next().value % 5000n);
  const b = Buffer.alloc(n + 8);
  for (let i = 0; i < n; i += 8) b.writeBigUInt64LE(r.next().value, i);
  return b.subarray(0, n);
}

// wasm-opt for every seed, two at a time.
async function generate(seeds) {
  const out = new Map();
  let next = 0;
  async function worker() {
    while (next < seeds.length) {
      const seed = seeds[next++];
      const bin = path.join(dir, `s${seed}.bin`), wasm = path.join(dir, `m${seed}.wasm`);
      fs.writeFileSync(bin, seedBytes(seed));
      const ok = await new Promise((resolve) => {
        const p = spawn('wasm-opt', [bin, '-ttf', ...FEATURES, '--denan', '-o', wasm],
                        { stdio: ['ignore', 'ignore', 'pipe'] });
        let err = '';
        p.stderr.on('data', (d) => { err += d; });
        p.on('error', (e) => resolve(`${e.message}`));
        p.on('close', (code) => resolve(code === 0 ? null : err.split('\n')[0] || `exit ${code}`));
      });
      fs.rmSync(bin);
      out.set(seed, ok);
    }
  }
  await Promise.all([worker(), worker()]);
  return out;
}

// ------------------------------------------------------------ V8's answers

// Function types of the exports, read from the binary: params and results
// as value type bytes.
function exportTypes(bytes) {
  let p = 8;
  const leb = () => { let v = 0, s = 0, b; do { b = bytes[p++]; v += (b & 0x7f) * 2 ** s; s += 7; } while (b & 0x80); return v; };
  const types = [], funcs = [], exports = [];
  while (p < bytes.length) {
    const id = bytes[p++], size = leb(), end = p + size;
    if (id === 1) {
      for (let n = leb(); n > 0; n--) {
        p++; // 0x60
        const params = []; for (let k = leb(); k > 0; k--) params.push(bytes[p++]);
        const results = []; for (let k = leb(); k > 0; k--) results.push(bytes[p++]);
        types.push({ params, results });
      }
    } else if (id === 2) {
      for (let n = leb(); n > 0; n--) {
        for (let k = 0; k < 2; k++) { const len = leb(); p += len; } // module, name
        const kind = bytes[p++];
        if (kind === 0) funcs.push(types[leb()]);
        else if (kind === 1) { p++; const f = bytes[p++]; leb(); if (f & 1) leb(); }
        else if (kind === 2) { const f = bytes[p++]; leb(); if (f & 1) leb(); }
        else p += 2;
      }
    } else if (id === 3) {
      for (let n = leb(); n > 0; n--) funcs.push(types[leb()]);
    } else if (id === 7) {
      for (let n = leb(); n > 0; n--) {
        const len = leb(), name = bytes.subarray(p, p + len).toString(); p += len;
        const kind = bytes[p++], index = leb();
        if (kind === 0) exports.push({ name, type: funcs[index] });
      }
    }
    p = end;
  }
  return exports;
}

const TYPE = { 0x7f: 'i32', 0x7e: 'i64', 0x7d: 'f32', 0x7c: 'f64' };
const f32 = new Float32Array(1), u32 = new Uint32Array(f32.buffer);
const f64 = new Float64Array(1), u64 = new BigUint64Array(f64.buffer);

// An argument from the generator: as V8 takes it, and as the script
// writes it (the bits, unsigned, in decimal).
function argument(t, r) {
  const x = r.next().value;
  const small = Number(x % 2001n) - 1000;
  const pick = Number((x >> 20n) % 4n); // a few small values, some raw bits
  switch (TYPE[t]) {
    case 'i32': { const v = pick ? small : Number(x & 0xffffffffn) | 0; return [v, String(v >>> 0)]; }
    case 'i64': { const v = pick ? BigInt(small) : BigInt.asIntN(64, x); return [v, BigInt.asUintN(64, v).toString()]; }
    case 'f32': { f32[0] = pick ? small / 8 : Number(small) * 1e10; return [f32[0], String(u32[0])]; }
    default: { f64[0] = pick ? small / 8 : Number(small) * 1e100; return [f64[0], u64[0].toString()]; }
  }
}

let nans = 0;
function expected(t, v) {
  const type = TYPE[t];
  if ((type === 'f32' || type === 'f64') && Number.isNaN(v)) {
    nans++;
    return { type, value: 'nan:arithmetic' };
  }
  if (type === 'i32') return { type, value: String(v >>> 0) };
  if (type === 'i64') return { type, value: BigInt.asUintN(64, v).toString() };
  if (type === 'f32') { f32[0] = v; return { type, value: String(u32[0]) }; }
  f64[0] = v;
  return { type, value: u64[0].toString() };
}

// V8's trap messages, as the spec's wordings they can stand for.
const TRAPS = [
  ['unreachable', ['unreachable']],
  ['memory access out of bounds', ['out of bounds memory access']],
  ['divide by zero', ['integer divide by zero']],
  ['remainder by zero', ['integer divide by zero']],
  ['divide result unrepresentable', ['integer overflow']],
  ['float unrepresentable in integer range', ['integer overflow', 'invalid conversion to integer']],
  ['table index is out of bounds', ['undefined element', 'out of bounds table access']],
  ['null function or function signature mismatch', ['uninitialized element', 'indirect call type mismatch']],
  ['data segment out of bounds', ['out of bounds memory access']],
  ['element segment out of bounds', ['out of bounds table access']],
];
const trapText = (e) => (TRAPS.find(([m]) => e.message.startsWith(m)) || [null, null])[1];

const counts = { modules: 0, generated: 0, compared: 0, calls: 0, traps: 0, invalid: 0,
                 unlinkable: 0, uninstantiable: 0, exhausted: 0, strange: 0 };

// The commands of one module, after V8 ran it; lines[i] names command i.
function v8Commands(seed, logger, lines) {
  const file = `m${seed}.wasm`, bytes = fs.readFileSync(path.join(dir, file));
  const cmds = [];
  const cmd = (c, what) => { c.line = lines.length; lines.push({ seed, what }); cmds.push(c); };
  if (!WebAssembly.validate(bytes)) { counts.invalid++; return []; }
  let inst;
  try {
    inst = new WebAssembly.Instance(new WebAssembly.Module(bytes), { 'fuzzing-support': logger.exports });
  } catch (e) {
    if (e instanceof WebAssembly.LinkError) { counts.unlinkable++; return []; }
    const text = e instanceof WebAssembly.RuntimeError && trapText(e);
    if (!text) { counts.strange++; return []; }
    counts.uninstantiable++;
    cmd({ type: 'assert_uninstantiable', filename: file, text, module_type: 'binary' }, 'instantiate');
    return cmds;
  }
  counts.compared++;
  cmd({ type: 'module', filename: file }, 'load');
  const hash = () => cmd({ type: 'assert_return', action: { type: 'get', module: '$log', field: 'hash' },
                           expected: [{ type: 'i64', value: BigInt.asUintN(64, logger.exports.hash.value).toString() }] },
                         'the logged values');
  const r = random(seed ^ 0x5eed);
  for (const ex of exportTypes(bytes)) {
    if (ex.name === 'hangLimitInitializer') continue;
    if (inst.exports.hangLimitInitializer) {
      inst.exports.hangLimitInitializer();
      cmd({ type: 'action', action: { type: 'invoke', field: 'hangLimitInitializer', args: [] } }, 'hangLimitInitializer');
    }
    const args = ex.type.params.map((t) => argument(t, r));
    const action = { type: 'invoke', field: ex.name,
                     args: args.map(([, bits], i) => ({ type: TYPE[ex.type.params[i]], value: bits })) };
    counts.calls++;
    let result;
    try {
      result = inst.exports[ex.name](...args.map(([v]) => v));
    } catch (e) {
      if (e instanceof RangeError) { counts.exhausted++; return cmds; } // V8's stack, not the module's
      const text = e instanceof WebAssembly.RuntimeError && trapText(e);
      if (!text) { counts.strange++; return cmds; }
      counts.traps++;
      cmd({ type: 'assert_trap', action, text }, `${ex.name}: trap ${e.message}`);
      hash();
      continue;
    }
    const values = ex.type.results.length > 1 ? result : ex.type.results.length ? [result] : [];
    cmd({ type: 'assert_return', action, expected: values.map((v, i) => expected(ex.type.results[i], v)) },
        `${ex.name}: results`);
    hash();
  }
  return cmds;
}

// ------------------------------------------------------------------ main

const seeds = Array.from({ length: opt.count }, (_, i) => opt.first + i);
const made = await generate(seeds);
const lines = [];
const scripts = [];
for (let b = 0; b < seeds.length; b += BATCH) {
  const logger = new WebAssembly.Instance(loggerModule, {});
  const commands = [{ type: 'module', filename: 'logger.wasm', name: '$log', line: -1 },
                    { type: 'register', name: '$log', as: 'fuzzing-support', line: -1 }];
  for (const seed of seeds.slice(b, b + BATCH)) {
    counts.modules++;
    if (made.get(seed)) continue; // wasm-opt failed: counted below
    counts.generated++;
    commands.push(...v8Commands(seed, logger, lines));
  }
  const name = `batch-${scripts.length}.json`;
  fs.writeFileSync(path.join(dir, name), JSON.stringify({ source_filename: name, commands }));
  scripts.push(name);
}

const engines = [];
if (opt.native) engines.push({ name: 'native', cmd: [opt.native] });
if (opt.wasm) engines.push({ name: 'inro.wasm/node', cmd: ['node', path.join(root, 'tools/inro-node.mjs')] });
let passed = 0, failed = 0;
const bad = new Set();
for (const e of engines) {
  const r = spawnSync(e.cmd[0], [...e.cmd.slice(1), 'spec', '--verbose', ...scripts],
                      { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28, timeout: 600000 });
  const failedSeeds = new Map();
  for (const l of (r.stdout || '').split('\n')) {
    const m = /^batch-\d+\.json:(-?\d+): (.*)$/.exec(l);
    if (!m) continue;
    const at = lines[Number(m[1])];
    const seed = at ? at.seed : -1;
    if (!failedSeeds.has(seed)) failedSeeds.set(seed, `${at ? at.what : '?'}: ${m[2]}`);
  }
  const summary = /(\d+) passed, (\d+) failed, \d+ skipped(?:, \d+ unsupported)?\s*$/.exec(r.stdout || '');
  if (!summary || (r.status !== 0 && failedSeeds.size === 0)) {
    console.log(`MISMATCH ${e.name}: exit status ${r.status} ${r.signal || ''}, no summary: ` +
                `${(r.stderr || '').split('\n').slice(0, 3).join(' | ')}`);
    failed++;
    continue;
  }
  for (const [seed, why] of failedSeeds) {
    console.log(`MISMATCH seed ${seed} ${e.name}: ${why}`);
    bad.add(seed);
  }
  failed += failedSeeds.size;
  passed += counts.compared + counts.uninstantiable - failedSeeds.size;
}
if (bad.size) {
  fs.mkdirSync(opt.save, { recursive: true });
  for (const seed of bad) {
    if (seed < 0) continue;
    const to = path.join(opt.save, `m${seed}.wasm`);
    fs.copyFileSync(path.join(dir, `m${seed}.wasm`), to);
    console.log(`saved ${to}`);
  }
}
const c = counts;
console.log(`${c.modules} seeds ${opt.first}..${opt.first + c.modules - 1}: ${c.generated} modules ` +
            `(${c.modules - c.generated} not generated), ${c.compared} compared with ${c.calls} calls ` +
            `(${c.traps} traps), ${c.uninstantiable} trap when instantiated; not compared: ` +
            `${c.invalid} invalid for V8, ${c.unlinkable} unlinkable, ${c.exhausted} exhausting ` +
            `V8's stack, ${c.strange} other; ${nans} NaN results; engines: ${engines.map((e) => e.name).join(', ')}`);
fs.rmSync(dir, { recursive: true, force: true });
if (c.generated === 0) failed++;
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;

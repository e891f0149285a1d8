#!/usr/bin/env node
// node-invoke.mjs -- call one export of a module without imports under
// node, and print its results as `inro run --invoke` does ("i64:5"), so
// that tests/guests.sh can compare the two.
//
//   node [V8 FLAGS] tools/node-invoke.mjs MODULE.wasm NAME [ARGS...]
//
// ARGS are decimal numbers, typed by the export's parameters (read from
// the module: node 20 has no type reflection).  Node 20 (V8 11.3) runs
// 64-bit memories behind --experimental-wasm-memory64 but knows no 64-bit
// tables, which wasm-ld gives every wasm64 module: when V8 refuses the
// module, has no element segment and exports no table, the table section
// is left out; an indirect call would then fail validation, so this
// changes no program that runs.
import { readFileSync } from 'node:fs';
import { argv, exit, stderr } from 'node:process';

const [file, name, ...args] = argv.slice(2);
if (!file || !name) {
  stderr.write('usage: node-invoke.mjs MODULE.wasm NAME [ARGS...]\n');
  exit(2);
}

// A cursor over the module bytes (LEB128s, names).
function reader(bytes, pos, end) {
  const r = {
    pos,
    end,
    u8: () => bytes[r.pos++],
    uleb() {
      let v = 0, shift = 0, b;
      do {
        b = bytes[r.pos++];
        v += (b & 0x7f) * 2 ** shift;
        shift += 7;
      } while (b & 0x80);
      return v;
    },
    name() {
      const n = r.uleb();
      const s = Buffer.from(bytes.subarray(r.pos, r.pos + n)).toString('utf8');
      r.pos += n;
      return s;
    },
  };
  return r;
}

// [id, header start, contents start, end] of each section.
function sections(bytes) {
  const out = [], r = reader(bytes, 8, bytes.length);
  while (r.pos < bytes.length) {
    const at = r.pos, id = r.u8(), size = r.uleb();
    out.push([id, at, r.pos, r.pos + size]);
    r.pos += size;
  }
  return out;
}

const VALTYPES = { 0x7f: 'i32', 0x7e: 'i64', 0x7d: 'f32', 0x7c: 'f64' };

// The parameter types of export `want` (a module without imports).
function paramsOf(bytes, want) {
  const secs = sections(bytes), types = [], funcs = [];
  let index = -1;
  for (const [id, , start, end] of secs) {
    const r = reader(bytes, start, end);
    if (id === 1) {
      for (let n = r.uleb(); n-- > 0;) {
        r.u8(); // 0x60
        const ps = [];
        for (let k = r.uleb(); k-- > 0;) ps.push(VALTYPES[r.u8()]);
        for (let k = r.uleb(); k-- > 0;) r.u8();
        types.push(ps);
      }
    } else if (id === 3) {
      for (let n = r.uleb(); n-- > 0;) funcs.push(r.uleb());
    } else if (id === 7) {
      for (let n = r.uleb(); n-- > 0;) {
        const nm = r.name(), kind = r.u8(), i = r.uleb();
        if (nm === want && kind === 0) index = i;
      }
    }
  }
  return index >= 0 && funcs[index] !== undefined ? types[funcs[index]] : [];
}

function withoutTable(bytes) {
  const secs = sections(bytes);
  if (secs.some(([id]) => id === 9)) return null;
  const ex = secs.find(([id]) => id === 7);
  if (ex) {
    const r = reader(bytes, ex[2], ex[3]);
    for (let n = r.uleb(); n-- > 0;) {
      r.name();
      if (r.u8() === 1) return null; // a table export
      r.uleb();
    }
  }
  const keep = [bytes.subarray(0, 8)];
  for (const [id, at, , end] of secs) if (id !== 4) keep.push(bytes.subarray(at, end));
  return Buffer.concat(keep);
}

const bytes = readFileSync(file);
let module;
try {
  module = new WebAssembly.Module(bytes);
} catch (e) {
  const stripped = /table/i.test(e.message) ? withoutTable(bytes) : null;
  if (!stripped) throw e;
  module = new WebAssembly.Module(stripped);
}
const fn = new WebAssembly.Instance(module, {}).exports[name];
if (typeof fn !== 'function') {
  stderr.write(`node-invoke: no exported function '${name}'\n`);
  exit(1);
}
const params = paramsOf(bytes, name);
let r;
try {
  r = fn(...args.map((a, i) => (params[i] === 'i64' ? BigInt(a) : Number(a))));
} catch (e) {
  stderr.write(`node-invoke: ${e.message}\n`);
  exit(134);
}
if (typeof r === 'bigint') console.log(`i64:${BigInt.asIntN(64, r)}`);
else if (r !== undefined) console.log(`i32:${r | 0}`);

// tests/snapshot_forge.mjs INRO GUEST_DIR -- forged snapshots: each is
// structurally valid, with correct lengths and CRC-32Cs, but hostile or
// odd content (docs/snapshot-format.md).  Each must be refused by
// `inro restore` with one line on stderr (exit 1, nothing on stdout), or,
// where the format allows it, restored safely: the run's own output and
// status.  `inro inspect` and `inspect --json` must either describe it
// (the JSON valid, UTF-8 included) or refuse it in one line.
//
// The genuine snapshot comes from GUEST_DIR/ckpt_files.wasm (a preopen,
// open files, a table, monitors), checkpointed near its end (so that each
// restore has little left to run); the sandbox is
// put back as it was at the checkpoint before every restore.
// Prints one line per failure and "N passed, M failed".
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const [inro, guests] = process.argv.slice(2).map((p) => path.resolve(p));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'inro-forge-'));
const sb = path.join(dir, 'sb'), pristine = path.join(dir, 'pristine');
const run = (args, opts = {}) =>
  spawnSync(inro, args, { cwd: dir, encoding: 'buffer', timeout: 120000,
                         maxBuffer: 1 << 28, ...opts });

// ------------------------------------------------------------ the format

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();
function crc32c(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function parse(buf) {
  const snap = { magic: buf.subarray(0, 8), version: buf.readUInt32LE(8),
                 reserved: buf.readUInt32LE(12), sections: [] };
  let pos = 16;
  for (;;) {
    const id = buf.readUInt32LE(pos), flags = buf.readUInt32LE(pos + 4);
    const len = Number(buf.readBigUInt64LE(pos + 8));
    snap.sections.push({ id, flags, data: Buffer.from(buf.subarray(pos + 16, pos + 16 + len)) });
    pos += 16 + len + 4;
    if (id === 0) break;
  }
  return snap;
}

function build(snap) {
  const parts = [snap.magic, u32(snap.version), u32(snap.reserved)];
  for (const s of snap.sections) {
    const head = Buffer.alloc(16);
    head.writeUInt32LE(s.id, 0);
    head.writeUInt32LE(s.flags, 4);
    head.writeBigUInt64LE(BigInt(s.data.length), 8);
    parts.push(head, s.data, u32(crc32c(s.data)));
  }
  return Buffer.concat(parts);
}

const u8 = (v) => Buffer.from([v]);
function u32(v) { const b = Buffer.alloc(4); b.writeUInt32LE(v >>> 0); return b; }
function u64(v) { const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt(v)); return b; }
const str = (s) => { const b = Buffer.isBuffer(s) ? s : Buffer.from(s); return Buffer.concat([u32(b.length), b]); };

// A little-endian reader over a section's payload.
class Reader {
  constructor(b) { this.b = b; this.p = 0; }
  u8() { return this.b[this.p++]; }
  u16() { const v = this.b.readUInt16LE(this.p); this.p += 2; return v; }
  u32() { const v = this.b.readUInt32LE(this.p); this.p += 4; return v; }
  u64() { const v = this.b.readBigUInt64LE(this.p); this.p += 8; return v; }
  bytes(n) { const v = this.b.subarray(this.p, this.p + n); this.p += n; return Buffer.from(v); }
  str() { return this.bytes(this.u32()); }
  values() { const n = this.u32(), v = []; for (let i = 0; i < n; i++) v.push({ type: this.u8(), bits: this.u64() }); return v; }
}
const values = (vs) => Buffer.concat([u32(vs.length), ...vs.flatMap((v) => [u8(v.type), u64(v.bits)])]);

// Section 6, FRAMES.
function parseFrames(b) {
  const r = new Reader(b), n = r.u32(), frames = [];
  for (let i = 0; i < n; i++)
    frames.push({ func: r.u32(), offset: r.u32(), kind: r.u8(), locals: r.values(), ops: r.values() });
  return frames;
}
const buildFrames = (fs_) => Buffer.concat([u32(fs_.length), ...fs_.flatMap((f) =>
  [u32(f.func), u32(f.offset), u8(f.kind), values(f.locals), values(f.ops)])]);

// Section 0x100, the WASI state.
function parseWasi(b) {
  const r = new Reader(b), w = { version: r.u32(), args: [], env: [], preopens: [], fds: [] };
  for (let n = r.u32(); n > 0; n--) w.args.push(r.str());
  for (let n = r.u32(); n > 0; n--) w.env.push(r.str());
  for (let n = r.u32(); n > 0; n--) w.preopens.push({ guest: r.str(), host: r.str() });
  for (let n = r.u32(); n > 0; n--)
    w.fds.push({ fd: r.u32(), kind: r.u8(), type: r.u8(), fdflags: r.u16(), oflags: r.u32(),
                 rb: r.u64(), ri: r.u64(), ref: r.u32(), path: r.str(), offset: r.u64(), size: r.u64() });
  return w;
}
function buildWasi(w) {
  const u16 = (v) => { const b = Buffer.alloc(2); b.writeUInt16LE(v); return b; };
  return Buffer.concat([u32(w.version),
    u32(w.args.length), ...w.args.map(str), u32(w.env.length), ...w.env.map(str),
    u32(w.preopens.length), ...w.preopens.flatMap((p) => [str(p.guest), str(p.host)]),
    u32(w.fds.length), ...w.fds.flatMap((f) => [u32(f.fd), u8(f.kind), u8(f.type), u16(f.fdflags),
      u32(f.oflags), u64(f.rb), u64(f.ri), u32(f.ref), str(f.path), u64(f.offset), u64(f.size)])]);
}

// ---------------------------------------------------- the genuine snapshot

fs.mkdirSync(sb);
fs.writeFileSync(path.join(sb, 'input.txt'),
  Array.from({ length: 120 }, (_, i) => `line number ${i + 1}\n`).join(''));
const guest = path.join(guests, 'ckpt_files.wasm');
const ckpt = run(['run', '--dir', 'sb::/sandbox', '--monitor', 'count', '--snapshot', 'good.snap',
                  '--checkpoint-after', '7000000', guest]);
if (ckpt.status !== 75) {
  console.log(`cannot make the snapshot: exit status ${ckpt.status}: ${ckpt.stderr}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}
fs.cpSync(sb, pristine, { recursive: true });
const good = fs.readFileSync(path.join(dir, 'good.snap'));

function restore(bytes, extra = ['--dir', 'sb::/sandbox']) {
  fs.rmSync(sb, { recursive: true, force: true });
  fs.cpSync(pristine, sb, { recursive: true });
  fs.writeFileSync(path.join(dir, 'case.snap'), bytes);
  return run(['restore', ...extra, 'case.snap']);
}
const reference = restore(good);

// --------------------------------------------------------------- checks

let passed = 0, failed = 0;
const lines = (b) => b.toString('latin1').split('\n').filter((l) => l.length);
function verdict(name, why) {
  if (!why) { passed++; return; }
  failed++;
  console.log(`FAIL ${name}: ${why}`);
}

function refused(r) {
  if (r.signal) return `killed by ${r.signal}`;
  if (r.status !== 1) return `exit status ${r.status}, want 1 (refused)`;
  const err = lines(r.stderr);
  if (err.length !== 1 || !err[0].startsWith('inro: '))
    return `refusal is not one line: ${JSON.stringify(err.slice(0, 3))}`;
  if (r.stdout.length) return 'refused, but printed on stdout';
  return null;
}
function restored(r) {
  if (r.signal) return `killed by ${r.signal}`;
  if (r.status !== reference.status || !r.stdout.equals(reference.stdout))
    return `not the run's own output (exit status ${r.status}): ${lines(r.stderr).slice(0, 2)}`;
  return null;
}
const expectations = {
  refuse: refused,
  restore: restored,
  either: (r) => (r.status === 1 ? refused(r) : restored(r)),
};

// Inspecting any of them: a description, or a one-line refusal.
function inspected(bytes) {
  fs.writeFileSync(path.join(dir, 'case.snap'), bytes);
  for (const json of [false, true]) {
    const r = run(json ? ['inspect', '--json', 'case.snap'] : ['inspect', 'case.snap']);
    if (r.signal) return `inspect killed by ${r.signal}`;
    if (r.status === 1) {
      if (lines(r.stderr).length !== 1) return 'inspect: refusal is not one line';
    } else if (r.status !== 0) {
      return `inspect: exit status ${r.status}`;
    } else if (json) {
      try {
        JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(r.stdout));
      } catch (e) {
        return `inspect --json: not JSON: ${e.message}`;
      }
    }
  }
  return null;
}

// forge(name, expect, edit[, restore options]): edit gets a parsed copy
// of the genuine snapshot and changes it (or returns raw bytes).
function forge(name, expect, edit, options) {
  const snap = parse(good);
  const raw = edit(snap);
  const bytes = Buffer.isBuffer(raw) ? raw : build(snap);
  verdict(name, expectations[expect](restore(bytes, options)) || inspected(bytes));
}
const sec = (snap, id) => snap.sections.find((s) => s.id === id);
const editFrames = (snap, f) => { const s = sec(snap, 6); const fr = parseFrames(s.data); f(fr); s.data = buildFrames(fr); };
const editWasi = (snap, f) => { const s = sec(snap, 0x100); const w = parseWasi(s.data); f(w); s.data = buildWasi(w); };
const inner = (fr) => fr[fr.length - 1];
const fileFd = (w) => w.fds.find((f) => f.kind === 3);

verdict('genuine snapshot restored', reference.status === 0 && reference.stdout.length
  ? null : `exit status ${reference.status}: ${reference.stderr}`);
forge('unchanged, rebuilt', 'restore', () => {});

// The header and the sections themselves.
forge('header: reserved field not 0', 'refuse', (s) => { s.reserved = 1; });
forge('header: version 2', 'refuse', (s) => { s.version = 2; });
for (const id of [1, 2, 3, 4, 5, 6, 0x100, 0x101, 0x102])
  forge(`section 0x${id.toString(16)} twice`, 'refuse', (s) => {
    const i = s.sections.findIndex((x) => x.id === id);
    s.sections.splice(i + 1, 0, { ...s.sections[i], data: Buffer.from(s.sections[i].data) });
  });
for (const id of [1, 2, 3, 4, 5, 6])
  forge(`section ${id} missing`, 'refuse', (s) => { s.sections = s.sections.filter((x) => x.id !== id); });
forge('unknown section 8, required', 'refuse', (s) => { s.sections.splice(1, 0, { id: 8, flags: 1, data: Buffer.from('x') }); });
forge('unknown section 8, optional', 'restore', (s) => { s.sections.splice(1, 0, { id: 8, flags: 0, data: Buffer.from('x') }); });
forge('unknown section 0x1234, required', 'refuse', (s) => { s.sections.splice(1, 0, { id: 0x1234, flags: 1, data: Buffer.from('x') }); });
forge('unknown section 0x1234, optional', 'restore', (s) => { s.sections.splice(1, 0, { id: 0x1234, flags: 0, data: Buffer.from('x') }); });
forge('END with a payload', 'refuse', (s) => { sec(s, 0).data = Buffer.from([0]); });
forge('bytes after END', 'refuse', (s) => Buffer.concat([build(s), Buffer.from([0])]));
forge('no END', 'refuse', (s) => { s.sections.pop(); });
forge('sections in another order', 'restore', (s) => { s.sections = [...s.sections.slice(0, -1).reverse(), sec(s, 0)]; });

// 1 MODULE
forge('module: another hash', 'refuse', (s) => { sec(s, 1).data[0] ^= 1; });
forge('module: has_bytes 2', 'refuse', (s) => { sec(s, 1).data[32] = 2; });
forge('module: bytes changed, hash kept', 'refuse', (s) => { const d = sec(s, 1).data; d[d.length - 1] ^= 1; });
forge('module: size beyond the section', 'refuse', (s) => { sec(s, 1).data.writeBigUInt64LE(1n << 40n, 33); });

// 2 MEMORIES: u32 count, then pages | max | stored | stored * (index | 64 KiB)
const M = 4; // offset of memory 0
forge('memory: 65537 pages', 'refuse', (s) => { sec(s, 2).data.writeUInt32LE(65537, M); });
forge('memory: 65536 pages (4 GiB)', 'either', (s) => { sec(s, 2).data.writeUInt32LE(65536, M); });
forge('memory: fewer pages than the module declares', 'refuse', (s) => {
  const d = sec(s, 2).data; d.writeUInt32LE(0, M); d.writeUInt32LE(0, M + 8);
  sec(s, 2).data = d.subarray(0, M + 12);
});
forge('memory: a maximum below its size', 'refuse', (s) => { sec(s, 2).data.writeUInt32LE(1, M + 4); });
forge('memory: another maximum than the module', 'refuse', (s) => { sec(s, 2).data.writeUInt32LE(60000, M + 4); });
forge('memory: stored count beyond the bytes', 'refuse', (s) => { sec(s, 2).data.writeUInt32LE(1000, M + 8); });
forge('memory: stored pages out of order', 'refuse', (s) => {
  const d = sec(s, 2).data, a = M + 12, b = a + 4 + 65536;
  const first = Buffer.from(d.subarray(a, b)); d.copy(d, a, b, b + 4 + 65536); first.copy(d, b);
});
forge('memory: a stored page twice', 'refuse', (s) => {
  const d = sec(s, 2).data, a = M + 12; d.writeUInt32LE(d.readUInt32LE(a), a + 4 + 65536);
});
forge('memory: a stored page beyond its size', 'refuse', (s) => {
  const d = sec(s, 2).data, a = M + 12; d.writeUInt32LE(d.readUInt32LE(M), a + 4 + 65536);
});

// 7 PAGES (migration streams): u32 memory | pages | max | count | records,
// before MEMORIES.  A page MEMORIES stores again overrides the PAGES one.
function pages(s, edit) {
  const m = sec(s, 2).data, first = m.readUInt32LE(M + 12);
  const p = { mem: 0, pages: m.readUInt32LE(M), max: m.readUInt32LE(M + 4), index: first };
  edit(p);
  return { id: 7, flags: 1, data: Buffer.concat([u32(p.mem), u32(p.pages), u32(p.max), u32(1),
                                                 u32(p.index), Buffer.alloc(65536, 0xa5)]) };
}
const beforeMemories = (s, p) => s.sections.splice(s.sections.findIndex((x) => x.id === 2), 0, p);
forge('pages: a page MEMORIES stores again', 'restore', (s) => { beforeMemories(s, pages(s, () => {})); });
forge('pages: after MEMORIES', 'refuse', (s) => {
  s.sections.splice(s.sections.findIndex((x) => x.id === 2) + 1, 0, pages(s, () => {}));
});
forge('pages: beyond the memory', 'refuse', (s) => { beforeMemories(s, pages(s, (p) => { p.index = p.pages; })); });
forge('pages: another maximum than MEMORIES', 'refuse', (s) => {
  beforeMemories(s, pages(s, (p) => { p.max = p.max === 0xffffffff ? 60000 : 0xffffffff; }));
});
forge('pages: more pages than MEMORIES', 'refuse', (s) => { beforeMemories(s, pages(s, (p) => { p.pages++; })); });
forge('pages: memory 3 of 1', 'refuse', (s) => { beforeMemories(s, pages(s, (p) => { p.mem = 3; })); });

// Version 2 (WebAssembly 3.0): the same state rewritten as version 2 --
// MEMORIES and PAGES with a flags byte and u64 fields, TABLES with flags
// and a u64 maximum, a count of caught exceptions per frame, EXCEPTIONS
// (section 8).
function toV2(s) {
  s.version = 2;
  const r = new Reader(sec(s, 2).data), parts = [u32(r.u32())];
  for (let i = parts[0].readUInt32LE(0); i > 0; i--) {
    const pages = r.u32(), max = r.u32(), n = r.u32();
    parts.push(u8(0), u64(pages), u64(max === 0xffffffff ? (1n << 64n) - 1n : max), u64(n));
    for (let k = 0; k < n; k++) parts.push(u64(r.u32()), r.bytes(65536));
  }
  sec(s, 2).data = Buffer.concat(parts);
  const t = new Reader(sec(s, 4).data), tparts = [u32(t.u32())];
  for (let i = tparts[0].readUInt32LE(0); i > 0; i--) {
    const elem = t.u8(), size = t.u32(), max = t.u32();
    tparts.push(u8(elem), u8(0), u32(size), u64(max === 0xffffffff ? (1n << 64n) - 1n : max),
                t.bytes(4 * size));
  }
  sec(s, 4).data = Buffer.concat(tparts);
  const fr = parseFrames(sec(s, 6).data);
  sec(s, 6).data = Buffer.concat([u32(fr.length), ...fr.flatMap((f) =>
    [u32(f.func), u32(f.offset), u8(f.kind), values(f.locals), values(f.ops), values(f.caught || [])])]);
  s.sections.splice(s.sections.findIndex((x) => x.id === 0), 0, { id: 8, flags: 1, data: u32(0) });
  return s;
}
const M2 = 4 + 25; // the first stored page record of memory 0, version 2
function pages2(s, edit) {
  const m = sec(s, 2).data;
  const p = { mem: 0, flags: 0, pages: m.readBigUInt64LE(5), max: m.readBigUInt64LE(13),
              index: m.readBigUInt64LE(M2) };
  edit(p);
  return { id: 7, flags: 1, data: Buffer.concat([u32(p.mem), u8(p.flags), u64(p.pages), u64(p.max),
                                                 u64(1), u64(p.index), Buffer.alloc(65536, 0xa5)]) };
}
forge('v2: the same state as version 2', 'restore', (s) => { toV2(s); });
forge('v2: EXCEPTIONS missing', 'refuse', (s) => { toV2(s); s.sections = s.sections.filter((x) => x.id !== 8); });
forge('v2: EXCEPTIONS twice', 'refuse', (s) => { toV2(s); s.sections.splice(1, 0, { id: 8, flags: 1, data: u32(0) }); });
forge('v2: memory flagged 64-bit, the module\'s is 32-bit', 'refuse', (s) => { toV2(s); sec(s, 2).data[4] = 1; });
forge('v2: memory flags with an unknown bit', 'refuse', (s) => { toV2(s); sec(s, 2).data[4] = 2; });
forge('v2: memory of 2^48 + 1 pages', 'refuse', (s) => {
  toV2(s); sec(s, 2).data[4] = 1; sec(s, 2).data.writeBigUInt64LE((1n << 48n) + 1n, 5);
});
forge('v2: a stored page index above 2^32', 'refuse', (s) => {
  toV2(s); const d = sec(s, 2).data; d.writeBigUInt64LE(d.readBigUInt64LE(M2) + (1n << 32n), M2);
});
forge('v2: pages: a u64 page index, stored again by MEMORIES', 'restore', (s) => { toV2(s); beforeMemories(s, pages2(s, () => {})); });
forge('v2: pages: flagged 64-bit unlike MEMORIES', 'refuse', (s) => { toV2(s); beforeMemories(s, pages2(s, (p) => { p.flags = 1; })); });
forge('v2: pages: an index above 2^32', 'refuse', (s) => {
  toV2(s); beforeMemories(s, pages2(s, (p) => { p.index += 1n << 32n; }));
});
forge('v2: pages: a version 1 record', 'refuse', (s) => { toV2(s); beforeMemories(s, pages(s, () => {})); });
forge('v2: table flagged 64-bit, the module\'s is 32-bit', 'refuse', (s) => { toV2(s); sec(s, 4).data[5] = 1; });
forge('v2: an exception of a tag the module lacks', 'refuse', (s) => {
  toV2(s); sec(s, 8).data = Buffer.concat([u32(1), u32(0), u32(0)]);
});
forge('v2: a frame with a caught exception but no catch body', 'refuse', (s) => {
  toV2(s);
  const d = sec(s, 6).data; // the innermost frame's ncaught: the last 4 bytes
  sec(s, 6).data = Buffer.concat([d.subarray(0, d.length - 4), u32(1), u8(0x69), u64(1)]);
});
forge('v1: an exnref value', 'refuse', (s) => { sec(s, 3).data[4] = 0x69; });

// 3 GLOBALS: u32 count, values
forge('global: i32 with high bits', 'refuse', (s) => { const d = sec(s, 3).data; d[4 + 1 + 4] = 1; });
forge('global: another type', 'refuse', (s) => { sec(s, 3).data[4] = 0x7e; });
forge('global: unknown type', 'refuse', (s) => { sec(s, 3).data[4] = 0x40; });
forge('global: one more', 'refuse', (s) => {
  const d = sec(s, 3).data; d.writeUInt32LE(d.readUInt32LE(0) + 1, 0);
  sec(s, 3).data = Buffer.concat([d, u8(0x7f), u64(0)]);
});

// 4 TABLES: u32 count, then elem | size | max | size * u32
forge('table: an entry beyond the functions', 'refuse', (s) => {
  const d = sec(s, 4).data; if (d.readUInt32LE(5) > 1) d.writeUInt32LE(0xfffffff0, 13 + 4);
  else d[4] = 0x11;
});
forge('table: externref elements', 'refuse', (s) => { sec(s, 4).data[4] = 0x6f; });
forge('table: size beyond its maximum', 'refuse', (s) => {
  const d = sec(s, 4).data; d.writeUInt32LE(0, 9);
});
forge('table: size 2^32 - 1', 'refuse', (s) => { sec(s, 4).data.writeUInt32LE(0xffffffff, 5); });

// 5 SEGMENTS
forge('segments: flag 2', 'refuse', (s) => {
  const d = sec(s, 5).data; if (d.readUInt32LE(0) > 0) d[4] = 2; else sec(s, 5).data = Buffer.concat([u32(1), u8(2), d.subarray(4)]);
});
forge('segments: one data segment more', 'refuse', (s) => {
  const d = sec(s, 5).data, n = d.readUInt32LE(0);
  sec(s, 5).data = Buffer.concat([u32(n + 1), d.subarray(4, 4 + n), u8(0), d.subarray(4 + n)]);
});

// 6 FRAMES: the innermost frame stands at a pc, the others at calls.
forge('frames: none', 'refuse', (s) => { sec(s, 6).data = u32(0); });
forge('frame: pc past the module', 'refuse', (s) => editFrames(s, (fr) => { inner(fr).offset = 0x7fffffff; }));
forge('frame: pc inside an instruction', 'refuse', (s) => editFrames(s, (fr) => { inner(fr).offset += 1; }));
forge('frame: pc at the code section start', 'refuse', (s) => editFrames(s, (fr) => { inner(fr).offset = 8; }));
forge('frame: an imported function', 'refuse', (s) => editFrames(s, (fr) => { inner(fr).func = 0; }));
forge('frame: function 2^32 - 1', 'refuse', (s) => editFrames(s, (fr) => { inner(fr).func = 0xffffffff; }));
forge('frame: innermost returning from a call', 'refuse', (s) => editFrames(s, (fr) => { inner(fr).kind = 1; }));
forge('frame: outer frame not at a call', 'refuse', (s) => editFrames(s, (fr) => { fr[0].offset = inner(fr).offset; }));
forge('frame: one operand more', 'refuse', (s) => editFrames(s, (fr) => { inner(fr).ops.push({ type: 0x7f, bits: 0n }); }));
forge('frame: 100000 operands', 'refuse', (s) => editFrames(s, (fr) => {
  inner(fr).ops = Array.from({ length: 100000 }, () => ({ type: 0x7f, bits: 0n }));
}));
forge('frame: stack height count beyond the bytes', 'refuse', (s) => {
  const d = sec(s, 6).data; d.writeUInt32LE(0x7fffffff, d.length - 4 - 9 * inner(parseFrames(d)).ops.length);
});
forge('frame: a local of another type', 'refuse', (s) => editFrames(s, (fr) => {
  const f = fr.find((x) => x.locals.length); f.locals[0].type = f.locals[0].type === 0x7f ? 0x7e : 0x7f;
}));
forge('frame: a local less', 'refuse', (s) => editFrames(s, (fr) => { fr.find((x) => x.locals.length).locals.pop(); }));
forge('frame: an i32 local with high bits', 'refuse', (s) => editFrames(s, (fr) => {
  const l = fr.flatMap((x) => x.locals).find((v) => v.type === 0x7f); l.bits |= 1n << 40n;
}));
forge('frames: more than the call depth allows', 'refuse', (s) => {
  const fr = parseFrames(sec(s, 6).data), n = 100001;
  const one = buildFrames([fr[fr.length - 2]]).subarray(4);
  sec(s, 6).data = Buffer.concat([u32(fr.length - 1 + n), buildFrames(fr.slice(0, -1)).subarray(4),
    Buffer.concat(Array(n).fill(one)), buildFrames(fr.slice(-1)).subarray(4)]);
});

// 0x100 WASI
forge('wasi: the preopen not granted', 'refuse', () => {}, []);
forge('wasi: a preopen of the snapshot outside what is granted', 'refuse',
  (s) => editWasi(s, (w) => { w.preopens[0].guest = Buffer.from('/elsewhere'); }));
forge('wasi: preopen host /etc, trusted; files not there', 'refuse',
  (s) => editWasi(s, (w) => { w.preopens[0].host = Buffer.from('/etc'); }), ['--trust-snapshot-dirs']);
forge('wasi: preopen host /etc, granted elsewhere', 'restore',
  (s) => editWasi(s, (w) => { w.preopens[0].host = Buffer.from('/etc'); }));
forge('wasi: granted by the plain --dir form', 'restore',
  (s) => editWasi(s, (w) => { w.preopens[0].guest = Buffer.from('sb'); }), ['--dir', 'sb']);
forge('wasi: a path climbing out', 'refuse', (s) => editWasi(s, (w) => { fileFd(w).path = Buffer.from('../../etc/passwd'); }),
  ['--dir', 'sb::/sandbox']);
forge('wasi: an absolute path', 'refuse', (s) => editWasi(s, (w) => { fileFd(w).path = Buffer.from('/etc/passwd'); }));
forge('wasi: fd 65536', 'refuse', (s) => editWasi(s, (w) => { w.fds[w.fds.length - 1].fd = 65536; }));
forge('wasi: an fd twice', 'refuse', (s) => editWasi(s, (w) => { w.fds[w.fds.length - 1].fd = w.fds[w.fds.length - 2].fd; }));
forge('wasi: descriptor kind 5', 'refuse', (s) => editWasi(s, (w) => { fileFd(w).kind = 5; }));
forge('wasi: file type 9', 'refuse', (s) => editWasi(s, (w) => { fileFd(w).type = 9; }));
forge('wasi: rights beyond bit 29', 'refuse', (s) => editWasi(s, (w) => { fileFd(w).rb |= 1n << 40n; }));
forge('wasi: stdio stream 3', 'refuse', (s) => editWasi(s, (w) => { w.fds[0].ref = 3; }));
forge('wasi: a preopen index beyond the list', 'refuse', (s) => editWasi(s, (w) => { fileFd(w).ref = 7; }));
forge('wasi: an offset past the file', 'refuse', (s) => editWasi(s, (w) => { fileFd(w).offset = 1n << 40n; }));
forge('wasi: version 2', 'refuse', (s) => editWasi(s, (w) => { w.version = 2; }));
forge('wasi: a preopen host path not UTF-8, granted anew', 'restore',
  (s) => editWasi(s, (w) => { w.preopens[0].host = Buffer.from([0x2f, 0xc0, 0xaf, 0xff, 0x22]); }));
forge('wasi: arguments and environment not UTF-8', 'restore', (s) => editWasi(s, (w) => {
  w.args.push(Buffer.from([0xff, 0xfe, 0x22, 0x5c, 0x01]));
  w.env.push(Buffer.from([0x42, 0x3d, 0xc3, 0x28, 0xed, 0xa0, 0x80, 0xf4, 0x90, 0x80, 0x80]));
}));

// 0x101 monitors, 0x102 how the run started
forge('monitors: garbage', 'refuse', (s) => { sec(s, 0x101).data = Buffer.from('garbage'); });
forge('monitors with a frame that does not match', 'refuse', (s) => editFrames(s, (fr) => { inner(fr).ops.push({ type: 0x7f, bits: 0n }); }));
forge('run: an entry not UTF-8, with NUL and quotes', 'restore', (s) => { sec(s, 0x102).data = Buffer.from([0x22, 0xff, 0, 0x5c, 0x41]); });
forge('run: an entry of 100000 bytes', 'restore', (s) => { sec(s, 0x102).data = Buffer.alloc(100000, 0x41); });
forge('run: no such section', 'restore', (s) => { s.sections = s.sections.filter((x) => x.id !== 0x102); });

fs.rmSync(dir, { recursive: true, force: true });
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;

// tests/snapshot_mutate.mjs INRO SNAPSHOT COUNT [stdin] -- feed `inro
// restore` and `inro inspect` corrupted copies of a snapshot (fixed seed):
// truncations, bit flips, and changed length fields.  Each must end with
// exit status 0, 1 or (a restored program's own) 75/134, never a crash or
// a signal, and a refusal must be one line on stderr.  Every truncation,
// every changed length and every flip inside a checksummed payload (or
// its CRC) must be refused (status 1); a flip only in a header the CRC
// does not cover may be accepted.  With `stdin`, the copies go through
// standard input (`restore -`, `inspect -`), as a stream would; SNAPSHOT
// may then be a migration stream (PAGES sections).
// Prints "N passed, M failed".
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const [inro, snapPath, countArg, how] = process.argv.slice(2);
const viaStdin = how === 'stdin';
const good = fs.readFileSync(snapPath);
const count = Number(countArg || 1000);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'inro-mut-'));
let seed = 0x2545f4914f6cdd1dn;
const next = () => {           // xorshift64*
  seed ^= seed >> 12n; seed ^= (seed << 25n) & 0xffffffffffffffffn; seed ^= seed >> 27n;
  return Number(((seed * 0x2545f4914f6cdd1dn) & 0xffffffffffffffffn) >> 11n);
};
// Byte ranges covered by a CRC: each section's payload and the CRC itself.
const covered = [];
for (let pos = 16; pos + 16 <= good.length;) {
  const len = Number(good.readBigUInt64LE(pos + 8));
  covered.push([pos + 16, pos + 16 + len + 4]);
  pos += 16 + len + 4;
}
const inCovered = (at) => covered.some(([a, b]) => at >= a && at < b);
let passed = 0, failed = 0, refusals = 0;
for (let i = 0; i < count; i++) {
  let buf = Buffer.from(good);
  const kind = i % 3;
  if (kind === 0) {
    buf = buf.subarray(0, next() % buf.length);
  } else if (kind === 1) {
    for (let k = 1 + (next() % 4); k > 0; k--) buf[next() % buf.length] ^= 1 << (next() % 8);
  } else {
    // a section length: walk to a random section and scramble its u64
    let pos = 16, n = next() % 8;
    while (n-- > 0 && pos + 16 <= buf.length) {
      const len = Number(buf.readBigUInt64LE(pos + 8));
      if (pos + 16 + len + 4 > buf.length) break;
      pos += 16 + len + 4;
    }
    if (pos + 16 <= buf.length) buf.writeBigUInt64LE((BigInt(next()) * 4099n) & 0xffffffffffffffffn, pos + 8);
  }
  let mustRefuse;
  if (kind === 0) mustRefuse = true;
  else if (kind === 2) mustRefuse = !buf.equals(good);
  else mustRefuse = [...buf.keys()].some((k) => buf[k] !== good[k] && inCovered(k));
  if (mustRefuse) refusals++;
  const file = path.join(dir, 'm.snap');
  fs.writeFileSync(file, buf);
  const arg = viaStdin ? '-' : file;
  const cmd = i % 2 ? ['inspect', arg] : ['restore', arg];
  const r = spawnSync(inro, cmd, { cwd: dir, encoding: 'utf8', timeout: 60000,
                                   input: viaStdin ? buf : undefined });
  const lines = r.stderr.split('\n').filter((l) => l.length);
  const okStatus = (mustRefuse ? [1] : [0, 1, 75, 134]).includes(r.status) && r.signal === null;
  const okError = r.status !== 1 || lines.length === 1;
  if (okStatus && okError) passed++;
  else {
    failed++;
    if (failed <= 5) console.log(`FAIL case ${i} (${cmd[0]}${mustRefuse ? ', must be refused' : ''}): status ${r.status} signal ${r.signal}: ${lines.slice(0, 3).join(' | ')}`);
  }
}
fs.rmSync(dir, { recursive: true, force: true });
console.log(`${refusals} of ${count} cases had to be refused`);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;

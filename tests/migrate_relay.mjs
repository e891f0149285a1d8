// tests/migrate_relay.mjs PORTFILE TARGET MODE [K] -- a TCP relay between
// a migrating `inro run --migrate-to` and an `inro listen` on port TARGET
// of 127.0.0.1, which breaks the migration on purpose (tests/migrate.sh).
// It listens on a free port, written to PORTFILE, accepts one connection,
// and follows the stream's sections as they pass (docs/snapshot-format.md):
//
//   count        relay everything, both ways
//   cut-after K  close both connections once section K (1: the first
//                after the header) has passed
//   cut-inside K close both in the middle of section K's payload
//   no-answer    relay the stream, never the receiver's answer; close the
//                source's connection once the stream is complete
//
// Prints "sections N" (how many it saw) when both connections are closed,
// then "cut" if it cut the stream, "whole" if the stream passed whole.
import net from 'node:net';
import fs from 'node:fs';

const [portFile, target, mode, kArg] = process.argv.slice(2);
const k = Number(kArg || 0);

const server = net.createServer((src) => {
  server.close();
  const dst = net.connect(Number(target), '127.0.0.1');
  const chunks = [];
  let have = 0;          // bytes received from the source
  let sent = 0;          // bytes passed on to the receiver
  let next = 16;         // stream offset of the next section header
  let cut = Infinity;    // where the relay stops
  let complete = false;  // the END section has passed
  let sections = 0, closed = 0, stopping = false;
  let stream = Buffer.alloc(0);

  const shut = () => {
    src.destroy();
    dst.destroy();
  };
  const onData = (d) => {
    chunks.push(d);
    have += d.length;
    stream = Buffer.concat(chunks);
    chunks.length = 0;
    chunks.push(stream);
    while (!complete && cut === Infinity && next + 16 <= have) {
      const id = stream.readUInt32LE(next);
      const len = Number(stream.readBigUInt64LE(next + 8));
      sections++;
      if (sections === k && mode === 'cut-after') cut = next + 16 + len + 4;
      if (sections === k && mode === 'cut-inside') cut = next + 16 + Math.floor(len / 2);
      next += 16 + len + 4;
      if (id === 0) complete = true;
    }
    const upto = Math.min(have, next, cut);
    if (upto > sent) {
      dst.write(stream.subarray(sent, upto));
      sent = upto;
    }
    if (sent === cut && !stopping) {
      stopping = true;
      dst.end(() => setTimeout(shut, 20));
    }
    if (complete && sent === next && mode === 'no-answer' && !stopping) {
      stopping = true;
      setTimeout(() => src.destroy(), 20);
    }
  };
  src.on('data', onData);
  dst.on('data', (d) => {
    if (mode !== 'no-answer' && sent !== cut) src.write(d);
  });
  const onClose = () => {
    const whole = complete && sent >= next;
    if (++closed === 2) console.log(`sections ${sections}\n${whole ? 'whole' : 'cut'}`);
    else if (closed === 1) setTimeout(shut, 20000).unref(); /* never hang */
  };
  src.on('close', () => {
    if (sent !== cut) dst.end();
    onClose();
  });
  dst.on('close', () => {
    src.end();
    onClose();
  });
  src.on('error', () => {});
  dst.on('error', () => {});
});
server.listen(0, '127.0.0.1', () => {
  fs.writeFileSync(`${portFile}.tmp`, `${server.address().port}\n`);
  fs.renameSync(`${portFile}.tmp`, portFile);
});

// control.mjs -- the --control file of a run, shared between the page and
// the worker that runs inro.wasm.
//
// inro reads its control file (`inro run --control FILE`, lines such as
// "on coverage", "off profile", "checkpoint") by looking at its size every
// 4096 safe points and reading the lines appended since.  In the page the
// worker is busy inside one synchronous call to inro.wasm for the whole
// run, so it never sees a message the page posts.  The file's bytes
// therefore live in a SharedArrayBuffer: the page appends to it
// (ControlWriter) and the worker's in-memory file system serves it to
// inro.wasm as a read-only file (ControlFile) whose contents are whatever
// the page has written so far.  A SharedArrayBuffer needs a cross-origin
// isolated page (tools/web-serve.mjs sends the headers).
//
// Layout: Int32 [0] = number of bytes written, then the bytes from
// offset 8.  The writer stores the bytes first and then the length with
// Atomics.store, the reader loads the length with Atomics.load: a reader
// never sees a length whose bytes are not there yet.
import { Inode, OpenFile, wasi } from '@bjorn3/browser_wasi_shim';

const HEADER = 8;
const CONTROL_BYTES = 64 * 1024;

export function newControlBuffer() {
  return new SharedArrayBuffer(HEADER + CONTROL_BYTES);
}

// The page's side: append whole lines.
export class ControlWriter {
  constructor(sab) {
    this.length = new Int32Array(sab, 0, 1);
    this.bytes = new Uint8Array(sab, HEADER);
  }

  // Append lines (each gets its '\n') in one step, so that inro reads them
  // at the same safe point.  Returns false when the buffer is full.
  append(lines) {
    const text = new TextEncoder().encode(lines.map((l) => `${l}\n`).join(''));
    const at = Atomics.load(this.length, 0);
    if (at + text.length > this.bytes.length) return false;
    this.bytes.set(text, at);
    Atomics.store(this.length, 0, at + text.length);
    return true;
  }
}

// The worker's side: a read-only file of browser_wasi_shim's in-memory
// file system.  OpenFile only uses `data`, `size` and `readonly`.
export class ControlFile extends Inode {
  constructor(sab) {
    super();
    this.length = new Int32Array(sab, 0, 1);
    this.bytes = new Uint8Array(sab, HEADER);
    this.readonly = true;
  }

  // A copy: Uint8Array.set and TextDecoder refuse shared memory in places.
  get data() {
    return this.bytes.slice(0, Atomics.load(this.length, 0));
  }

  get size() {
    return BigInt(Atomics.load(this.length, 0));
  }

  path_open(oflags, rightsBase) {
    if ((oflags & wasi.OFLAGS_TRUNC) ||
        (rightsBase & BigInt(wasi.RIGHTS_FD_WRITE)))
      return { ret: wasi.ERRNO_PERM, fd_obj: null };
    return { ret: wasi.ERRNO_SUCCESS, fd_obj: new OpenFile(this) };
  }

  stat() {
    return new wasi.Filestat(this.ino, wasi.FILETYPE_REGULAR_FILE, this.size);
  }
}

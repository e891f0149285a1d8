// inro-host.mjs -- run build/inro.wasm on browser_wasi_shim, with two
// in-memory directories:
//
//   /files   the user's files: the guest sees it as its `--dir`, and
//            relative paths start there (PWD=/files);
//   /inro    inro's own files: the guest module, the control file, the
//            snapshots and the monitors' report.
//
// No DOM here: the page's worker (worker.mjs) and node (the tests) use it.
// One call runs one inro command (`run`, `restore`, `inspect`) to the end,
// synchronously.
import {
  WASI, File, Directory, PreopenDirectory, ConsoleStdout, OpenFile,
} from '@bjorn3/browser_wasi_shim';
import { ControlFile } from './control.mjs';
import { FILES, INRO, SNAPSHOT, CONTROL } from './paths.mjs';

// A Directory's contents from {"a/b": bytes}: nested names make
// subdirectories, and a name ending in "/" an empty one.
function toDirectory(files) {
  const root = new Map();
  for (const [name, bytes] of Object.entries(files)) {
    const parts = name.split('/');
    let dir = root;
    for (const part of parts.slice(0, -1)) {
      if (!dir.has(part)) dir.set(part, new Directory(new Map()));
      dir = dir.get(part).contents;
    }
    if (parts.at(-1) !== '') dir.set(parts.at(-1), new File(bytes));
  }
  return root;
}

// {"a/b": bytes} from a Directory's contents (copies).
function fromDirectory(contents, prefix = '', out = {}) {
  for (const [name, entry] of contents) {
    if (entry instanceof Directory) {
      if (entry.contents.size === 0) out[`${prefix}${name}/`] = new Uint8Array(0);
      fromDirectory(entry.contents, `${prefix}${name}/`, out);
    } else if (entry instanceof File) out[prefix + name] = new Uint8Array(entry.data);
  }
  return out;
}

// Runs `inro ARGS...`.  files and inroFiles are {name: Uint8Array}; control
// is the SharedArrayBuffer of control.mjs or null (then /inro/control does
// not exist).  onOutput(fd, bytes) gets stdout (1) and stderr (2) as
// written; onSnapshot(bytes, files) is called each time inro has written
// a checkpoint to /inro/snapshot, with a copy of /files at that moment
// (the files a restore needs).  Returns {status, files, inroFiles}; throws
// if inro.wasm itself fails (a trap in inro is a bug in inro).
export function runInro({ module, args, files = {}, inroFiles = {}, control = null,
                          onOutput = () => {}, onSnapshot = () => {} }) {
  const filesDir = new PreopenDirectory(FILES, toDirectory(files));
  const inroContents = toDirectory(inroFiles);
  if (control) inroContents.set(CONTROL, new ControlFile(control));
  const inroDir = new PreopenDirectory(INRO, inroContents);
  const fds = [
    new OpenFile(new File([])),                       // stdin: empty
    new ConsoleStdout((bytes) => onOutput(1, bytes)),
    new ConsoleStdout((bytes) => onOutput(2, bytes)),
    filesDir,
    inroDir,
  ];
  const wasi = new WASI(['inro', ...args], [`PWD=${FILES}`], fds, { debug: false });
  // A checkpoint is written to SNAPSHOT.tmp and renamed (atomically, as on
  // every host): the rename is the moment the snapshot is complete.
  const rename = wasi.wasiImport.path_rename;
  const decoder = new TextDecoder();
  wasi.wasiImport.path_rename = (fd, oldPtr, oldLen, newFd, newPtr, newLen) => {
    const ret = rename(fd, oldPtr, oldLen, newFd, newPtr, newLen);
    const mem = new Uint8Array(wasi.inst.exports.memory.buffer);
    const name = decoder.decode(mem.slice(newPtr, newPtr + newLen));
    if (ret === 0 && fds[newFd] === inroDir && name === SNAPSHOT) {
      const snap = inroDir.dir.contents.get(SNAPSHOT);
      onSnapshot(new Uint8Array(snap.data), fromDirectory(filesDir.dir.contents));
    }
    return ret;
  };
  const instance = new WebAssembly.Instance(module, {
    wasi_snapshot_preview1: wasi.wasiImport,
  });
  const status = wasi.start(instance);
  return {
    status,
    files: fromDirectory(filesDir.dir.contents),
    inroFiles: fromDirectory(inroDir.dir.contents),
  };
}

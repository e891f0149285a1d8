// worker.mjs -- the page's worker: runs one inro command on inro.wasm
// (inro-host.mjs) and reports to the page as it goes.
//
//   page -> worker  {module, args, files, inroFiles, control}
//   worker -> page  {type: 'output', fd, bytes}       stdout / stderr
//                   {type: 'snapshot', bytes, files}   a checkpoint was written
//                   {type: 'exit', status, files, inroFiles, ms}
//                   {type: 'failed', message}          inro.wasm itself failed
//
// The run is one synchronous call, so the worker reads no message while it
// lasts: the page switches monitors and asks for checkpoints through the
// shared control file (control.mjs), and stops a run by terminating the
// worker.
import { runInro } from './inro-host.mjs';

self.onmessage = ({ data }) => {
  const started = performance.now();
  try {
    const result = runInro({
      ...data,
      // A copy: the WASI layer reads the length of its own buffer after
      // the write (a transferred buffer would say 0 bytes were written).
      onOutput: (fd, bytes) => self.postMessage({ type: 'output', fd, bytes: bytes.slice() }),
      onSnapshot: (bytes, files) => self.postMessage({ type: 'snapshot', bytes, files }),
    });
    self.postMessage({ type: 'exit', ...result, ms: performance.now() - started });
  } catch (e) {
    self.postMessage({ type: 'failed', message: `inro.wasm: ${e && e.message ? e.message : e}` });
  }
};

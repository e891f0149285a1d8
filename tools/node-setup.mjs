// node-setup.mjs -- the node set-up that tools/inro-node.mjs and
// tools/node-wasi-run.mjs share: V8 flags, then node:wasi.
import v8 from 'node:v8';

// Sets the V8 `flags` (by default `--no-turbo-fast-api-calls`), keeps
// node:wasi's ExperimentalWarning off stderr (which belongs to the program
// being run), and only then imports node:wasi; returns its WASI class.
//
// node's WASI functions are V8 "fast API calls", and they report their
// allocations to V8, which may then collect garbage in the middle of the
// call, where it must not: with a large linear memory (a guest that
// allocates tens of MiB) node aborts or crashes at random
// (nodejs/node#46777, still open).  Ordinary calls are safe.
export const FAST_API_WORKAROUND = '--no-turbo-fast-api-calls';
export async function loadWasi(flags = [FAST_API_WORKAROUND]) {
  for (const flag of flags) v8.setFlagsFromString(flag);
  const emitWarning = process.emitWarning;
  process.emitWarning = (warning, ...rest) => {
    const type = typeof rest[0] === 'string' ? rest[0] : rest[0]?.type;
    if (type === 'ExperimentalWarning' && /WASI/.test(String(warning))) return;
    emitWarning.call(process, warning, ...rest);
  };
  return (await import('node:wasi')).WASI;
}

// paths.mjs -- where things are in the file system inro.wasm sees in the
// page (inro-host.mjs sets it up).
export const FILES = '/files';       // the user's files; the guest's --dir
export const INRO = '/inro';         // inro's: guest module, control, snapshots
export const SNAPSHOT = 'snapshot';  // in INRO: where checkpoints are written
export const CONTROL = 'control';    // in INRO: the --control file
export const MONITORS = 'monitors.json';

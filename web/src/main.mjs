// main.mjs -- the page: runs the self-hosted inro (inro.wasm) in a worker
// (worker.mjs, bundled as worker.js) on a program the user picks, shows its
// output and files, switches monitors and takes checkpoints while it runs
// (through the shared control file, control.mjs), restores snapshots from
// any host, and shows the monitors' reports (report.mjs).
//
// The state a run works on: the files of /files (kept here between runs),
// the guest module, and the last snapshot taken.  Each command runs in a
// fresh worker, so "Stop" can end a run by terminating it.
import { ControlWriter, newControlBuffer } from './control.mjs';
import { FILES, INRO, SNAPSHOT, CONTROL, MONITORS } from './paths.mjs';
import { showReport } from './report.mjs';

const $ = (id) => document.getElementById(id);
const MONITOR_NAMES = ['count', 'calls', 'coverage', 'memory', 'profile', 'branches'];
const SHOWN = 256 * 1024;       // characters of stdout / stderr shown

const state = {
  module: null,                 // inro.wasm, compiled once
  guest: null,                  // {name, bytes}
  files: {},                    // /files: {name: Uint8Array}
  run: null,                    // the live run: {worker, control, finish}
  live: globalThis.crossOriginIsolated === true,
};

// ------------------------------------------------------------ helpers

function setState(name, text) {
  document.body.dataset.state = name;
  if (text !== undefined) $('status').textContent = text;
}

// Words of an option or argument field: whitespace separates, "..." and
// '...' quote.
function words(text) {
  const out = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  let m;
  while ((m = re.exec(text))) out.push(m[1] ?? m[2] ?? m[3]);
  return out;
}

function blobLink(a, bytes, name, type = 'application/octet-stream') {
  if (a.href) URL.revokeObjectURL(a.href);
  a.href = URL.createObjectURL(new Blob([bytes], { type }));
  a.download = name;
}

function sizeText(n) {
  return n < 10240 ? `${n} bytes` : `${(n / 1024).toFixed(1)} KiB`;
}

function quote(w) {
  return /^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, "'\\''")}'`;
}

// ------------------------------------------------------------ output

class Pane {
  constructor(pre, save, name) {
    this.pre = pre;
    this.save = save;
    this.name = name;
    this.clear();
  }

  clear() {
    this.chunks = [];
    this.bytes = 0;
    this.decoder = new TextDecoder();
    this.text = '';
    this.pre.textContent = '';
    this.save.removeAttribute('href');
    this.save.textContent = '';
  }

  add(bytes) {
    this.chunks.push(bytes);
    this.bytes += bytes.length;
    if (this.text.length < SHOWN) {
      this.text += this.decoder.decode(bytes, { stream: true });
      this.pre.textContent = this.text.length > SHOWN
        ? `${this.text.slice(0, SHOWN)}\n[... more in the saved file]` : this.text;
    }
  }

  // The raw bytes become a download once the run is over.
  done() {
    blobLink(this.save, new Blob(this.chunks), this.name);
    this.save.textContent = `save ${this.name} (${sizeText(this.bytes)})`;
  }
}

const panes = {};

// ------------------------------------------------------------ files

// A P4 (binary) PBM as an image: the Mandelbrot example writes one.
function pbmCanvas(bytes) {
  const head = new TextDecoder().decode(bytes.subarray(0, 64));
  const m = /^P4\s+(\d+)\s+(\d+)\s/.exec(head);
  if (!m) return null;
  const [w, h] = [Number(m[1]), Number(m[2])];
  const start = m[0].length, row = Math.ceil(w / 8);
  const canvas = document.createElement('canvas');
  canvas.width = w;
  canvas.height = h;
  const ctx = canvas.getContext('2d');
  const img = ctx.createImageData(w, h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const at = start + y * row + (x >> 3);
      const written = at < bytes.length;
      const black = written && (bytes[at] & (0x80 >> (x & 7)));
      const p = (y * w + x) * 4;
      const v = black ? 0 : written ? 255 : 221;  // grey: not written yet
      img.data.set([v, v, v, 255], p);
    }
  ctx.putImageData(img, 0, 0);
  return canvas;
}

function fileRows(files, table, kind) {
  table.replaceChildren();
  for (const [name, bytes] of Object.entries(files).sort()) {
    if (name.endsWith('/')) continue;
    const a = document.createElement('a');
    a.textContent = 'download';
    a.dataset[kind] = name;
    blobLink(a, bytes, name.split('/').at(-1));
    const tr = document.createElement('tr');
    for (const text of [name, sizeText(bytes.length)]) {
      const td = document.createElement('td');
      td.textContent = text;
      tr.append(td);
    }
    const td = document.createElement('td');
    td.append(a);
    tr.append(td);
    table.append(tr);
  }
}

function showFiles() {
  fileRows(state.files, $('files'), 'file');
  const preview = $('preview');
  preview.replaceChildren();
  for (const [name, bytes] of Object.entries(state.files))
    if (name.endsWith('.pbm')) {
      const canvas = pbmCanvas(bytes);
      if (canvas) preview.append(canvas);
    }
}

async function addFiles(list) {
  for (const f of list) state.files[f.name] = new Uint8Array(await f.arrayBuffer());
  showFiles();
}

// ------------------------------------------------------------ runs

function showSnapshot({ bytes, files }) {
  const a = $('snapshot-link');
  blobLink(a, bytes, 'inro.snapshot');
  a.textContent = `download the snapshot (${sizeText(bytes.length)})`;
  $('snapshot-time').textContent = `taken at ${new Date().toLocaleTimeString()}`;
  fileRows(files, $('snapshot-files'), 'snapfile');
  $('snapshot').hidden = false;
}

// Run `inro ARGS...` in a new worker with inroFiles in /inro; output goes
// to the panes unless quiet.  Resolves with the worker's last message.
function start(args, inroFiles, { quiet = false, live = false } = {}) {
  const worker = new Worker('worker.js');
  const control = live ? newControlBuffer() : null;
  const out = { 1: [], 2: [] };
  return new Promise((resolve) => {
    const finish = (result) => {
      worker.terminate();
      if (state.run && state.run.worker === worker) state.run = null;
      result.out = out;
      resolve(result);
    };
    if (!quiet) state.run = { worker, control: control && new ControlWriter(control), finish };
    worker.onmessage = ({ data }) => {
      if (data.type === 'output') {
        out[data.fd].push(data.bytes);
        if (!quiet) panes[data.fd].add(data.bytes);
      } else if (data.type === 'snapshot') {
        showSnapshot(data);
      } else {
        finish(data);
      }
    };
    worker.onerror = (e) => finish({ type: 'failed', message: e.message || 'the worker failed' });
    worker.postMessage({ module: state.module, args, files: state.files, inroFiles, control });
  });
}

function concat(chunks) {
  const all = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.length;
  }
  return all;
}

// Options every run and restore gets: live control, reports, snapshots.
// (`inro run` takes --monitor-out only with --monitor or --control.)
function commonOptions(reports = true) {
  const args = [];
  if (state.live) args.push('--control', `${INRO}/${CONTROL}`);
  if (state.live || reports) args.push('--monitor-out', `${INRO}/${MONITORS}`);
  args.push('--snapshot', `${INRO}/${SNAPSHOT}`);
  if ($('continue').checked) args.push('--checkpoint-continue');
  return args.concat(words($('options').value));
}

function checkedMonitors() {
  return MONITOR_NAMES.filter((n) => $(`monitor-${n}`).checked);
}

async function execute(args, inroFiles) {
  for (const p of Object.values(panes)) p.clear();
  $('report').replaceChildren();
  $('command').textContent = ['inro', ...args].map(quote).join(' ');
  const began = performance.now();
  setState('running', 'running…');
  const tick = setInterval(() => {
    $('status').textContent = `running… ${((performance.now() - began) / 1000).toFixed(1)} s`;
  }, 200);
  setButtons(true);
  const result = await start(args, inroFiles, { live: state.live });
  clearInterval(tick);
  setButtons(false);
  for (const p of Object.values(panes)) p.done();
  const status = $('status');
  if (result.type === 'exit') {
    state.files = result.files;
    showFiles();
    const json = result.inroFiles[MONITORS];
    if (json) {
      const text = new TextDecoder().decode(json);
      showReport(text, $('report'));
      const a = document.createElement('a');
      blobLink(a, json, MONITORS, 'application/json');
      a.textContent = `download ${MONITORS}`;
      a.id = 'monitors-link';
      $('report').prepend(a);
    }
    const secs = (result.ms / 1000).toFixed(2);
    const how = result.status === 75 ? 'stopped after a checkpoint (exit status 75)'
      : `exited with status ${result.status}`;
    status.dataset.exit = String(result.status);
    status.dataset.ms = String(result.ms);       // for bench/browser.mjs
    setState('done', `${how}, ${secs} s`);
  } else {
    status.dataset.exit = '';
    setState('done', result.type === 'stopped' ? 'stopped; the files are as before the run'
      : result.message);
  }
  return result;
}

function setButtons(running) {
  $('run').disabled = running;
  $('restore').disabled = running;
  $('stop').disabled = !running;
  $('checkpoint').disabled = !running || !state.live;
  $('control-send').disabled = !running || !state.live;
}

async function runProgram() {
  const { name, bytes } = state.guest;
  const args = ['run', '--dir', `${FILES}::.`];
  const monitors = checkedMonitors();
  for (const m of monitors) args.push('--monitor', m);
  args.push(...commonOptions(monitors.length > 0), `${INRO}/${name}`, ...words($('args').value));
  return execute(args, { [name]: bytes });
}

// A snapshot from any host: `inro inspect --json` tells its preopened
// directories, which the restore maps into /files (the first one is
// /files itself).  The files it had open must be in /files already.
async function restoreSnapshot() {
  const file = $('snapshot-file').files[0];
  if (!file) {
    setState('done', 'choose a snapshot file first');
    return null;
  }
  const snap = new Uint8Array(await file.arrayBuffer());
  const where = `${INRO}/restore.snapshot`;
  const inspected = await start(['inspect', '--json', where], { 'restore.snapshot': snap }, { quiet: true });
  if (inspected.type !== 'exit' || inspected.status !== 0) {
    for (const p of Object.values(panes)) p.clear();
    panes[2].add(concat(inspected.out[2]));
    setState('done', `${file.name}: not a snapshot inro can restore`);
    return inspected;
  }
  const info = JSON.parse(new TextDecoder().decode(concat(inspected.out[1])));
  const args = ['restore'];
  info.wasi.preopens.forEach((p, i) => {
    if (i > 0 && !(`preopen${i}/` in state.files)) state.files[`preopen${i}/`] = new Uint8Array(0);
    args.push('--dir', `${i === 0 ? FILES : `${FILES}/preopen${i}`}::${p.guest}`);
  });
  args.push(...commonOptions(), where);
  return execute(args, { 'restore.snapshot': snap });
}

function control(lines) {
  if (!state.run || !state.run.control) return false;
  return state.run.control.append(lines);
}

// ------------------------------------------------------------ set-up

async function init() {
  panes[1] = new Pane($('stdout'), $('stdout-save'), 'stdout');
  panes[2] = new Pane($('stderr'), $('stderr-save'), 'stderr');
  for (const name of MONITOR_NAMES) {
    const label = document.createElement('label');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.id = `monitor-${name}`;
    box.addEventListener('change', () => control([`${box.checked ? 'on' : 'off'} ${name}`]));
    label.append(box, ` ${name}`);
    $('monitors').append(label);
  }
  if (!state.live)
    $('no-live').hidden = false;
  $('run').onclick = runProgram;
  $('restore').onclick = restoreSnapshot;
  $('stop').onclick = () => state.run && state.run.finish({ type: 'stopped' });
  $('checkpoint').onclick = () => control(['checkpoint']);
  $('control-form').onsubmit = (e) => {
    e.preventDefault();
    const lines = $('control-line').value.split(';').map((l) => l.trim()).filter(Boolean);
    if (lines.length && control(lines)) $('control-line').value = '';
  };
  $('module-file').onchange = async () => {
    const f = $('module-file').files[0];
    if (!f) return;
    state.guest = { name: f.name.replace(/[^\w.-]/g, '_'), bytes: new Uint8Array(await f.arrayBuffer()) };
    $('module-name').textContent = `${state.guest.name} (${sizeText(f.size)})`;
    $('args').value = '';
  };
  $('add-files').onchange = () => addFiles($('add-files').files);
  setButtons(false);
  $('run').disabled = true;
  $('restore').disabled = true;
  const [inro, example] = await Promise.all([fetch('inro.wasm'), fetch('mandelbrot.wasm')]);
  if (!inro.ok || !example.ok) throw new Error('inro.wasm or mandelbrot.wasm is missing (make web)');
  state.module = await WebAssembly.compile(await inro.arrayBuffer());
  state.guest = { name: 'mandelbrot.wasm', bytes: new Uint8Array(await example.arrayBuffer()) };
  $('module-name').textContent = `mandelbrot.wasm, the bundled example (${sizeText(state.guest.bytes.length)})`;
  setButtons(false);
  setState('ready', 'ready');
}

init().catch((e) => setState('failed', `could not start: ${e.message}`));

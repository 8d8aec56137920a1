#!/usr/bin/env node
// `npm start`: installs what is missing, builds, and runs the whole system on embedded defaults.
// It supervises: a local nats-server with JetStream (unless NATS_URL is set), the hub, and the adapters,
// each only once its package exists. It says what it started and what it did not. Ctrl-C stops all.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDeps } from './ensure-deps.mjs';
import { ensureDebianPackages } from './system-deps.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = resolve(process.env.LEDGER_DATA_DIR ?? join(root, '.data'));
const children = [];
let stopping = false;

function build() {
  const r = spawnSync(join(root, 'node_modules', '.bin', 'lerna'), ['run', 'build'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NX_DAEMON: 'false' },
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

/** testkit's build (servers and process helpers), once `build()` has made it. */
function testkit() {
  return createRequire(import.meta.url)(join(root, 'testkit', 'dist', 'index.js'));
}

async function startNats() {
  if (process.env.NATS_URL) return { url: process.env.NATS_URL, started: false };
  ensureDebianPackages([
    { binary: 'nats-server', pkg: 'nats-server', why: 'local NATS JetStream for ingest' },
  ]);
  const { startNatsServer } = testkit();
  const storeDir = join(dataDir, 'nats');
  mkdirSync(storeDir, { recursive: true });
  const server = await startNatsServer({ storeDir, keepStoreDir: true, preferredPort: 4222 });
  children.push({ name: 'nats-server', stop: () => server.stop() });
  return { url: server.url, started: true };
}

function startService(name, script, env) {
  if (!existsSync(script)) return false;
  const child = spawn(process.execPath, [script], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`[start] ${name} exited (${signal ?? code}); stopping everything`);
      void shutdown(1);
    }
  });
  children.push({
    name,
    stop: () =>
      new Promise((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  });
  return true;
}

async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  console.log('\n[start] stopping…');
  for (const child of [...children].reverse()) {
    await child.stop();
    console.log(`[start] stopped ${child.name}`);
  }
  process.exit(code);
}

ensureDeps();
build();
mkdirSync(dataDir, { recursive: true });
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
// `npm start` runs this under `sh -c`: a SIGTERM sent to npm (a supervisor, `timeout`) kills npm and the shell,
// which does not pass it on, and this process would go on alone with every service (see testkit's
// parent-watch.ts). Output may have gone with the parent too: a closed pipe must not stop the shutdown.
testkit().whenOrphaned(() => void shutdown(0));
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);

const nats = await startNats();
const env = { LEDGER_DATA_DIR: dataDir, NATS_URL: nats.url };
const started = [
  nats.started
    ? `nats-server (JetStream) at ${nats.url}, store ${join(dataDir, 'nats')}`
    : `using NATS at ${nats.url}`,
];
const missing = [];
(startService('hub', join(root, 'hub', 'dist', 'main.js'), env) ? started : missing).push(
  'hub (API and explorer)',
);
(startService('adapters', join(root, 'adapters', 'dist', 'main.js'), env) ? started : missing).push(
  'adapters with simulators',
);
console.log(`[start] data dir: ${dataDir}`);
for (const s of started) console.log(`[start] started: ${s}`);
for (const m of missing) console.log(`[start] not started, not built yet: ${m}`);
console.log('[start] Ctrl-C stops everything.');

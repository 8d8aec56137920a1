#!/usr/bin/env node
// `npm start`: installs what is missing, builds what changed, and runs the whole system on embedded defaults.
// It supervises a local nats-server with JetStream (unless NATS_URL is set), the hub and the adapters, each
// once its package is built: a service that dies is logged and restarted with backoff, the others go on.
// It runs one transparency-log witness per region too (BJ, TJ, HE; `ledger witness`, each with its own data dir
// under <data>/witness/<region>/), and gives the hub, which operates Beijing's log, Tianjin's and Hebei's.
// The adapters run every region's simulated legacy systems (Beijing's four, Tianjin's and Hebei's three: see
// adapters/src/simulated-systems.ts), and `ledger authority-sim` plays the three regions' recognition
// authorities through the hub's API (requests, EIP-712 decisions, a Beijing revocation reaching the others).
// On embedded defaults it runs a local EVM node (anvil, from the npm package @foundry-rs/anvil; its state in
// <data>/anvil/state.json) to which the hub anchors its cosigned checkpoints (LEDGER_ANCHOR_RPC overrides it).
// When everything is up it prints what runs where and how to get a token for each role. Ctrl-C stops all.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDeps } from './ensure-deps.mjs';
import { ensureDebianPackages } from './system-deps.mjs';
import { choosePort, natsServerSpec, Service, tcpReady } from './supervisor.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const defaultDataDir = join(root, '.data');
const dataDir = resolve(process.env.LEDGER_DATA_DIR ?? defaultDataDir);
const services = [];
let stopping = false;
const log = (line) => console.log(`[start] ${line}`);
/** The adapter instances of every region (`drc-csv`, `drc-csv-tj`, ...), from the adapters' own list once built. */
function adapterInstances() {
  const systems = join(root, 'adapters', 'dist', 'simulated-systems.js');
  if (!existsSync(systems)) return ['hc-mysql', 'drc-csv', 'eia-soap', 'credit-webhook'];
  return createRequire(import.meta.url)(systems).SIMULATED_SYSTEMS.map((s) => s.instance);
}
/** A witness per region (C2SP tlog-witness), on these ports when free; the hub operates Beijing's log. */
const WITNESS_REGIONS = [
  ['BJ', 7401],
  ['TJ', 7402],
  ['HE', 7403],
];
const LOG_REGION = 'BJ';
const ledgerCli = join(root, 'hub', 'dist', 'cli', 'ledger.js');
/** Where each adapter says it serves /healthz (adapters/src/core/adapter-runtime-file.ts). */
const adapterRuntimeFile = (name) => join(dataDir, 'adapters', `${name}.runtime.json`);

/** Builds the packages whose sources changed (nx's cache in .nx/ restores the rest in seconds). */
function build() {
  const r = spawnSync(join(root, 'node_modules', '.bin', 'lerna'), ['run', 'build'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NX_DAEMON: 'false' },
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  log('stopping…');
  for (const service of [...services].reverse()) {
    await service.stop();
    log(`stopped ${service.name}`);
  }
  process.exit(code);
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Waits until `probe()` gives a value (or `ms` pass, then undefined). */
async function waitFor(probe, ms) {
  const until = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined || Date.now() > until || stopping) return value;
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function startNats() {
  if (process.env.NATS_URL)
    return { url: process.env.NATS_URL, line: `NATS       ${process.env.NATS_URL} (NATS_URL)` };
  ensureDebianPackages([
    { binary: 'nats-server', pkg: 'nats-server', why: 'local NATS JetStream for ingest' },
  ]);
  const storeDir = join(dataDir, 'nats');
  mkdirSync(storeDir, { recursive: true });
  // The same port on every restart, so that the hub and the adapters reconnect to it.
  const port = await choosePort(Number(process.env.NATS_PORT ?? 4222));
  const nats = new Service({ name: 'nats-server', ...natsServerSpec({ port, storeDir }), log });
  services.push(nats);
  await nats.start();
  await nats.ready;
  const url = `nats://127.0.0.1:${port}`;
  return { url, line: `NATS       ${url} (JetStream, store ${storeDir})` };
}

function startNode(name, script, env) {
  if (!existsSync(script)) return undefined;
  const service = new Service({ name, command: process.execPath, args: [script], env, cwd: root, log });
  services.push(service);
  void service.start();
  return service;
}

/** A supervised `ledger <args>` process (undefined while the hub's CLI is not built). */
function startCli(name, args, env) {
  if (!existsSync(ledgerCli)) return undefined;
  const service = new Service({
    name,
    command: process.execPath,
    args: [ledgerCli, ...args],
    env,
    cwd: root,
    log,
  });
  services.push(service);
  void service.start();
  return service;
}

/**
 * The transparency log's witnesses: `ledger tlog keys` makes (first time) and prints the log key and each
 * region's witness key in the data dir; each witness runs as its own supervised process with its own
 * directory (`<data>/witness/<region>/`) pinning the log's key. Returns the hub's LEDGER_WITNESSES (the
 * witnesses of the regions other than the log's) and the banner lines.
 */
async function startWitnesses(env) {
  if (!existsSync(ledgerCli)) return { hubEnv: {}, lines: [] };
  const keys = spawnSync(
    process.execPath,
    [
      ledgerCli,
      'tlog',
      'keys',
      '--log-region',
      LOG_REGION,
      '--witnesses',
      WITNESS_REGIONS.map(([r]) => r).join(','),
      '--json',
    ],
    { cwd: root, env, encoding: 'utf8' },
  );
  if (keys.status !== 0) {
    log(`could not make the transparency-log keys: ${keys.stderr.trim()}`);
    return { hubEnv: {}, lines: [] };
  }
  const { log: logKey, witnesses } = JSON.parse(keys.stdout);
  const entries = [];
  const lines = [];
  for (const [region, preferred] of WITNESS_REGIONS) {
    const { vkey, dir } = witnesses.find((w) => w.region === region);
    const port = await choosePort(preferred);
    const args = [
      ledgerCli,
      'witness',
      '--region',
      region,
      '--port',
      String(port),
      '--dir',
      dir,
      '--log',
      logKey.vkey,
    ];
    const service = new Service({
      name: `witness-${region}`,
      command: process.execPath,
      args,
      env,
      cwd: root,
      log,
      stdio: ['ignore', 'ignore', 'inherit'],
      readyProbe: () => tcpReady(port),
    });
    services.push(service);
    await service.start();
    const url = `http://127.0.0.1:${port}`;
    if (region !== LOG_REGION) entries.push(`${region} ${url} ${vkey}`);
    const role =
      region === LOG_REGION
        ? "(the log's own region: cosigns other regions' logs)"
        : `(cosigns ${LOG_REGION}'s checkpoints)`;
    lines.push(`  witness ${region} ${url} ${role}`);
  }
  return { hubEnv: { LEDGER_WITNESSES: entries.join(', '), LEDGER_LOG_REGION: LOG_REGION }, lines };
}

/** The EVM node the hub anchors checkpoints to: anvil with its state in the data dir, unless configured. */
async function startEvmNode() {
  if (process.env.LEDGER_ANCHOR === 'off') return { hubEnv: {}, line: 'anchoring  off (LEDGER_ANCHOR=off)' };
  const rpc = process.env.LEDGER_ANCHOR_RPC;
  if (rpc) return { hubEnv: {}, anchoring: true, line: `EVM        ${rpc} (LEDGER_ANCHOR_RPC)` };
  const testkit = createRequire(import.meta.url)(join(root, 'testkit', 'dist', 'index.js'));
  let command;
  try {
    command = testkit.anvilBinary();
  } catch (error) {
    return { hubEnv: {}, line: `anchoring  off: ${error.message}` };
  }
  const stateFile = join(dataDir, 'anvil', 'state.json');
  mkdirSync(dirname(stateFile), { recursive: true });
  // the same port on every restart of anvil, so that the hub's RPC URL stays right
  const port = await choosePort(Number(process.env.ANVIL_PORT ?? 8545));
  const chainId = testkit.DEFAULT_ANVIL_CHAIN_ID;
  const args = testkit.anvilArgs(port, chainId, stateFile);
  const anvil = new Service({
    name: 'anvil',
    command,
    args,
    cwd: root,
    log,
    stdio: 'ignore',
    readyProbe: () => tcpReady(port),
  });
  services.push(anvil);
  await anvil.start();
  const url = `http://127.0.0.1:${port}`;
  return {
    hubEnv: { LEDGER_ANCHOR_RPC: url },
    anchoring: true,
    line: `EVM        ${url} (anvil, chain ${chainId}, state ${stateFile})`,
  };
}

function banner(nats, hub, adapters, witnesses, authorities, evm) {
  const runtime = hub ? readJson(join(dataDir, 'hub', 'runtime.json')) : undefined;
  const prefix = dataDir === defaultDataDir ? '' : `LEDGER_DATA_DIR=${dataDir} `;
  const lines = ['', 'approval-ledger is running', `  data dir   ${dataDir}`];
  if (runtime) {
    lines.push(`  explorer   ${runtime.url}/`);
    lines.push(`  API        ${runtime.url}/api/v1   (OpenAPI ${runtime.url}/api/v1/openapi.json)`);
  } else if (hub) lines.push('  hub        starting (not answering yet; see its log above)');
  else lines.push('  hub        not built: run `npm run build` and start again');
  lines.push(`  ${nats.line}`);
  if (runtime)
    lines.push(
      `  checkpoint ${runtime.url}/api/v1/checkpoints/latest   (trust anchors: ${prefix}npx ledger trust export)`,
    );
  lines.push(...witnesses.lines);
  lines.push(`  ${evm.line}`);
  if (runtime && evm.anchoring)
    lines.push(
      `  anchors    ${runtime.url}/api/v1/anchors   (check them: ${prefix}npx ledger anchors verify)`,
    );
  if (adapters) {
    for (const name of ADAPTERS) {
      const a = readJson(adapterRuntimeFile(name));
      lines.push(`  ${`${name} `.padEnd(18)}${a ? `${a.healthUrl}/healthz` : 'starting'}`);
    }
  } else lines.push('  adapters   not built: run `npm run build` and start again');
  if (authorities)
    lines.push(
      '  authorities       ledger authority-sim (TJ/HE ask to recognise BJ results and BJ theirs; BJ revokes one)',
    );
  lines.push('', 'Tokens (paste one at the explorer sign-in, or send it as Authorization: Bearer):');
  lines.push(`  auditor    ${prefix}npx ledger token --region BJ --role auditor`);
  lines.push(`  approver   ${prefix}npx ledger token --region BJ --role approver --dept HC`);
  lines.push(
    `  authority  ${prefix}npx ledger token --region TJ --role authority   (what Tianjin sees; HE, BJ alike)`,
  );
  lines.push(`  admin      ${prefix}npx ledger token --region BJ --role admin`);
  lines.push('  (regions BJ, TJ, HE; departments DRC, PNR, HC, EE, FIRE, SAMR, CREDIT)');
  lines.push('', 'A service that dies is restarted. Ctrl-C stops everything.', '');
  console.log(lines.join('\n'));
}

ensureDeps();
build();
mkdirSync(dataDir, { recursive: true });
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
// `npm start` runs this under `sh -c`: a SIGTERM sent to npm (a supervisor, `timeout`) kills npm and the shell,
// which does not pass it on, and this process would go on alone with every service. Output may have gone
// with the parent too: a closed pipe must not stop the shutdown.
createRequire(import.meta.url)(join(root, 'testkit', 'dist', 'index.js')).whenOrphaned(
  () => void shutdown(0),
);
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);

const ADAPTERS = adapterInstances();
// files a killed run left behind would be taken for this run's services
rmSync(join(dataDir, 'hub', 'runtime.json'), { force: true });
for (const name of ADAPTERS) rmSync(adapterRuntimeFile(name), { force: true });
const nats = await startNats();
const env = { ...process.env, LEDGER_DATA_DIR: dataDir, NATS_URL: nats.url };
const witnesses = await startWitnesses(env);
const evm = await startEvmNode();
const hub = startNode('hub', join(root, 'hub', 'dist', 'main.js'), {
  ...env,
  ...witnesses.hubEnv,
  ...evm.hubEnv,
});
// the hub creates the streams and seeds the ledger: adapters start once it answers (or after a minute)
if (hub) await waitFor(() => readJson(join(dataDir, 'hub', 'runtime.json'))?.url, 60_000);
const adapters = startNode('adapters', join(root, 'adapters', 'dist', 'main.js'), env);
// seconds on an idle machine; on a loaded one (tests in parallel) ten adapters took more than 30 s, and a banner
// that says `starting` where the health URL belongs is no help
if (adapters)
  await waitFor(
    () => (ADAPTERS.every((name) => existsSync(adapterRuntimeFile(name))) ? true : undefined),
    120_000,
  );
// the authorities work through the hub's API with tokens of its data dir: they start once the hub answers
const authorities =
  hub && readJson(join(dataDir, 'hub', 'runtime.json'))
    ? startCli('authority-sim', ['authority-sim'], env)
    : undefined;
if (!stopping) banner(nats, hub, adapters, witnesses, authorities, evm);

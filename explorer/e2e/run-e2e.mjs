#!/usr/bin/env node
// End-to-end run of the explorer in Debian's Chromium (playwright-core, headless), two ways:
//
//   node e2e/run-e2e.mjs            against a real hub started here (node hub/dist/main.js, temp LEDGER_DATA_DIR),
//                                   seeded through its API. Fails, saying so, while the hub is not built.
//   node e2e/run-e2e.mjs --fixture  a FIXTURE RUN: the built explorer served with a fake /api/v1 (e2e/fixtures),
//                                   to develop the pages and take screenshots without a hub. It is not the hub.
//
// Both walk the same scenario: sign in, find a project, open its provenance, verify a file (valid, altered and
// with a tampered proof), decide a recognition, open a block and check the chain; then the skip link, the verify
// page and a recognition decision with the keyboard only; then (hub run) the cross-region story: a Tianjin
// authority asks to recognise a Beijing certificate and decides it, Beijing's permit system revokes the
// certificate, and Tianjin sees SOURCE_REVOKED; then (hub run) a correction (更正): a certificate and a milestone
// corrected to version 2, both versions shown with the current one and the reason, and version 1's proof verified
// in the browser as superseded; then every page at 1366x768 and at phone width (390x844,
// zh and en): no sideways scrolling and no serious or critical axe-core violation. A screenshot of every page goes
// to e2e/screenshots/ (git-ignored). They print, not assert, the initial JS size gzipped, the project page's render
// time with 200 milestones and the axe-core summary.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { STAGES } from '@approval-ledger/protocol/registries';
import {
  AxeLedger,
  DESKTOP,
  PHONE,
  axeViolations,
  focusMatches,
  focused,
  horizontalOverflow,
  tabTo,
} from './a11y.mjs';

const explorer = join(dirname(fileURLToPath(import.meta.url)), '..');
const root = join(explorer, '..');
const browserDir = join(explorer, 'dist', 'explorer', 'browser');
const screenshots = join(explorer, 'e2e', 'screenshots');
const CHROMIUM = '/usr/bin/chromium';
const CJK_FONT = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';
const fixtureMode = process.argv.includes('--fixture');
// `--only=trust` runs the pinned-trust scenario alone (hub run): the verify page's v2 bundles against pins;
// `--only=corrections` the correction (更正) scenario alone (hub run)
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const label = fixtureMode ? 'FIXTURE RUN (fake API from e2e/fixtures, not the hub)' : 'HUB RUN';

const results = [];
function log(message) {
  console.log(`[e2e ${fixtureMode ? 'fixture' : 'hub'}] ${message}`);
}

async function step(name, fn) {
  const started = Date.now();
  try {
    await fn();
    results.push({ name, ok: true });
    console.log(`  ✓ ${name} (${Date.now() - started} ms)`);
  } catch (error) {
    results.push({ name, ok: false, error });
    console.log(
      `  ✗ ${name}\n      ${String(error?.message ?? error)
        .split('\n')
        .join('\n      ')}`,
    );
  }
}

// ------------------------------------------------------------------------------------------ prerequisites

async function ensureChromium() {
  const { ensureDebianPackages } = await import(pathToFileURL(join(root, 'scripts', 'system-deps.mjs')).href);
  ensureDebianPackages([
    { binary: 'chromium', pkg: 'chromium', why: 'the explorer end-to-end tests (playwright-core)' },
  ]);
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  if (!existsSync(CJK_FONT)) {
    if (process.getuid?.() === 0) {
      spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'fonts-noto-cjk'], {
        stdio: 'inherit',
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      });
    } else {
      log('warning: fonts-noto-cjk is not installed; Chinese text in screenshots will show as boxes');
    }
  }
}

/** The newest modification time of the files under `dir` (0 when it does not exist). */
function newestMtime(dir) {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/** Builds the explorer when its build is missing or older than its sources. */
function ensureBuilt() {
  const index = join(browserDir, 'index.html');
  const sources = Math.max(newestMtime(join(explorer, 'src')), newestMtime(join(explorer, 'public')));
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  log('explorer/dist is missing or older than src/: building it (npm run build -w explorer)');
  const r = spawnSync('npm', ['run', 'build'], { cwd: explorer, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('the explorer build failed');
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** A token whose payload the explorer can read; the fixture API accepts any bearer token. */
function fixtureToken(claims) {
  const part = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ sub: `e2e-${claims.role}`, ...claims })}.fixture`;
}

// ------------------------------------------------------------------------------------------ the fixture API

async function startFixture() {
  const esbuild = await import('esbuild');
  const bundleDir = mkdtempSync(join(tmpdir(), 'explorer-fixture-'));
  const out = join(bundleDir, 'fixture-server.mjs');
  await esbuild.build({
    entryPoints: [join(explorer, 'e2e', 'fixtures', 'fixture-server.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: out,
    logLevel: 'warning',
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
  });
  const module = await import(pathToFileURL(out).href);
  const server = await module.startFixtureServer(browserDir);
  log(`fixture API and explorer at ${server.url}`);
  return {
    url: server.url,
    stop: async () => {
      await server.close();
      rmSync(bundleDir, { recursive: true, force: true });
    },
    tokens: {
      auditor: fixtureToken({ region: 'BJ', role: 'auditor' }),
      authority: fixtureToken({ region: 'BJ', role: 'authority' }),
    },
    data: {
      projectCode: module.PROJECT_CODE,
      bigProjectCode: module.BIG_PROJECT_CODE,
      searchName: '望京',
      document: Buffer.from(module.FIXTURE_DOCUMENT, 'utf8'),
      officialKey: module.OFFICIAL_KEY_BJ,
      recognitionCell: 'cell-TJ-BJ-PENDING',
    },
  };
}

// ------------------------------------------------------------------------------------------ the real hub

async function startHub() {
  const main = join(root, 'hub', 'dist', 'main.js');
  if (!existsSync(main)) {
    throw new Error(
      `hub/dist/main.js does not exist: the hub is not built (or not written) yet, so there is no hub to run the ` +
        `explorer against. Build it (npm run -w hub build) and run again. Meanwhile the fixture run works: ` +
        `npm run -w explorer test:e2e:fixture`,
    );
  }
  const { ensureDebianPackages } = await import(pathToFileURL(join(root, 'scripts', 'system-deps.mjs')).href);
  ensureDebianPackages([
    { binary: 'nats-server', pkg: 'nats-server', why: 'the hub started by the explorer e2e run' },
  ]);
  const dataDir = mkdtempSync(join(tmpdir(), 'explorer-e2e-hub-'));
  const port = await freePort();
  // the hub connects to NATS; this run starts its own nats-server (a temp store, a free port), as tests do
  const { startNatsServer } = await import(pathToFileURL(join(root, 'testkit', 'dist', 'index.js')).href);
  const nats = await startNatsServer();
  const env = {
    ...process.env,
    LEDGER_DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    NATS_URL: nats.url,
  };
  const child = spawn(process.execPath, [main], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    async () => (await fetch(`${url}/healthz`).catch(() => undefined))?.ok === true,
    120_000,
    () => {
      if (child.exitCode !== null)
        throw new Error(`the hub exited (${child.exitCode}):\n${output.slice(-3000)}`);
    },
  );
  log(`hub at ${url}, data dir ${dataDir}`);
  const cli = join(root, 'hub', 'dist', 'cli', 'ledger.js');
  const token = (...args) => {
    const r = spawnSync(process.execPath, [cli, 'token', ...args], { cwd: root, env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`ledger token ${args.join(' ')} failed: ${r.stderr}`);
    return r.stdout.trim().split('\n').filter(Boolean).at(-1);
  };
  const hub = {
    url,
    dataDir,
    token,
    natsUrl: nats.url,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((resolve) => child.once('exit', resolve));
      }
      await nats.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  try {
    return { ...hub, ...(await seedHub(hub)), trustAnchors: trustExport(hub) };
  } catch (error) {
    await hub.stop();
    throw error;
  }
}

async function waitFor(check, timeoutMs, onPoll = () => {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    onPoll();
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function api(hub, token, method, path, body) {
  const response = await fetch(`${hub.url}/api/v1${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 500)}`);
  return text ? JSON.parse(text) : undefined;
}

function milestone(projectCode, id, stage, decision, decidedAt, documents = []) {
  const dept = STAGES[stage].dept;
  return {
    id,
    projectCode,
    projectName: '朝阳区望京科技园三期研发楼',
    projectType: 'INDUSTRIAL',
    region: 'BJ',
    dept,
    stage,
    decision,
    decidedAt,
    applicant: { name: '北京望京科创置业有限公司', uscc: '91110105MA01WJ3K7N' },
    documents,
    source: { system: `e2e-bj-${dept.toLowerCase()}`, recordId: id, version: 1 },
    dataClass: 'internal',
  };
}

/** Seeds the hub through its API: a project with a document, a project of 200 milestones, a recognition request. */
async function seedHub(hub) {
  const projectCode = '2025-110105-47-03-000318';
  const bigProjectCode = '2025-110105-47-03-000200';
  const document = Buffer.from(`e2e 环评批复 ${new Date().toISOString()}\n`, 'utf8');
  const sha256 = createHash('sha256').update(document).digest('hex');
  const steps = [
    ['PROJECT_APPROVAL', 'APPROVED', '2025-01-10T10:00:00+08:00'],
    ['LAND_USE_PLANNING', 'APPROVED', '2025-02-01T15:30:00+08:00'],
    ['EIA', 'RETURNED', '2025-02-05T09:00:00+08:00'],
    ['FIRE_DESIGN', 'RETURNED', '2025-02-07T11:00:00+08:00'],
    ['EIA', 'APPROVED', '2025-03-06T16:30:00+08:00', [{ name: '环评批复.pdf', sha256 }]],
  ];
  const records = steps.map(([stage, decision, at, docs], i) =>
    milestone(projectCode, `E2E-BJ-${STAGES[stage].dept}-${i + 1}`, stage, decision, at, docs),
  );
  const stages = [
    'PROJECT_APPROVAL',
    'LAND_USE_PLANNING',
    'EIA',
    'FIRE_DESIGN',
    'ENERGY_REVIEW',
    'ENGINEERING_PLANNING',
  ];
  for (let i = 0; i < 200; i++) {
    const stage = stages[i % stages.length];
    const at = new Date(Date.UTC(2024, 0, 1) + i * 36 * 3600_000).toISOString().replace('.000Z', '+00:00');
    records.push(milestone(bigProjectCode, `E2E-BIG-${i}`, stage, i % 9 === 0 ? 'APPROVED' : 'RETURNED', at));
  }
  const byDept = new Map();
  for (const record of records) byDept.set(record.dept, [...(byDept.get(record.dept) ?? []), record]);
  for (const [dept, batch] of byDept) {
    const approver = hub.token('--region', 'BJ', '--role', 'approver', '--dept', dept);
    await api(hub, approver, 'POST', '/milestones', batch);
  }
  const auditor = hub.token('--region', 'BJ', '--role', 'auditor');
  let seen = 'nothing yet';
  await waitFor(async () => {
    const big = await api(hub, auditor, 'GET', `/projects/${bigProjectCode}`).catch((e) => ({
      error: e.message,
    }));
    const small = await api(hub, auditor, 'GET', `/projects/${projectCode}`).catch((e) => ({
      error: e.message,
    }));
    seen = `${bigProjectCode}: ${big.milestones?.length ?? big.error}, ${projectCode}: ${small.milestones?.length ?? small.error}`;
    return big.milestones?.length === 200 && small.milestones?.length === steps.length;
  }, 120_000).catch((error) => {
    throw new Error(`the seeded milestones were not all anchored (${seen}): ${error.message}`);
  });
  const authorityTJ = hub.token('--region', 'TJ', '--role', 'authority');
  await api(hub, authorityTJ, 'POST', '/recognitions', {
    id: 'REC-E2E-0001',
    subjectType: 'milestone',
    subjectId: records[4].id,
    sourceRegion: 'BJ',
    targetRegion: 'TJ',
  });
  // a second request, decided with the keyboard only
  await api(hub, authorityTJ, 'POST', '/recognitions', {
    id: 'REC-E2E-0002',
    subjectType: 'milestone',
    subjectId: records[1].id,
    sourceRegion: 'BJ',
    targetRegion: 'TJ',
  });
  const certificateNumber = await seedBeijingCertificate(hub, auditor);
  const officialFile = join(hub.dataDir, 'keys', 'officials', 'TJ.json');
  if (!existsSync(officialFile))
    throw new Error(`the hub wrote no recognition official key at ${officialFile}`);
  return {
    tokens: { auditor, authority: authorityTJ },
    data: {
      projectCode,
      bigProjectCode,
      searchName: '望京',
      document,
      officialKey: JSON.parse(readFileSync(officialFile, 'utf8')).privateKey,
      recognitionCell: 'cell-BJ-TJ-PENDING',
      certificateNumber,
    },
  };
}

/**
 * What Beijing's permit system (hc-mysql) publishes for a permit, and later for its revocation: an envelope on
 * `legacy.BJ.HC.certificate`, as the adapter sends it (Nats-Msg-Id `system:recordId:version`).
 */
function beijingPermitEnvelope(kind, record) {
  return {
    schema: 'approval-ledger/envelope@1',
    kind,
    region: 'BJ',
    dept: 'HC',
    source: record.source,
    emittedAt: new Date().toISOString(),
    record,
  };
}

async function publishLegacy(hub, envelope) {
  const { connect } = await import('@nats-io/transport-node');
  const { jetstream } = await import('@nats-io/jetstream');
  const nc = await connect({ servers: hub.natsUrl });
  try {
    const { source } = envelope;
    const subject = envelope.kind === 'milestone' ? 'milestone' : 'certificate';
    await jetstream(nc).publish(`legacy.BJ.HC.${subject}`, JSON.stringify(envelope), {
      msgID: `${source.system}:${source.recordId}:${source.version}`,
    });
  } finally {
    await nc.close();
  }
}

const E2E_PERMIT = '110105202612050318';

/** A Beijing construction permit, published as Beijing's permit system does, and anchored. */
async function seedBeijingCertificate(hub, auditor) {
  const sha256 = createHash('sha256').update(`e2e 施工许可证 ${E2E_PERMIT}`).digest('hex');
  await publishLegacy(
    hub,
    beijingPermitEnvelope('certificate', {
      number: E2E_PERMIT,
      type: 'CONSTRUCTION_PERMIT',
      projectCode: '2025-110105-47-03-000318',
      region: 'BJ',
      dept: 'HC',
      holder: { name: '北京望京科创置业有限公司', uscc: '91110105MA01WJ3K7N' },
      issuedAt: '2025-03-10T09:30:00+08:00',
      validFrom: '2025-03-10T00:00:00+08:00',
      validUntil: '2035-03-10T00:00:00+08:00',
      documents: [{ name: '施工许可证.pdf', sha256 }],
      source: { system: 'e2e-bj-hc-sgxk', recordId: `C${E2E_PERMIT}`, version: 1 },
      dataClass: 'public',
    }),
  );
  await waitFor(
    async () => (await api(hub, auditor, 'GET', `/certificates/${E2E_PERMIT}`).catch(() => undefined))?.valid,
    60_000,
  ).catch((error) => {
    throw new Error(`the Beijing permit ${E2E_PERMIT} was not anchored: ${error.message}`);
  });
  return E2E_PERMIT;
}

/** Beijing's permit system revokes the permit: the revocation envelope, as the hc-mysql adapter sends it. */
async function revokeBeijingCertificate(hub, number) {
  await publishLegacy(
    hub,
    beijingPermitEnvelope('certificate-revocation', {
      number,
      region: 'BJ',
      dept: 'HC',
      reason: '建设单位提供虚假材料，撤销施工许可',
      revokedAt: new Date(Date.now() - 1_000).toISOString(),
      source: { system: 'e2e-bj-hc-sgxk', recordId: `REV${number}`, version: 1 },
    }),
  );
}

const CORRECTED_PERMIT = '110105202612050321';
const CORRECTED_PROJECT = '2025-110105-47-03-000321';

/**
 * A correction (更正) as Beijing's permit system sends one: a permit and its milestone, then each again with a
 * later source version and a correction reason, which the hub makes version 2 of the same certificate and
 * milestone.
 */
async function seedCorrection(hub, auditor) {
  const system = 'e2e-bj-hc-sgxk';
  const permit = {
    number: CORRECTED_PERMIT,
    type: 'CONSTRUCTION_PERMIT',
    projectCode: CORRECTED_PROJECT,
    region: 'BJ',
    dept: 'HC',
    holder: { name: '北京望京科创置业有限公司', uscc: '91110105MA01WJ3K7N' },
    issuedAt: '2025-04-10T09:30:00+08:00',
    validFrom: '2025-04-10T00:00:00+08:00',
    validUntil: '2027-04-10T00:00:00+08:00',
    documents: [],
    source: { system, recordId: `C${CORRECTED_PERMIT}`, version: 1 },
    dataClass: 'public',
  };
  const permitted = {
    ...milestone(
      CORRECTED_PROJECT,
      `${system}:M${CORRECTED_PERMIT}`,
      'CONSTRUCTION_PERMIT',
      'APPROVED',
      permit.issuedAt,
    ),
    source: { system, recordId: `M${CORRECTED_PERMIT}`, version: 1 },
  };
  await publishLegacy(hub, beijingPermitEnvelope('milestone', permitted));
  await publishLegacy(hub, beijingPermitEnvelope('certificate', permit));
  await waitFor(
    async () =>
      (await api(hub, auditor, 'GET', `/certificates/${CORRECTED_PERMIT}`).catch(() => undefined))?.valid,
    60_000,
  );
  const reason = '更正：施工许可有效期录入有误';
  await publishLegacy(
    hub,
    beijingPermitEnvelope('milestone', {
      ...permitted,
      projectName: '朝阳区望京科技园三期研发楼（二标段）',
      correctionReason: '更正：项目名称录入有误',
      source: { ...permitted.source, version: 2 },
    }),
  );
  await publishLegacy(
    hub,
    beijingPermitEnvelope('certificate', {
      ...permit,
      validUntil: '2028-04-10T00:00:00+08:00',
      correctionReason: reason,
      source: { ...permit.source, version: 2 },
    }),
  );
  await waitFor(async () => {
    const project = await api(hub, auditor, 'GET', `/projects/${CORRECTED_PROJECT}`).catch(() => undefined);
    return project?.certificates?.[0]?.version === 2 && project?.milestones?.[0]?.version === 2;
  }, 60_000).catch((error) => {
    throw new Error(
      `the corrections of ${CORRECTED_PERMIT} were not anchored as version 2: ${error.message}`,
    );
  });
  return { number: CORRECTED_PERMIT, projectCode: CORRECTED_PROJECT, reason };
}

// ------------------------------------------------------------------------------------------ measurements

/** The gzipped size of the JavaScript index.html loads up front (Angular's "initial" chunks). */
function initialJsGzip() {
  const html = readFileSync(join(browserDir, 'index.html'), 'utf8');
  const files = new Set(
    [...html.matchAll(/<(?:script[^>]*src|link[^>]*rel="modulepreload"[^>]*href)="([^"]+\.js)"/g)].map(
      (m) => m[1],
    ),
  );
  let raw = 0;
  let gzip = 0;
  for (const file of files) {
    const bytes = readFileSync(join(browserDir, file));
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 9 }).length;
  }
  return { files: files.size, raw, gzip };
}

function gzipOfLoaded(urls) {
  let gzip = 0;
  for (const url of urls) {
    const file = join(browserDir, new URL(url).pathname);
    if (existsSync(file)) gzip += gzipSync(readFileSync(file), { level: 9 }).length;
  }
  return gzip;
}

// ------------------------------------------------------------------------------------------ the scenario

async function shot(page, name) {
  await page.screenshot({
    path: join(screenshots, `${fixtureMode ? 'fixture' : 'hub'}-${name}.png`),
    fullPage: true,
  });
}

async function signIn(page, url, token) {
  await page.goto(`${url}/sign-in`);
  await page.getByTestId('token-input').fill(token);
  await page.getByRole('button', { name: '登录' }).last().click();
  await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
}

async function expectState(page, state, verified) {
  const result = page.locator(`[data-testid="verify-result"] [data-state="${state}"]`);
  await result.waitFor({ timeout: 20_000 });
  if (verified !== undefined && (await result.getAttribute('data-verified')) !== String(verified)) {
    throw new Error(`state ${state} but browser-verified is ${await result.getAttribute('data-verified')}`);
  }
}

/**
 * A browser context of an auditor who pinned the hub's trust anchors (hub run: its `ledger trust export`, put in
 * localStorage as the trust page would): the verify page then checks v2 bundles against them. The fixture run
 * serves v1 bundles only, checked against nothing pinned (no check mark, `data-verified` still says whether every
 * check passed).
 */
async function pinnedContext(browser, target, options) {
  const context = await browser.newContext(options);
  if (target.trustAnchors) {
    await context.addInitScript(
      ([key, text]) => localStorage.getItem(key) ?? localStorage.setItem(key, text),
      ['al.pinnedTrustAnchors', target.trustAnchors],
    );
  }
  return context;
}

async function scenario(browser, target) {
  const { url, tokens, data } = target;
  const context = await pinnedContext(browser, target, {
    viewport: { width: 1366, height: 768 },
    locale: 'zh-CN',
  });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  const scripts = new Set();
  page.on(
    'response',
    (response) => response.request().resourceType() === 'script' && scripts.add(response.url()),
  );
  const metrics = {};

  await step('sign in with a pasted token', async () => {
    await page.goto(`${url}/`);
    await page.waitForURL(/\/sign-in/);
    metrics.startupJsGzip = gzipOfLoaded(scripts);
    await shot(page, '01-sign-in');
    await signIn(page, url, tokens.auditor);
    await page.getByTestId('chain-height').waitFor();
    await page.getByTestId('department-counts').waitFor({ timeout: 20_000 });
    await page.waitForTimeout(500);
    await shot(page, '02-dashboard');
  });

  await step('find a project by enterprise name and by project code', async () => {
    await page.goto(`${url}/projects`);
    await page.getByTestId('project-query').fill(data.searchName);
    await page.getByTestId('project-search').click();
    await page.getByRole('link', { name: data.projectCode }).waitFor();
    await shot(page, '03-project-search');
    await page.getByTestId('project-query').fill(data.projectCode);
    await page.getByTestId('project-search').click();
    await page.waitForURL(new RegExp(`/projects/${data.projectCode}$`));
  });

  await step(
    'open its provenance: swimlanes along the plan, a milestone with hash, tx, block, endorsers',
    async () => {
      await page.getByTestId('swimlanes').waitFor();
      const done = await page.locator('[data-stage="PROJECT_APPROVAL"].done').count();
      if (done !== 1) throw new Error('project approval is not shown as done');
      await shot(page, '04-project');
      await page.locator('[data-stage="EIA"] button.milestone').last().click();
      const detail = page.getByTestId('milestone-detail');
      await detail.waitFor();
      const commitment = await detail.getByTestId('milestone-commitment').textContent();
      if (!/^[0-9a-f]{64}$/.test(commitment?.trim() ?? ''))
        throw new Error(`no commitment hash: ${commitment}`);
      await shot(page, '05-milestone');
    },
  );

  await step('render the project page with 200 milestones', async () => {
    await page.goto(`${url}/projects/${data.bigProjectCode}`);
    await page.getByTestId('swimlanes').waitFor();
    const buttons = await page.locator('button.milestone').count();
    if (buttons !== 200) throw new Error(`${buttons} milestones shown, expected 200`);
    metrics.renderMs = await page.evaluate(
      () => performance.getEntriesByName('al:project-render').at(-1)?.duration ?? Number.NaN,
    );
    await shot(page, '06-project-200');
  });

  await step('verify the anchored file: valid, checked in the browser', async () => {
    await page.goto(`${url}/verify`);
    await page
      .getByTestId('file-input')
      .setInputFiles({ name: '环评批复.pdf', mimeType: 'application/pdf', buffer: data.document });
    await expectState(page, 'valid', true);
    await shot(page, '07-verify-valid');
  });

  await step('verify an altered copy of the file: not found', async () => {
    const altered = Buffer.from(data.document);
    altered[altered.length - 2] ^= 0x01;
    await page
      .getByTestId('file-input')
      .setInputFiles({ name: '环评批复-改.pdf', mimeType: 'application/pdf', buffer: altered });
    await expectState(page, 'not-found', false);
    await shot(page, '08-verify-altered');
  });

  await step('verify with a tampered proof bundle: tampered, no check mark', async () => {
    await page.route('**/api/v1/verify', async (route) => {
      const response = await route.fetch();
      const json = await response.json();
      for (const match of json.matches ?? []) {
        if (match.bundle) match.bundle.record.anchor.decidedAt = '2025-01-01T00:00:00+08:00';
      }
      await route.fulfill({ response, json });
    });
    // the page checks the v2 bundle when the hub has one (its evidence is the v1 bundle): tamper that too
    await page.route('**/api/v1/proofs/**', async (route) => {
      const response = await route.fetch();
      if (!response.ok()) return route.fulfill({ response });
      const json = await response.json();
      const record = json.format === 'approval-ledger/proof@2' ? json.evidence.record : json.record;
      record.anchor.decidedAt = '2025-01-01T00:00:00+08:00';
      await route.fulfill({ response, json });
    });
    await page
      .getByTestId('file-input')
      .setInputFiles({ name: '环评批复.pdf', mimeType: 'application/pdf', buffer: data.document });
    await expectState(page, 'tampered', false);
    await shot(page, '09-verify-tampered');
    await page.unroute('**/api/v1/verify');
    await page.unroute('**/api/v1/proofs/**');
  });

  await step('open the chain, check it whole in the browser, open a block and a transaction', async () => {
    await page.goto(`${url}/chain`);
    await page.getByTestId('blocks-table').waitFor();
    await page.getByTestId('check-chain').click();
    const result = page.getByTestId('chain-check-result').locator('p');
    await result.first().waitFor({ timeout: 120_000 });
    metrics.chainCheck = (await result.first().textContent())?.trim() ?? '';
    await shot(page, '10-chain');
    if (metrics.chainCheck.startsWith('✗')) throw new Error(`the chain check failed: ${metrics.chainCheck}`);
    if (fixtureMode && !metrics.chainCheck.startsWith('✓'))
      throw new Error(`not intact: ${metrics.chainCheck}`);
    await page.goto(`${url}/chain/blocks/1`);
    await page.getByTestId('block-header').waitFor();
    // a check mark only where the browser verified: header hash, data hash (RFC 6962 over the envelopes),
    // link and orderer signature, against the real hub's blocks
    for (const check of ['check-header', 'check-data', 'check-link', 'check-signature']) {
      await page.getByTestId(check).locator('.verified').waitFor({ timeout: 20_000 });
    }
    await page.waitForTimeout(500);
    await shot(page, '11-block');
    await page.locator('table.data a.mono').first().click();
    await page.getByTestId('endorsements').waitFor();
    await page.getByTestId('check-endorsement').first().locator('.verified').waitFor({ timeout: 20_000 });
    const endorsements = page.getByTestId('check-endorsement');
    const total = await endorsements.count();
    const verified = await endorsements.locator('.verified').count();
    if (total === 0 || verified !== total) {
      throw new Error(`${verified} of ${total} endorsement signatures verified in the browser`);
    }
    for (const check of ['check-txid', 'check-creator', 'check-envelope']) {
      await page.getByTestId(check).locator('.verified').waitFor({ timeout: 20_000 });
    }
    metrics.endorsementsVerified = total;
    await page.waitForTimeout(500);
    await shot(page, '12-transaction');
  });

  await step('certificates and the audit log', async () => {
    await page.goto(`${url}/certificates`);
    await shot(page, '13-certificates');
    await page.goto(`${url}/audit`);
    await page.getByTestId('audit-table').waitFor();
    await shot(page, '14-audit');
  });

  await step('decide a recognition as an authority, signing EIP-712 in the browser', async () => {
    await page.getByRole('button', { name: '退出' }).click();
    await signIn(page, url, tokens.authority);
    await page.goto(`${url}/recognition`);
    await page.getByTestId('recognition-matrix').waitFor();
    await page.getByTestId(data.recognitionCell).click();
    await page.locator('[data-testid^="decide-"]').first().click();
    await page.getByTestId('private-key').fill(data.officialKey);
    await page.getByTestId('sign-decision').click();
    const message = page.getByTestId('decision-message');
    await message.waitFor({ timeout: 30_000 });
    const text = (await message.textContent()) ?? '';
    await shot(page, '15-recognition');
    if (!text.includes('决定已提交')) throw new Error(`the decision was not accepted: ${text}`);
  });

  await step('English, and phone width', async () => {
    await page.getByTestId('language-switch').click();
    await page.goto(`${url}/recognition`);
    await page.getByTestId('recognition-matrix').waitFor();
    await shot(page, '16-recognition-en');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${url}/projects/${data.projectCode}`);
    await page.getByTestId('swimlanes').waitFor();
    await shot(page, '17-project-phone');
  });

  await step('no errors in the browser console', () => {
    const real = errors.filter((e) => !/Failed to load resource.*(401|404|403)/.test(e));
    if (real.length > 0) throw new Error(real.join('\n'));
  });

  await context.close();
  return metrics;
}

// ------------------------------------------------------------------------------------------ across regions

/**
 * Tianjin's authority, signed in, asks to recognise a Beijing permit (the explorer has no request form: the
 * request goes through the API with the same Tianjin token), decides it in the browser with its official's
 * EIP-712 key; Beijing's permit system revokes the permit; Tianjin's board shows SOURCE_REVOKED, in Chinese.
 */
async function crossRegionScenario(browser, target) {
  const { url, tokens, data } = target;
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
  const page = await context.newPage();
  const id = 'REC-E2E-TJ-CERT';
  await step('across regions: Tianjin’s authority asks to recognise a Beijing permit', async () => {
    await signIn(page, url, tokens.authority);
    await api(target, tokens.authority, 'POST', '/recognitions', {
      id,
      subjectType: 'certificate',
      subjectId: data.certificateNumber,
      sourceRegion: 'BJ',
      targetRegion: 'TJ',
    });
    await page.goto(`${url}/recognition`);
    await page.getByTestId('recognition-matrix').waitFor();
    await page.getByTestId('cell-BJ-TJ-PENDING').click();
    await page.getByTestId(`decide-${id}`).waitFor();
  });
  await step('across regions: Tianjin recognises it, signing EIP-712 in the browser', async () => {
    await page.getByTestId(`decide-${id}`).click();
    await page.getByTestId('private-key').fill(data.officialKey);
    await page.getByTestId('sign-decision').click();
    const message = page.getByTestId('decision-message');
    await message.waitFor({ timeout: 30_000 });
    const text = (await message.textContent()) ?? '';
    if (!text.includes('决定已提交')) throw new Error(`the decision was not accepted: ${text}`);
    const board = await api(target, tokens.authority, 'GET', '/recognitions?source=BJ&target=TJ');
    const status = board.recognitions.find((r) => r.id === id)?.status;
    if (status !== 'RECOGNISED') throw new Error(`${id} is ${status} on the board, expected RECOGNISED`);
  });
  await step(
    'across regions: Beijing revokes the permit, Tianjin sees SOURCE_REVOKED (zh-CN only)',
    async () => {
      await revokeBeijingCertificate(target, data.certificateNumber);
      await waitFor(async () => {
        const board = await api(target, tokens.authority, 'GET', '/recognitions?source=BJ&target=TJ');
        return board.recognitions.find((r) => r.id === id)?.status === 'SOURCE_REVOKED';
      }, 60_000);
      await page.goto(`${url}/recognition`);
      await page.getByTestId('recognition-matrix').waitFor();
      const cell = page.getByTestId('cell-BJ-TJ-SOURCE_REVOKED');
      await cell.locator('.n').filter({ hasNotText: /^0$/ }).waitFor({ timeout: 20_000 });
      await cell.click();
      const row = page.locator('section[aria-labelledby="list-heading"] table tr', { hasText: id });
      await row.waitFor({ timeout: 20_000 });
      await shot(page, '20-recognition-source-revoked-tj');
      const english = await englishInChineseView(page);
      if (english.length > 0) throw new Error(`English in the zh-CN view:\n${english.join('\n')}`);
      await page.goto(`${url}/certificates`);
      await page.locator('main h1').waitFor();
      const certificate = await api(
        target,
        tokens.authority,
        'GET',
        `/certificates/${data.certificateNumber}`,
      );
      if (certificate.status !== 'REVOKED')
        throw new Error(`Tianjin reads the permit as ${certificate.status}`);
    },
  );
  await context.close();
}

// ------------------------------------------------------------------------------------------ corrections

/**
 * A corrected permit in zh-CN: its page lists both versions, the current one marked, with the reason; the project
 * page shows version 2 of 2 and the milestone's history; version 1's proof, verified in this browser, is superseded.
 */
async function correctionScenario(browser, target) {
  const { url, tokens } = target;
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
  const page = await context.newPage();
  let corrected;
  await step('corrections: a permit and its milestone corrected to version 2 (更正)', async () => {
    corrected = await seedCorrection(target, tokens.auditor);
  });
  if (!corrected) return context.close();
  const noEnglish = async (where) => {
    const english = await englishInChineseView(page);
    if (english.length > 0) throw new Error(`English in the zh-CN ${where}:\n${english.join('\n')}`);
  };
  await step(
    'corrections: the certificate page shows both versions, the current one and the reason',
    async () => {
      await signIn(page, url, tokens.auditor);
      await page.goto(`${url}/certificates?number=${corrected.number}`);
      const history = page.getByTestId('version-history');
      await history.waitFor({ timeout: 20_000 });
      const versions = history.getByTestId('version');
      if ((await versions.count()) !== 2)
        throw new Error(`${await versions.count()} versions shown, expected 2`);
      const [first, second] = [await versions.nth(0).textContent(), await versions.nth(1).textContent()];
      if (!first?.includes('第 1 版') || first.includes('当前版本'))
        throw new Error(`version 1 is not shown as superseded: ${first}`);
      if (!second?.includes('第 2 版') || !second.includes('当前版本'))
        throw new Error(`version 2 is not shown as current: ${second}`);
      const reason = await versions.nth(1).getByTestId('version-reason').textContent();
      if (!reason?.includes(corrected.reason)) throw new Error(`the reason is not shown: ${reason}`);
      await shot(page, '21-certificate-versions');
      await noEnglish('certificate page');
    },
  );
  await step('corrections: the project page shows version 2 of 2 and the milestone’s history', async () => {
    await page.goto(`${url}/projects/${corrected.projectCode}`);
    await page.getByTestId('swimlanes').waitFor();
    const label = await page.getByTestId('certificate-version').textContent();
    if (!label?.includes('第 2 版（共 2 版）')) throw new Error(`the certificate row reads ${label}`);
    await page.locator('[data-stage="CONSTRUCTION_PERMIT"] button.milestone').last().click();
    const detail = page.getByTestId('milestone-detail');
    await detail.waitFor();
    const versions = detail.getByTestId('version');
    if ((await versions.count()) !== 2)
      throw new Error(`the milestone shows ${await versions.count()} versions`);
    const reason = await versions.nth(1).getByTestId('version-reason').textContent();
    if (!reason?.includes('项目名称录入有误'))
      throw new Error(`the milestone's reason is not shown: ${reason}`);
    await shot(page, '22-project-versions');
    await noEnglish('project page');
  });
  await step(
    'corrections: version 1’s proof, verified in this browser, says superseded by version 2',
    async () => {
      await page.goto(`${url}/certificates?number=${corrected.number}`);
      await page.getByTestId('version-history').waitFor({ timeout: 20_000 });
      await page.getByTestId('verify-version').first().click();
      await page.waitForURL(/\/verify\?sha256=/);
      // browser-verified only against pinned anchors once a v2 bundle is served (main: 'pinned trust'), so not
      // asserted here: the state is what the version proof says
      await expectState(page, 'superseded');
      const state = await page.locator('[data-testid="verify-result"] .state-text').textContent();
      if (!state?.includes('已被更正取代')) throw new Error(`the state reads ${state}`);
      const version = await page.getByTestId('match-version').textContent();
      if (!version?.includes('第 1 版，已被第 2 版取代')) throw new Error(`the match reads ${version}`);
      const assurance = await page.getByTestId('assurance-version').textContent();
      // proven in a checkpoint (a v2 bundle, once a checkpoint covers version 2) or stated by the hub (v1)
      if (!/第 1 版已被(第 2 版)?取代/.test(assurance ?? ''))
        throw new Error(`the assurance reads ${assurance}`);
      await shot(page, '23-verify-superseded');
      // the current version verifies as valid, the latest
      await page.goto(`${url}/certificates?number=${corrected.number}`);
      await page.getByTestId('version-history').waitFor({ timeout: 20_000 });
      await page.getByTestId('verify-version').last().click();
      await expectState(page, 'valid');
      const latest = await page.getByTestId('match-version').textContent();
      if (!latest?.includes('第 2 版，为最新版本')) throw new Error(`the current version reads ${latest}`);
    },
  );
  await context.close();
}

// ------------------------------------------------------------------------------------------ pinned trust

/** `ledger trust export` of the hub's data dir: the anchors a region publishes and an auditor pins. */
function trustExport(hub) {
  const cli = join(root, 'hub', 'dist', 'cli', 'ledger.js');
  const r = spawnSync(process.execPath, [cli, 'trust', 'export'], {
    cwd: root,
    env: { ...process.env, LEDGER_DATA_DIR: hub.dataDir },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`ledger trust export failed: ${r.stderr}`);
  return r.stdout;
}

async function pinOnTrustPage(page, url, text) {
  await page.goto(`${url}/trust`);
  const section = page.getByTestId('trust-pinned');
  await section.waitFor();
  if ((await section.getAttribute('data-pinned')) === 'browser')
    await page.getByTestId('trust-unpin').click();
  await page.getByTestId('trust-input').fill(text);
  await page.getByTestId('trust-pin').click();
  await page.locator('[data-testid="trust-pinned"][data-pinned="browser"]').waitFor();
}

async function verifyDocument(page, url, document) {
  await page.goto(`${url}/verify`);
  await page
    .getByTestId('file-input')
    .setInputFiles({ name: '环评批复.pdf', mimeType: 'application/pdf', buffer: document });
}

/**
 * The verify page checks the hub's proof bundle v2 in the browser against trust anchors pinned on the explorer
 * side (pasted on the trust page, kept in localStorage), never the hub's own word: without pins it says so and
 * shows no check; pinned to the hub's `ledger trust export` the v2 bundle verifies (checkpoint, status); pinned to
 * another ledger's anchors the bundle is refused as foreign.
 */
async function pinnedTrustScenario(browser, target) {
  const { url, tokens, data } = target;
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
  const page = await context.newPage();
  const anchors = trustExport(target);
  const sha256 = createHash('sha256').update(data.document).digest('hex');
  await step('pinned trust: the hub has a checkpoint covering the document (a v2 bundle)', async () => {
    const answer = await api(target, tokens.auditor, 'POST', '/verify', { sha256 });
    const href = answer.matches[0]?.proof.href;
    if (!href) throw new Error(`the document ${sha256} is not anchored`);
    await waitFor(async () => (await fetch(`${url}${href}&version=2`).catch(() => undefined))?.ok, 60_000);
  });
  await step('pinned trust: with nothing pinned the page says so and shows no check mark', async () => {
    await signIn(page, url, tokens.auditor);
    await verifyDocument(page, url, data.document);
    // against nothing pinned a v2 bundle's checkpoint (so its status) is not authenticated: not verified
    await expectState(page, 'valid', false);
    const state = page.locator('[data-testid="verify-result"] [data-state]');
    if ((await state.getAttribute('data-pinned')) !== 'false') throw new Error('shown as pinned');
    const statusLevel = await page.locator('[data-level="status"]').first().getAttribute('data-status');
    if (statusLevel !== 'not-proven')
      throw new Error(`the status level is ${statusLevel} with nothing pinned`);
    if ((await state.locator('.mark').textContent())?.trim() === '✓')
      throw new Error('a check mark, unpinned');
    await page.getByTestId('nothing-pinned').waitFor();
    await shot(page, '30-verify-unpinned');
  });
  await step(
    'pinned trust: pinned to the hub’s trust export, the v2 bundle verifies in the browser',
    async () => {
      await pinOnTrustPage(page, url, anchors);
      await shot(page, '31-trust-pinned');
      await verifyDocument(page, url, data.document);
      await expectState(page, 'valid', true);
      const state = page.locator('[data-testid="verify-result"] [data-state]');
      if ((await state.getAttribute('data-pinned')) !== 'true') throw new Error('not shown as pinned');
      if ((await state.locator('.mark').textContent())?.trim() !== '✓') throw new Error('no check mark');
      const bundle = (await page.getByTestId('assurance-bundle').first().textContent()) ?? '';
      if (!bundle.includes('v2')) throw new Error(`not a v2 bundle: ${bundle}`);
      for (const level of ['pinned-ledger', 'checkpoint', 'status']) {
        const status = await page.locator(`[data-level="${level}"]`).first().getAttribute('data-status');
        if (status !== 'proven') throw new Error(`level ${level} is ${status}`);
      }
      await page.getByTestId('assurance-anchor').first().waitFor();
      await shot(page, '32-verify-v2-pinned');
    },
  );
  await step(
    'pinned trust: pinned to another ledger’s anchors, the bundle is refused as foreign',
    async () => {
      const foreign = anchors.replace(/^genesis (\S+) [0-9a-f]{64}$/m, `genesis $1 ${'ab'.repeat(32)}`);
      if (foreign === anchors) throw new Error('no genesis line to replace');
      await pinOnTrustPage(page, url, foreign);
      await verifyDocument(page, url, data.document);
      await expectState(page, 'foreign', false);
      const mark = await page.locator('[data-testid="verify-result"] [data-state] .mark').textContent();
      if (mark?.trim() !== '✗') throw new Error(`mark ${mark}`);
      await shot(page, '33-verify-foreign');
      await page.goto(`${url}/trust`);
      await page.getByTestId('trust-unpin').click();
    },
  );
  await context.close();
}

// ------------------------------------------------------------------------------------------ keyboard only

/** From a fresh load, the skip link is the first Tab stop and moves focus to the page's main region. */
async function skipLinkFirst(page, url) {
  await page.goto(`${url}/`);
  await page.getByTestId('chain-height').waitFor();
  await page.keyboard.press('Tab');
  if (!(await focusMatches(page, 'a.skip-link'))) {
    throw new Error(`the first Tab stop is ${await focused(page)}, not the skip link`);
  }
  const box = await page.locator('a.skip-link').boundingBox();
  if (!box || box.y < 0) throw new Error('the focused skip link is not visible');
  await page.keyboard.press('Enter');
  if (!(await focusMatches(page, 'main#main'))) {
    throw new Error(`after the skip link, focus is on ${await focused(page)}, not main`);
  }
  await page.keyboard.press('Tab');
  if (!(await focusMatches(page, 'main#main *'))) {
    throw new Error(`the Tab after the skip link went to ${await focused(page)}, outside main`);
  }
}

/** Resolves with the next file chooser the page opens (interception is switched on before anything is pressed). */
async function fileChoosers(page) {
  const waiting = [];
  page.on('filechooser', (chooser) => waiting.shift()?.(chooser));
  // playwright turns interception on without waiting for it: a round trip and a pause let it take effect
  await page.evaluate(() => 0);
  await page.waitForTimeout(200);
  return async (press) => {
    const next = new Promise((resolve, reject) => {
      waiting.push(resolve);
      setTimeout(() => reject(new Error(`${press} on the file input opened no file chooser`)), 5_000);
    });
    await page.keyboard.press(press);
    return next;
  };
}

/** The verify page's drop zone opens the file chooser on Space and on Enter; the hash field submits on Enter. */
async function verifyByKeyboard(page, url, data) {
  await page.goto(`${url}/verify`);
  await page.getByTestId('file-input').waitFor({ state: 'attached' });
  const chooserAfter = await fileChoosers(page);
  await tabTo(page, '[data-testid="file-input"]');
  const chooser = await chooserAfter('Space');
  await chooser.setFiles({ name: '环评批复.pdf', mimeType: 'application/pdf', buffer: data.document });
  await expectState(page, 'valid', true);
  const altered = Buffer.from(data.document);
  altered[0] ^= 0x01;
  if (!(await focusMatches(page, '[data-testid="file-input"]'))) {
    throw new Error(`after choosing a file, focus went to ${await focused(page)}`);
  }
  const again = await chooserAfter('Enter');
  await again.setFiles({ name: 'altered.pdf', mimeType: 'application/pdf', buffer: altered });
  await expectState(page, 'not-found', false);
  await tabTo(page, '[data-testid="hash-input"]');
  await page.keyboard.insertText(createHash('sha256').update(data.document).digest('hex'));
  await page.keyboard.press('Enter');
  await expectState(page, 'valid', true);
  await shot(page, '18-verify-keyboard');
}

/** An authority picks a matrix cell, opens the decision, chooses the outcome and signs: keys only. */
async function decideByKeyboard(page, url, data) {
  await page.goto(`${url}/recognition`);
  await page.getByTestId('recognition-matrix').waitFor();
  await page.getByTestId(data.recognitionCell).locator('.n').filter({ hasNotText: /^0$/ }).waitFor();
  await tabTo(page, `[data-testid="${data.recognitionCell}"]`);
  await page.keyboard.press('Enter');
  const selected = page.locator(`[data-testid="${data.recognitionCell}"][aria-pressed="true"]`);
  const pressed = await selected.waitFor({ timeout: 5_000 }).then(
    () => 'true',
    () => page.getByTestId(data.recognitionCell).getAttribute('aria-pressed'),
  );
  if (pressed !== 'true') {
    throw new Error(
      `Enter on the matrix cell did not select it (aria-pressed ${pressed}, focus on ${await focused(page)})`,
    );
  }
  await tabTo(page, '[data-testid^="decide-"]');
  await page.keyboard.press('Space');
  await page
    .waitForFunction(
      () => globalThis.document.activeElement?.getAttribute('data-testid') === 'private-key',
      null,
      {
        timeout: 5_000,
      },
    )
    .catch(async () => {
      throw new Error(`opening the decision left focus on ${await focused(page)}, not the key field`);
    });
  await page.keyboard.insertText(data.officialKey);
  await tabTo(page, 'mat-radio-group input[type="radio"]', 5);
  await page.keyboard.press('ArrowDown');
  if (!(await page.getByTestId('outcome-reject').locator('input').isChecked())) {
    throw new Error('ArrowDown in the outcome group did not choose "reject"');
  }
  await page.keyboard.press('ArrowUp');
  if (!(await page.getByTestId('outcome-recognise').locator('input').isChecked())) {
    throw new Error('ArrowUp in the outcome group did not choose "recognise" again');
  }
  await tabTo(page, '[data-testid="sign-decision"]', 5);
  await page.keyboard.press('Enter');
  const message = page.getByTestId('decision-message');
  await message.waitFor({ timeout: 30_000 });
  const text = (await message.textContent()) ?? '';
  await shot(page, '19-recognition-keyboard');
  if (!text.includes('决定已提交')) throw new Error(`the decision was not accepted: ${text}`);
  // the form and its button are gone: focus lands on the outcome, not on <body>
  await page
    .waitForFunction(
      () => globalThis.document.activeElement?.getAttribute('data-testid') === 'decision-message',
      undefined,
      { timeout: 5_000 },
    )
    .catch(async () => {
      throw new Error(`after the decision, focus was on ${await focused(page)}, not the outcome message`);
    });
}

async function keyboardScenario(browser, target) {
  const { url, tokens, data } = target;
  const context = await pinnedContext(browser, target, { ...DESKTOP, locale: 'zh-CN' });
  const page = await context.newPage();
  await step('keyboard: the first Tab stop is the skip link, which moves focus to main', async () => {
    await signIn(page, url, tokens.auditor);
    await skipLinkFirst(page, url);
  });
  await step('keyboard: verify by choosing a file (Space, Enter) and by typing a hash (Enter)', () =>
    verifyByKeyboard(page, url, data),
  );
  await step(
    'keyboard: decide a recognition (cell, decide, key, outcome, sign) without the mouse',
    async () => {
      await page.getByRole('button', { name: '退出' }).click();
      await signIn(page, url, tokens.authority);
      await decideByKeyboard(page, url, data);
    },
  );
  await context.close();
}

// ------------------------------------------------------------------------------------------ layout and axe

/** Every page of the explorer, opened and waited for as an auditor sees it. */
function layoutPages(data) {
  return [
    {
      name: 'dashboard',
      open: async (page, url) => {
        await page.goto(`${url}/`);
        await page.getByTestId('chain-height').waitFor();
        await page.getByTestId('department-counts').waitFor({ timeout: 20_000 });
      },
    },
    {
      name: 'project',
      open: async (page, url) => {
        await page.goto(`${url}/projects/${data.projectCode}`);
        await page.getByTestId('swimlanes').waitFor();
        await page.locator('[data-stage="EIA"] button.milestone').last().click();
        await page.getByTestId('milestone-detail').waitFor();
      },
    },
    {
      name: 'verify',
      open: async (page, url) => {
        await page.goto(`${url}/verify`);
        await page
          .getByTestId('file-input')
          .setInputFiles({ name: '环评批复.pdf', mimeType: 'application/pdf', buffer: data.document });
        await expectState(page, 'valid', true);
      },
    },
    {
      name: 'recognition',
      open: async (page, url) => {
        await page.goto(`${url}/recognition`);
        await page.getByTestId('recognition-matrix').waitFor();
        await matrixNameStaysInView(page);
        await page.getByTestId(data.recognitionCell.replace(/PENDING$/, 'RECOGNISED')).click();
        await page.locator('section[aria-labelledby="list-heading"] table').waitFor();
      },
    },
    {
      name: 'chain',
      open: async (page, url) => {
        await page.goto(`${url}/chain`);
        await page.getByTestId('blocks-table').waitFor();
      },
    },
    {
      name: 'block',
      open: async (page, url) => {
        await page.goto(`${url}/chain/blocks/1`);
        await page.getByTestId('check-header').locator('.verified').waitFor({ timeout: 20_000 });
      },
    },
    {
      name: 'transaction',
      open: async (page, url) => {
        await page.goto(`${url}/chain/blocks/1`);
        await page.locator('table.data a.mono').first().click();
        await page.getByTestId('check-endorsement').first().locator('.verified').waitFor({ timeout: 20_000 });
      },
    },
    {
      name: 'certificates',
      open: async (page, url) => {
        await page.goto(`${url}/certificates`);
        await page.locator('main h1').waitFor();
      },
    },
    {
      name: 'audit',
      open: async (page, url) => {
        await page.goto(`${url}/audit`);
        await page.getByTestId('audit-table').waitFor();
      },
    },
    {
      name: 'trust',
      open: async (page, url) => {
        await page.goto(`${url}/trust`);
        // the pinned anchors (or that nothing is pinned): the section is there either way
        await page.getByTestId('trust-pinned').waitFor();
        await page.getByTestId('trust-witnesses').waitFor({ timeout: 20_000 });
      },
    },
  ];
}

/** The matrix's name stays on screen when its table is scrolled sideways (at phone width it is wider than the screen). */
async function matrixNameStaysInView(page) {
  const placement = await page.evaluate(() => {
    const table = globalThis.document.querySelector('[data-testid="recognition-matrix"]');
    const scroller = table?.closest('.table-wrap');
    const name = globalThis.document.getElementById(table?.getAttribute('aria-labelledby') ?? '');
    if (!scroller || !name) return { missing: true };
    scroller.scrollLeft = scroller.scrollWidth;
    const box = name.getBoundingClientRect();
    const scrolled = scroller.scrollLeft;
    scroller.scrollLeft = 0;
    return { left: box.left, right: box.right, width: globalThis.innerWidth, scrolled };
  });
  if (placement.missing)
    throw new Error('the recognition matrix has no aria-labelledby name or no .table-wrap');
  if (placement.width < 600 && placement.scrolled === 0) {
    throw new Error('at phone width the matrix did not scroll sideways: this check proves nothing');
  }
  if (placement.left < 0 || placement.left >= placement.width) {
    throw new Error(
      `the matrix name moved off screen (left ${placement.left} px, screen ${placement.width} px) when the table scrolled ${placement.scrolled} px`,
    );
  }
}

/** No sideways scrolling of the document, no serious or critical axe violation; a screenshot at phone width. */
async function checkLayout(page, pass, name, ledger) {
  await page.waitForTimeout(300);
  const overflow = await horizontalOverflow(page, pass.device.viewport.width);
  const violations = await axeViolations(page);
  ledger.add(pass.name, name, violations);
  if (pass.screenshots) await shot(page, `${pass.name}-${name}`);
  const problems = [];
  if (overflow.overflows) {
    problems.push(
      `the document is wider than the ${overflow.width} px screen: scrollWidth ${overflow.scrollWidth} (innerWidth ${overflow.innerWidth}); sticking out: ${overflow.culprits.join(', ')}`,
    );
  }
  const failing = AxeLedger.failure(violations);
  if (failing) problems.push(failing);
  if (problems.length > 0) throw new Error(problems.join('\n'));
}

/**
 * English prose in the Chinese view: three or more English words in a row in visible text or in an accessible
 * name, title or placeholder, and untranslated registry codes (`LAND_USE_PLANNING`). Hashes, MSP IDs, file names,
 * URLs, codes in <code> and anything marked lang="en" or translate="no" are not prose.
 */
async function englishInChineseView(page) {
  return page.evaluate(() => {
    const PROSE = /[A-Za-z][a-z]+(?:[\s,;:()'’-]+[A-Za-z][a-z]+){2,}/g;
    const CODE = /\b[A-Z]{2,}(?:_[A-Z]+)+\b/g;
    const found = [];
    const skip = (el) => !el || el.closest('script, style, code, pre, [lang="en"], [translate="no"]');
    const report = (where, text) => {
      for (const m of [...text.matchAll(PROSE), ...text.matchAll(CODE)]) found.push(`${where}: "${m[0]}"`);
    };
    const walker = globalThis.document.createTreeWalker(
      globalThis.document.body,
      globalThis.NodeFilter.SHOW_TEXT,
    );
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      if (skip(el) || el.getClientRects().length === 0) continue;
      report(el.tagName.toLowerCase(), node.textContent ?? '');
    }
    for (const el of globalThis.document.querySelectorAll('[aria-label], [title], [placeholder], [alt]')) {
      if (skip(el)) continue;
      for (const name of ['aria-label', 'title', 'placeholder', 'alt']) {
        const value = el.getAttribute(name);
        if (value) report(`${el.tagName.toLowerCase()}[${name}]`, value);
      }
    }
    return [...new Set(found)];
  });
}

/** At phone width the navigation hides behind the menu button, which opens it; a link there navigates and closes it. */
async function phoneNavigation(page, url) {
  await page.goto(`${url}/`);
  await page.getByTestId('chain-height').waitFor();
  const nav = page.locator('nav#main-nav');
  const toggle = page.locator('button.menu-toggle');
  if (await nav.isVisible()) throw new Error('the navigation is open before the menu button is pressed');
  if (!(await toggle.isVisible())) throw new Error('no menu button at phone width');
  await toggle.tap();
  await nav.waitFor({ state: 'visible', timeout: 2_000 });
  if ((await toggle.getAttribute('aria-expanded')) !== 'true')
    throw new Error('the menu button is not aria-expanded');
  const links = await nav.getByRole('link').count();
  if (links < 7) throw new Error(`${links} links in the navigation, expected the auditor's 7`);
  await shot(page, 'phone-00-menu');
  await nav.getByRole('link', { name: '审计日志' }).tap();
  await page.waitForURL(/\/audit$/);
  await nav.waitFor({ state: 'hidden', timeout: 2_000 });
}

async function layoutPass(browser, target, pass, ledger) {
  const { url, tokens, data } = target;
  // the hub's Content-Security-Policy (script-src 'self') would refuse axe's inline script tag
  const context = await pinnedContext(browser, target, { ...pass.device, locale: 'zh-CN', bypassCSP: true });
  const page = await context.newPage();
  await step(`${pass.name}: sign-in page — no sideways scroll, no serious axe violations`, async () => {
    await page.goto(`${url}/sign-in`);
    await page.getByTestId('token-input').waitFor();
    await checkLayout(page, pass, 'sign-in', ledger).finally(() => signIn(page, url, tokens.auditor));
  });
  if (pass.device.isMobile) {
    await step(`${pass.name}: the menu button opens the navigation`, () => phoneNavigation(page, url));
  }
  for (const language of pass.languages) {
    if (language === 'en') {
      await step(`${pass.name}: switching to English sets <html lang="en">`, async () => {
        await page.getByTestId('language-switch').click();
        // the switch re-renders asynchronously (the English labels load lazily): wait for it, then check
        await page
          .waitForFunction(() => globalThis.document.documentElement.lang === 'en', undefined, {
            timeout: 10_000,
          })
          .catch(() => undefined);
        const lang = await page.evaluate(() => globalThis.document.documentElement.lang);
        if (lang !== 'en') throw new Error(`<html lang="${lang}"> 10 s after switching to English`);
      });
    }
    for (const p of layoutPages(data)) {
      await step(
        `${pass.name} ${language}: ${p.name} — no sideways scroll, no serious axe violations`,
        async () => {
          await p.open(page, url);
          await checkLayout(page, { ...pass, name: `${pass.name}-${language}` }, p.name, ledger);
        },
      );
      if (language === 'zh') {
        await step(`${pass.name} zh: ${p.name} — no English prose or untranslated code`, async () => {
          const english = await englishInChineseView(page);
          if (english.length > 0) throw new Error(`English in the zh-CN view:\n${english.join('\n')}`);
        });
      }
    }
  }
  await context.close();
}

// ------------------------------------------------------------------------------------------ main

async function everyScenario(browser, target, ledger) {
  const metrics = await scenario(browser, target);
  await keyboardScenario(browser, target);
  if (fixtureMode) log('the cross-region story needs the hub (a revocation through NATS): hub run only');
  else await crossRegionScenario(browser, target);
  if (fixtureMode) log('the pinned-trust story needs the hub (its trust export, v2 bundles): hub run only');
  else await pinnedTrustScenario(browser, target);
  if (fixtureMode) log('the correction story needs the hub (corrections arrive through NATS): hub run only');
  else await correctionScenario(browser, target);
  await layoutPass(browser, target, { name: 'desktop', device: DESKTOP, languages: ['zh'] }, ledger);
  await layoutPass(
    browser,
    target,
    { name: 'phone', device: PHONE, languages: ['zh', 'en'], screenshots: true },
    ledger,
  );
  return metrics;
}

async function run() {
  console.log(`\n=== explorer e2e: ${label} ===\n`);
  mkdirSync(screenshots, { recursive: true });
  for (const file of readdirSync(screenshots)) {
    if (file.startsWith(fixtureMode ? 'fixture-' : 'hub-')) rmSync(join(screenshots, file));
  }
  ensureBuilt();
  await ensureChromium();
  const target = fixtureMode ? await startFixture() : await startHub();
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--no-first-run',
      '--disable-dev-shm-usage',
    ],
  });
  let metrics = {};
  const ledger = new AxeLedger();
  try {
    if (only === 'trust') {
      if (fixtureMode) throw new Error('--only=trust needs the hub: its trust export and v2 bundles');
      await pinnedTrustScenario(browser, target);
    } else if (only === 'corrections') {
      if (fixtureMode) throw new Error('--only=corrections needs the hub: a correction arrives through NATS');
      await correctionScenario(browser, target);
    } else {
      metrics = await everyScenario(browser, target, ledger);
    }
  } finally {
    await browser.close();
    await target.stop();
  }
  return summary(metrics, ledger);
}

function summary(metrics, ledger) {
  if (only) {
    const failed = results.filter((r) => !r.ok).length;
    console.log(
      `\n[e2e] ${label}, only ${only}\n\n  ${results.length - failed} passing\n  ${failed} failing\n`,
    );
    return failed === 0 ? 0 : 1;
  }
  const initial = initialJsGzip();
  console.log(`\n[e2e] ${label}`);
  console.log(
    `[e2e] initial JS (index.html's scripts): ${initial.files} files, ${(initial.raw / 1024).toFixed(1)} KiB raw, ${(initial.gzip / 1024).toFixed(1)} KiB gzipped`,
  );
  console.log(
    `[e2e] JS loaded before the sign-in page showed (incl. lazy registry labels and route): ${(metrics.startupJsGzip / 1024).toFixed(1)} KiB gzipped`,
  );
  console.log(
    `[e2e] project page render with 200 milestones: ${Number(metrics.renderMs).toFixed(1)} ms (budget 200 ms, not asserted)`,
  );
  if (metrics.chainCheck) console.log(`[e2e] chain check: ${metrics.chainCheck}`);
  if (metrics.endorsementsVerified) {
    console.log(
      `[e2e] transaction: ${metrics.endorsementsVerified} endorsement signature(s) verified in the browser`,
    );
  }
  console.log(ledger.summary());
  console.log(`[e2e] screenshots: ${screenshots}`);
  const failed = results.filter((r) => !r.ok).length;
  console.log(`\n  ${results.length - failed} passing\n  ${failed} failing\n`);
  return failed === 0 ? 0 : 1;
}

run().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`\n[e2e] ${label} FAILED: ${error?.message ?? error}\n`);
    process.exit(1);
  },
);

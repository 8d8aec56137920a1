#!/usr/bin/env node
// `npm test`: installs what is missing, builds every package, lints, then runs every package's suites
// (real nats-server and MariaDB servers are started by the suites themselves through @approval-ledger/testkit).
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDeps } from './ensure-deps.mjs';
import { BROWSER_PACKAGES, ensureDebianPackages, SERVER_PACKAGES } from './system-deps.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);

function step(title, cmd, args) {
  console.log(`\n[test] ${title}: ${[cmd, ...args].join(' ')}`);
  const r = spawnSync(cmd, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NX_DAEMON: 'false' },
  });
  if (r.status !== 0) {
    console.error(`[test] ${title} failed (exit ${r.status})`);
    process.exit(r.status ?? 1);
  }
}

ensureDeps();
ensureDebianPackages([...SERVER_PACKAGES, ...BROWSER_PACKAGES]);
step('build', bin('lerna'), ['run', 'build']);
step('lint', bin('eslint'), ['.']);
step('format', bin('prettier'), ['--check', '.']);

// Suites run one package at a time: several start their own servers and this machine has 2 cores.
console.log(`\n[test] suites: lerna run test --concurrency 1`);
const child = spawn(bin('lerna'), ['run', 'test', '--concurrency', '1', '--stream'], {
  cwd: root,
  env: { ...process.env, NX_DAEMON: 'false', FORCE_COLOR: '0' },
  stdio: ['ignore', 'pipe', 'pipe'],
});
let passed = 0;
let failed = 0;
let pending = 0;
let buffer = '';
const count = (chunk) => {
  buffer += chunk;
  const lines = buffer.split('\n');
  buffer = lines.pop() ?? '';
  for (const line of lines) {
    const m = /^\S*:?\s*(\d+) (passing|failing|pending)\b/.exec(line.replace(/^[^:]*:\s+/, ''));
    if (!m) continue;
    if (m[2] === 'passing') passed += Number(m[1]);
    else if (m[2] === 'failing') failed += Number(m[1]);
    else pending += Number(m[1]);
  }
};
child.stdout.on('data', (d) => {
  process.stdout.write(d);
  count(d.toString());
});
child.stderr.on('data', (d) => process.stderr.write(d));
child.on('close', (code) => {
  console.log(`\ntests: ${passed} passed, ${failed} failed${pending ? `, ${pending} skipped` : ''}`);
  process.exit(code === 0 && failed === 0 && passed > 0 ? 0 : code || 1);
});

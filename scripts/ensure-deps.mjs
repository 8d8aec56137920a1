#!/usr/bin/env node
// Installs the workspace's npm dependencies when node_modules is absent or older than the lock file.
// Dependency-free on purpose: it runs on a fresh clone before anything else is installed.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stampFile = join(root, 'node_modules', '.approval-ledger-install.sha256');

export function installFingerprint() {
  const rootPkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const hash = createHash('sha256');
  const files = ['package.json', 'package-lock.json', ...rootPkg.workspaces.map((w) => `${w}/package.json`)];
  for (const file of files) {
    const path = join(root, file);
    hash
      .update(file)
      .update('\0')
      .update(existsSync(path) ? readFileSync(path) : '')
      .update('\0');
  }
  return hash.digest('hex');
}

export function ensureDeps() {
  const major = Number(process.versions.node.split('.')[0]);
  if (![20, 22, 24].includes(major)) {
    console.warn(
      `warning: approval-ledger supports Node 20.19+, 22.13+ and 24.11+ (package.json engines); this is Node ${process.versions.node}`,
    );
  }
  const want = installFingerprint();
  const have = existsSync(stampFile) ? readFileSync(stampFile, 'utf8').trim() : '';
  if (have === want) return;
  const cmd = existsSync(join(root, 'package-lock.json')) ? ['ci'] : ['install'];
  console.log(`[deps] node_modules is ${have ? 'stale' : 'missing'}: running npm ${cmd.join(' ')}`);
  const r = spawnSync('npm', [...cmd, '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`[deps] npm ${cmd.join(' ')} failed with exit code ${r.status}`);
    process.exit(r.status ?? 1);
  }
  writeFileSync(stampFile, want + '\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) ensureDeps();

#!/usr/bin/env node
// `npm run bench [-- <name>]`: runs the benchmarks each package declares in package.json under
// "benchmarks": {"<name>": "<command>"}. Each prints one JSON object per line; those lines are echoed and
// written to bench/results/<name>.json.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDeps } from './ensure-deps.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const rootPkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

function discover() {
  const benches = [];
  for (const ws of rootPkg.workspaces) {
    let pkg;
    try {
      pkg = JSON.parse(readFileSync(join(root, ws, 'package.json'), 'utf8'));
    } catch {
      continue;
    }
    for (const [name, command] of Object.entries(pkg.benchmarks ?? {})) {
      benches.push({ name, command, cwd: join(root, ws) });
    }
  }
  return benches;
}

function run(bench) {
  return new Promise((resolve) => {
    console.error(`[bench] ${bench.name}: ${bench.command}`);
    const child = spawn(bench.command, { cwd: bench.cwd, shell: true, stdio: ['ignore', 'pipe', 'inherit'] });
    const results = [];
    let buffer = '';
    child.stdout.on('data', (d) => {
      buffer += d.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        process.stdout.write(line + '\n');
        try {
          const obj = JSON.parse(line);
          if (obj && typeof obj === 'object' && 'bench' in obj) results.push(obj);
        } catch {
          // not a result line
        }
      }
    });
    child.on('close', (code) => {
      mkdirSync(join(root, 'bench', 'results'), { recursive: true });
      writeFileSync(
        join(root, 'bench', 'results', `${bench.name}.json`),
        JSON.stringify(results, null, 2) + '\n',
      );
      resolve(code ?? 1);
    });
  });
}

ensureDeps();
const wanted = process.argv.slice(2);
const all = discover();
const selected = wanted.length ? all.filter((b) => wanted.includes(b.name)) : all;
const unknown = wanted.filter((w) => !all.some((b) => b.name === w));
if (unknown.length) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${all.map((b) => b.name).join(', ')}`);
  process.exit(1);
}
const build = spawnSync(join(root, 'node_modules', '.bin', 'lerna'), ['run', 'build'], {
  cwd: root,
  stdio: ['ignore', 2, 2], // keep stdout for JSON result lines only
  env: { ...process.env, NX_DAEMON: 'false' },
});
if (build.status !== 0) process.exit(build.status ?? 1);
let failed = 0;
for (const bench of selected) if ((await run(bench)) !== 0) failed++;
process.exit(failed ? 1 : 0);

#!/usr/bin/env node
// Builds a classic Fabric Node.js chaincode folder (the peer, or `peer lifecycle chaincode package
// --lang node`, runs `npm install` in it and starts `fabric-chaincode-node start`):
//   build/package/
//     package.json          main dist/index.js (exports `contracts`), start script, the package's own dependencies
//     npm-shrinkwrap.json   every dependency pinned (class-transformer 0.4.0 included)
//     dist/                 the compiled contracts (built from a clean dist/, without tests)
//     vendor/approval-ledger-protocol-<v>.tgz   the protocol package, bundled (it is not on npm)
// The chaincode package depends only on what a peer runs (the in-process Fabric engine is its own package,
// @approval-ledger/fabric-engine, a dev dependency for the tests), so its dependencies are copied as they are;
// what this script still does: rebuild dist/ from clean, vendor the workspace protocol package, pin everything
// with the root overrides, and check class-transformer.
// Usage: npm run -w chaincode package [-- --out <dir>]   (builds protocol and chaincode first)
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const chaincodeDir = resolve(here, '..');
const rootDir = resolve(chaincodeDir, '..');
const outArg = process.argv.indexOf('--out');
const outDir = resolve(outArg > 0 ? process.argv[outArg + 1] : join(chaincodeDir, 'build', 'package'));

const npm = (args, cwd) =>
  execFileSync('npm', args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));

const own = readJson(join(chaincodeDir, 'package.json'));
const protocol = readJson(join(rootDir, 'protocol', 'package.json'));
const root = readJson(join(rootDir, 'package.json'));

console.log('building protocol and chaincode');
npm(['run', '-w', 'protocol', 'build'], rootDir);
// from a clean dist/: tsc never deletes outputs whose sources are gone
rmSync(join(chaincodeDir, 'dist'), { recursive: true, force: true });
npm(['run', '-w', 'chaincode', 'build'], rootDir);

rmSync(outDir, { recursive: true, force: true });
mkdirSync(join(outDir, 'vendor'), { recursive: true });

// the compiled chaincode
cpSync(join(chaincodeDir, 'dist'), join(outDir, 'dist'), {
  recursive: true,
  filter: (src) => !src.endsWith('.tsbuildinfo'),
});

// the protocol package as npm would publish it
const packed = npm(
  ['pack', '--pack-destination', join(outDir, 'vendor'), '--json'],
  join(rootDir, 'protocol'),
);
const tarball = JSON.parse(packed)[0].filename.replace(/^.*\//, '');

const dependencies = { ...own.dependencies, [protocol.name]: `file:vendor/${tarball}` };

writeFileSync(
  join(outDir, 'package.json'),
  `${JSON.stringify(
    {
      name: 'approval-ledger-chaincode',
      version: own.version,
      description: own.description,
      license: own.license,
      main: 'dist/index.js',
      engines: { node: '>=18' },
      scripts: { start: 'fabric-chaincode-node start', serve: 'node dist/serve.js' },
      dependencies: Object.fromEntries(Object.entries(dependencies).sort(([a], [b]) => a.localeCompare(b))),
      overrides: root.overrides,
    },
    null,
    2,
  )}\n`,
);

console.log('resolving and pinning dependencies (npm-shrinkwrap.json)');
npm(['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund'], outDir);
renameSync(join(outDir, 'package-lock.json'), join(outDir, 'npm-shrinkwrap.json'));
if (existsSync(join(outDir, 'node_modules')))
  rmSync(join(outDir, 'node_modules'), { recursive: true, force: true });

const shrinkwrap = readJson(join(outDir, 'npm-shrinkwrap.json'));
const classTransformer = shrinkwrap.packages?.['node_modules/class-transformer']?.version;
if (classTransformer !== '0.4.0')
  throw new Error(`class-transformer resolved to ${classTransformer}, expected 0.4.0`);

console.log(`chaincode package ready in ${outDir}`);
console.log(readdirSync(outDir).join('  '));
console.log(
  `deploy: peer lifecycle chaincode package approval-ledger.tar.gz --path ${outDir} --lang node --label approval-ledger_${own.version}`,
);

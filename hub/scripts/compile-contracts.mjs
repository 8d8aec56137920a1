#!/usr/bin/env node
// Compiles hub/contracts/*.sol with solc from npm (no system compiler) into dist/contracts/<Name>.json:
// { contractName, abi, bytecode, compiler, evmVersion, sourceSha256 }. Part of `npm run build -w hub`; the ABI
// and bytecode are build outputs, never committed. evmVersion "paris" (no PUSH0) so that the bytecode also
// deploys on EVM chains that lag Ethereum's forks (permissioned chains, some L2s).
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const hub = join(dirname(fileURLToPath(import.meta.url)), '..');
const sourcesDir = join(hub, 'contracts');
const outDir = join(hub, 'dist', 'contracts');
const EVM_VERSION = 'paris';

const solc = createRequire(import.meta.url)('solc');
const sources = Object.fromEntries(
  readdirSync(sourcesDir)
    .filter((f) => f.endsWith('.sol'))
    .map((f) => [f, { content: readFileSync(join(sourcesDir, f), 'utf8') }]),
);
const input = {
  language: 'Solidity',
  sources,
  settings: {
    evmVersion: EVM_VERSION,
    optimizer: { enabled: true, runs: 200 },
    outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
  },
};
const output = JSON.parse(solc.compile(JSON.stringify(input)));
const errors = (output.errors ?? []).filter((e) => e.severity === 'error');
for (const e of output.errors ?? []) console.error(e.formattedMessage);
if (errors.length > 0) process.exit(1);
mkdirSync(outDir, { recursive: true });
for (const [file, contracts] of Object.entries(output.contracts)) {
  for (const [contractName, c] of Object.entries(contracts)) {
    const artifact = {
      contractName,
      abi: c.abi,
      bytecode: `0x${c.evm.bytecode.object}`,
      compiler: `solc ${solc.version()}`,
      evmVersion: EVM_VERSION,
      sourceSha256: createHash('sha256').update(sources[file].content).digest('hex'),
    };
    writeFileSync(join(outDir, `${contractName}.json`), `${JSON.stringify(artifact, null, 2)}\n`);
  }
}

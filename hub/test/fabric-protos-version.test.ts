/**
 * One `@hyperledger/fabric-protos` in the tree. Its generated modules register their messages in
 * google-protobuf's one global namespace, so two versions loaded into one process (fabric-shim pins 0.2.x,
 * fabric-gateway needs 0.3.x) overwrite each other's classes depending on load order. The root
 * `overrides` gives fabric-shim the gateway's version (0.3 only removed the Kafka orderer messages and
 * added SmartBFT's, neither of which the shim uses).
 */
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect } from 'chai';

const root = join(__dirname, '..', '..');

function installedCopies(dir: string, found: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    if (entry === '.bin' || entry === '.cache') continue;
    const path = join(dir, entry);
    if (entry.startsWith('@')) {
      installedCopies(path, found);
      continue;
    }
    if (!statSync(path).isDirectory()) continue;
    if (path.endsWith(join('@hyperledger', 'fabric-protos'))) found.push(path);
    const nested = join(path, 'node_modules');
    if (statSync(path).isDirectory() && exists(nested)) installedCopies(nested, found);
  }
  return found;
}

function exists(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function resolvedFrom(pkg: string): string {
  const from = dirname(require.resolve(`${pkg}/package.json`, { paths: [root] }));
  return realpathSync(dirname(require.resolve('@hyperledger/fabric-protos/package.json', { paths: [from] })));
}

describe('@hyperledger/fabric-protos', () => {
  it('is installed once', () => {
    const copies = installedCopies(join(root, 'node_modules'));
    const versions = copies.map(
      (dir) => (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version,
    );
    expect(copies, `copies: ${copies.join(', ')} (${versions.join(', ')})`).to.have.length(1);
    expect(versions[0]).to.match(/^0\.3\./);
  });

  it('is the same module for fabric-shim, fabric-gateway, the chaincode, the protocol and the hub', () => {
    const shim = resolvedFrom('fabric-shim');
    expect(resolvedFrom('@hyperledger/fabric-gateway')).to.equal(shim);
    for (const pkg of ['@approval-ledger/chaincode', '@approval-ledger/protocol', '@approval-ledger/hub']) {
      expect(resolvedFrom(pkg), pkg).to.equal(shim);
    }
  });
});

// Reads the genuine Fabric 2.4.9 artefacts in `../shared/fabric-fixtures` beside the repository root (their
// README and manifest.json say how each was produced and what independently computed values to expect).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { common } from '@hyperledger/fabric-protos';

function repositoryRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'lerna.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no repository root (lerna.json) above ${from}`);
  }
}

export const FABRIC_FIXTURES_DIR = join(repositoryRoot(__dirname), '..', 'shared', 'fabric-fixtures');

export function readFabricFixture(file: string): Uint8Array {
  return new Uint8Array(readFileSync(join(FABRIC_FIXTURES_DIR, file)));
}

/** The manifest's entry of one file, with the expected values computed independently at capture. */
export function fabricManifestEntry<T = Record<string, unknown>>(file: string): T {
  const manifest = JSON.parse(readFileSync(join(FABRIC_FIXTURES_DIR, 'manifest.json'), 'utf8')) as {
    files: Record<string, unknown>;
  };
  const entry = manifest.files[file];
  if (entry === undefined) throw new Error(`manifest.json describes no file ${file}`);
  return entry as T;
}

/** The fixture blocks in chain order: block 0, then the consecutive blocks 236 to 239. */
export const FABRIC_FIXTURE_BLOCKS = [
  'block-valid.bin',
  'block-two-endorsements.bin',
  'block-endorsement-policy-failure.bin',
  'block-mvcc-read-conflict.bin',
] as const;

/** A copy of a fixture block changed with Fabric's own message classes. */
export function tampered(file: string, change: (block: common.Block) => void): Uint8Array {
  const block = common.Block.deserializeBinary(readFabricFixture(file));
  change(block);
  return block.serializeBinary();
}

export function flipByte(bytes: Uint8Array, at: number): void {
  bytes[at] = (bytes[at] ?? 0) ^ 0x01;
}

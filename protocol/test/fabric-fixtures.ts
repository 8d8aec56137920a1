// Reads the genuine Fabric 2.4.9 artefacts in `../shared/fabric-fixtures` beside the repository root (their
// README and manifest.json say how each was produced and what independently computed values to expect).
import { readFabricFixture } from '@approval-ledger/testkit';
import { common } from '@hyperledger/fabric-protos';

export { FABRIC_FIXTURES_DIR, fabricManifestEntry, readFabricFixture } from '@approval-ledger/testkit';

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

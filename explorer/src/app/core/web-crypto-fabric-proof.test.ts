/**
 * The explorer's verifier on a Fabric proof bundle built from genuine Fabric 2.4.9 blocks
 * (../shared/fabric-fixtures): the protocol core's Fabric rules, with every signature (creator, endorser,
 * orderer, CA) checked by WebCrypto.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  base64ToBytes,
  buildFabricProofBundle,
  bytesToBase64,
  decodeFabricBlock,
} from '@approval-ledger/protocol';
import { describe, expect, it } from 'vitest';
import { WebCryptoChainVerifier } from './web-crypto-chain-verifier';

function fixturesDir(): string {
  for (let dir = process.cwd(); dirname(dir) !== dir; dir = dirname(dir)) {
    if (existsSync(join(dir, 'lerna.json'))) return join(dir, '..', 'shared', 'fabric-fixtures');
  }
  throw new Error(`no repository root (lerna.json) above ${process.cwd()}`);
}

const read = (file: string): Uint8Array => new Uint8Array(readFileSync(join(fixturesDir(), file)));
const manifest = JSON.parse(readFileSync(join(fixturesDir(), 'manifest.json'), 'utf8')) as {
  files: Record<string, { expected: { transactions: { txId: string; actions: { args: string[] }[] }[] } }>;
};

function offsetOf(haystack: Uint8Array, needle: Uint8Array): number {
  const at = haystack.findIndex((_, i) => needle.every((b, j) => haystack[i + j] === b));
  if (at < 0) throw new Error('the signature is not in the block bytes');
  return at;
}

function bundle() {
  const tx = manifest.files['block-valid.bin']!.expected.transactions[0]!;
  const anchor = (JSON.parse(tx.actions[0]!.args[1]!) as Record<string, unknown>[])[0]!;
  return {
    anchor,
    bundle: buildFabricProofBundle({
      configBlocks: [read('config-block-0.bin')],
      transaction: { txId: tx.txId, block: read('block-valid.bin') },
      chain: [read('block-two-endorsements.bin')],
      record: { kind: 'milestone', id: anchor['id'] as string, anchor },
    }),
  };
}

describe('WebCryptoChainVerifier: Fabric proof bundles from genuine Fabric blocks', () => {
  const verifier = new WebCryptoChainVerifier();

  it('verifies the record, its transaction, block and later header with WebCrypto', async () => {
    const { anchor, bundle: fabric } = bundle();
    const verdict = await verifier.verifyProofBundle(fabric, anchor['commitment'] as string);
    expect(verdict.checks.filter((c) => c.status !== 'verified' && c.status !== 'not-applicable')).toEqual(
      [],
    );
    expect(verdict.ok).toBe(true);
    expect(verdict.status).toBe('valid');
    expect(verdict.record?.matchedBy).toBe('commitment');
    expect(verdict.endorsedBy.map((e) => e.mspId)).toEqual(['BeijingMSP']);
    expect(verdict.head?.number).toBe(237);
  });

  it('refuses a forged orderer signature in the block metadata', async () => {
    const { anchor, bundle: fabric } = bundle();
    const block = base64ToBytes(fabric.transaction.block);
    // change one byte of the orderer's DER signature, where it sits in the SIGNATURES metadata
    const signature = decodeFabricBlock(block).signatures.signatures[0]!.signature;
    const at = offsetOf(block, signature) + 10;
    block[at] = (block[at] ?? 0) ^ 0x01;
    const forged = { ...fabric, transaction: { ...fabric.transaction, block: bytesToBase64(block) } };
    const verdict = await verifier.verifyProofBundle(forged, anchor['commitment'] as string);
    expect(verdict.ok).toBe(false);
    expect(verdict.checks.filter((c) => c.status === 'failed').map((c) => c.name)).toContain(
      'block.ordererSignature',
    );
  });
});

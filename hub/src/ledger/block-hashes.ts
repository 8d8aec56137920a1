/**
 * Re-computes a block's header hash and data hash from the port's engine-neutral {@link LedgerBlock}, for
 * either engine's scheme: embedded (SHA-256 of the canonical JSON header; RFC 6962 Merkle root of the
 * envelopes) or Fabric (SHA-256 of the ASN.1 DER header; SHA-256 of the concatenated envelopes).
 */
import { createHash } from 'node:crypto';
import { blockHash, dataHash, SUITES, type SuiteAlgorithms } from '@approval-ledger/protocol';
import { type LedgerBlock } from './ledger-port';

function derLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function derTlv(tag: number, body: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([tag]), derLength(body.length), body]);
}

function derInteger(value: bigint): Buffer {
  let digits = value.toString(16);
  if (digits.length % 2) digits = `0${digits}`;
  let body = Buffer.from(digits, 'hex');
  if ((body[0] ?? 0) & 0x80) body = Buffer.concat([Buffer.from([0]), body]);
  return derTlv(0x02, body);
}

/** Fabric's `BlockHeaderBytes`: ASN.1 DER `SEQUENCE { INTEGER number, OCTET STRING previousHash, OCTET STRING dataHash }`. */
export function fabricBlockHeaderBytes(
  number: bigint,
  previousHash: Uint8Array,
  dataHashBytes: Uint8Array,
): Uint8Array {
  return derTlv(
    0x30,
    Buffer.concat([derInteger(number), derTlv(0x04, previousHash), derTlv(0x04, dataHashBytes)]),
  );
}

export interface RecomputedHashes {
  readonly hash: string;
  readonly dataHash: string;
}

/** `suite`: the embedded chain's crypto suite (block 0's; SHA-256 unless `gm`). Fabric blocks are always SHA-256. */
export function recomputeBlockHashes(
  block: LedgerBlock,
  suite: SuiteAlgorithms = SUITES.intl,
): RecomputedHashes {
  if (block.dataHashScheme === 'rfc6962') {
    const texts = block.transactions.map((t) => Buffer.from(t.envelope).toString('utf8'));
    const header = { number: block.number, previousHash: block.previousHash, dataHash: block.dataHash };
    return { hash: blockHash(header, suite), dataHash: dataHash(texts, suite) };
  }
  const data = createHash('sha256');
  for (const t of block.transactions) data.update(t.envelope);
  const header = fabricBlockHeaderBytes(
    BigInt(block.number),
    Buffer.from(block.previousHash, 'hex'),
    Buffer.from(block.dataHash, 'hex'),
  );
  return { hash: createHash('sha256').update(header).digest('hex'), dataHash: data.digest('hex') };
}

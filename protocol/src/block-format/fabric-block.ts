/**
 * Fabric's own block hashing, for blocks read from a Fabric network: the header hash is SHA-256 of the ASN.1
 * DER `SEQUENCE { INTEGER number, OCTET STRING previousHash, OCTET STRING dataHash }` (Fabric's
 * `BlockHeaderBytes`), the data hash SHA-256 of the concatenated envelopes.
 */
import { hexToBytes } from '../bytes.js';
import { sha256Hex } from '../sha256.js';
import { concatBytes, derInteger, derOctetString, derSequence } from './der-writer.js';
import { type BlockHeaderJson } from './embedded-block.js';

/** Fabric's `BlockHeaderBytes`. */
export function fabricBlockHeaderBytes(
  number: number | bigint,
  previousHash: Uint8Array,
  dataHashBytes: Uint8Array,
): Uint8Array {
  return derSequence(derInteger(number), derOctetString(previousHash), derOctetString(dataHashBytes));
}

/** The hash of a Fabric block header (hex fields). */
export function fabricBlockHash(header: BlockHeaderJson): string {
  return sha256Hex(
    fabricBlockHeaderBytes(header.number, hexToBytes(header.previousHash), hexToBytes(header.dataHash)),
  );
}

/** The data hash of a Fabric block: SHA-256 of its envelopes' bytes, concatenated in block order. */
export function fabricDataHash(envelopes: readonly Uint8Array[]): string {
  return sha256Hex(concatBytes(...envelopes));
}

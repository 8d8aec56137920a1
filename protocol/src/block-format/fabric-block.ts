/**
 * Fabric's own block hashing, for blocks read from a Fabric network: the header hash is SHA-256 of the ASN.1
 * DER `SEQUENCE { INTEGER number, OCTET STRING previousHash, OCTET STRING dataHash }` (Fabric's
 * `BlockHeaderBytes`), the data hash SHA-256 of the concatenated envelopes.
 */
import { bytesToHex, hexToBytes } from '../bytes.js';
import { sha256Hex } from '../sha256.js';
import { concatBytes, derInteger, derOctetString, derSequence } from './der-writer.js';
import { type BlockHeaderJson } from './embedded-block.js';
import { decodeSerializedIdentity, type FabricIdentity } from './fabric-envelope.js';
import { ProtobufError, ProtobufMessage } from './protobuf-reader.js';
import { VALIDATION_CODES } from './validation-code.js';

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

/**
 * A Fabric `common.Block` read field by field (fabric-protos common/common.proto): `Block { BlockHeader header =
 * 1; BlockData data = 2; BlockMetadata metadata = 3; }`, `BlockHeader { uint64 number = 1; bytes previous_hash =
 * 2; bytes data_hash = 3; }`, `BlockData { repeated bytes data = 1; }`, `BlockMetadata { repeated bytes
 * metadata = 1; }` indexed by `BlockMetadataIndex` (SIGNATURES 0, LAST_CONFIG 1, TRANSACTIONS_FILTER 2,
 * COMMIT_HASH 4). SIGNATURES is a `Metadata { bytes value = 1; repeated MetadataSignature signatures = 2; }`,
 * `MetadataSignature { bytes signature_header = 1; bytes signature = 2; bytes identifier_header = 3; }`, its
 * value an `OrdererBlockMetadata { LastConfig last_config = 1; bytes consenter_metadata = 2; }`, `LastConfig {
 * uint64 index = 1; }`. TRANSACTIONS_FILTER is raw bytes, one `TxValidationCode` per data entry.
 */
export const FABRIC_METADATA_INDEX = {
  SIGNATURES: 0,
  LAST_CONFIG: 1,
  TRANSACTIONS_FILTER: 2,
  COMMIT_HASH: 4,
} as const;

export interface FabricBlockHeader {
  readonly number: number;
  readonly previousHash: string;
  readonly dataHash: string;
}

/** One orderer signature of a block: what it signs before the header, and who signed (from its header). */
export interface FabricMetadataSignature {
  /** `signature_header`: a `SignatureHeader` whose creator is the signing orderer (empty for a BFT identifier). */
  readonly signatureHeader: Uint8Array;
  readonly signature: Uint8Array;
  readonly creator?: FabricIdentity;
}

/** The SIGNATURES metadata: its value (signed by every signature) and the signatures. */
export interface FabricBlockSignatures {
  readonly value: Uint8Array;
  readonly signatures: readonly FabricMetadataSignature[];
  /** `OrdererBlockMetadata.last_config.index`: the configuration block in force (covered by the signatures). */
  readonly lastConfigIndex: number;
}

export interface FabricBlock {
  readonly header: FabricBlockHeader;
  /** The data entries (transaction envelopes), byte for byte. */
  readonly envelopes: readonly Uint8Array[];
  /** The SIGNATURES metadata entry as the block carries it (a serialized `common.Metadata`). */
  readonly signaturesMetadata: Uint8Array;
  readonly signatures: FabricBlockSignatures;
  /** TRANSACTIONS_FILTER: one validation code per envelope, written by the committing peer (not signed). */
  readonly transactionsFilter: Uint8Array;
}

function safeNumber(value: bigint, what: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER))
    throw new ProtobufError(`protobuf: ${what} ${value} is too large`);
  return Number(value);
}

/** The SIGNATURES metadata entry (a serialized `common.Metadata`; empty bytes read as no signatures). */
export function decodeFabricBlockSignatures(bytes: Uint8Array): FabricBlockSignatures {
  const metadata = ProtobufMessage.decode(bytes, 'Metadata');
  const value = metadata.bytes(1, 'value');
  const ordererMetadata = ProtobufMessage.decode(value, 'OrdererBlockMetadata');
  const lastConfig = ordererMetadata.message(1, 'last_config', 'LastConfig');
  const signatures = metadata.repeatedMessages(2, 'signatures', 'MetadataSignature').map((s, i) => {
    const signatureHeader = s.bytes(1, 'signature_header');
    const creatorBytes =
      signatureHeader.length > 0
        ? ProtobufMessage.decode(signatureHeader, `signatures[${i}].SignatureHeader`).bytes(1, 'creator')
        : new Uint8Array();
    return {
      signatureHeader,
      signature: s.bytes(2, 'signature'),
      ...(creatorBytes.length > 0
        ? { creator: decodeSerializedIdentity(creatorBytes, `signatures[${i}].creator`) }
        : {}),
    };
  });
  return {
    value,
    signatures,
    lastConfigIndex: safeNumber(lastConfig?.uint(1, 'index') ?? 0n, 'last_config.index'),
  };
}

/** Reads a serialized `common.Block` (as qscc GetBlockByNumber or the deliver service return it). */
export function decodeFabricBlock(bytes: Uint8Array): FabricBlock {
  const block = ProtobufMessage.decode(bytes, 'Block');
  const header = block.message(1, 'header', 'BlockHeader');
  if (!header) throw new ProtobufError('protobuf: the block has no header');
  const metadata = block.message(3, 'metadata', 'BlockMetadata')?.repeatedBytes(1, 'metadata') ?? [];
  const signaturesMetadata = metadata[FABRIC_METADATA_INDEX.SIGNATURES] ?? new Uint8Array();
  return {
    header: {
      number: safeNumber(header.uint(1, 'number'), 'block number'),
      previousHash: bytesToHex(header.bytes(2, 'previous_hash')),
      dataHash: bytesToHex(header.bytes(3, 'data_hash')),
    },
    envelopes: block.message(2, 'data', 'BlockData')?.repeatedBytes(1, 'data') ?? [],
    signaturesMetadata,
    signatures: decodeFabricBlockSignatures(signaturesMetadata),
    transactionsFilter: metadata[FABRIC_METADATA_INDEX.TRANSACTIONS_FILTER] ?? new Uint8Array(),
  };
}

/** Fabric's `TxValidationCode` names by number (peer/transaction.proto): {@link VALIDATION_CODES} inverted. */
export const FABRIC_VALIDATION_CODES: Readonly<Record<number, string>> = Object.fromEntries(
  Object.entries(VALIDATION_CODES).map(([name, code]) => [code, name]),
);

export function fabricValidationCodeName(code: number | undefined): string {
  return code === undefined ? 'NOT_VALIDATED' : (FABRIC_VALIDATION_CODES[code] ?? `CODE_${code}`);
}

/**
 * Assembles a Fabric proof bundle (`approval-ledger/fabric-proof@1`) from genuine Fabric bytes: the channel's
 * configuration blocks, the block that holds the anchoring transaction (whole: Fabric's data hash covers the
 * concatenation of all its envelopes), the revocation's block when there is one, and later blocks' signed
 * headers. The hub calls it with blocks read through its ledger port; tests call it with captured blocks.
 */
import { decodeFabricBlock, type FabricBlock } from '../block-format/fabric-block.js';
import { decodeFabricEnvelope } from '../block-format/fabric-envelope.js';
import { bytesToBase64 } from './base64.js';
import {
  FABRIC_BLOCK_FORMAT,
  FABRIC_PROOF_BUNDLE_FORMAT,
  type FabricProofBundle,
  type FabricSignedHeader,
  type FabricTransactionProof,
  type ProofBundle,
} from './proof-bundle.js';

export interface FabricBundleParts {
  /** Block 0, then each later configuration block up to the one in force for the anchoring block. */
  readonly configBlocks: readonly Uint8Array[];
  readonly transaction: { readonly txId: string; readonly block: Uint8Array };
  readonly revocation?: { readonly txId: string; readonly block: Uint8Array };
  /** Blocks after the anchoring block, consecutive (only their headers and signatures go in). */
  readonly chain?: readonly Uint8Array[];
  readonly record: ProofBundle['record'];
  readonly query?: string;
  readonly statement?: ProofBundle['statement'];
  readonly createdAt?: Date;
}

/** The transaction is not in the block it was said to be in. */
export class FabricBundleError extends Error {
  override readonly name = 'FabricBundleError';
}

function transactionProof(txId: string, bytes: Uint8Array): FabricTransactionProof {
  const block = decodeFabricBlock(bytes);
  const txIndex = block.envelopes.findIndex((e) => {
    try {
      return decodeFabricEnvelope(e).channelHeader.txId === txId;
    } catch {
      return false;
    }
  });
  if (txIndex < 0) throw new FabricBundleError(`transaction ${txId} is not in block ${block.header.number}`);
  return { txId, blockNumber: block.header.number, txIndex, block: bytesToBase64(bytes) };
}

/** A later block's header and SIGNATURES metadata, as a bundle's `chain` carries it. */
export function fabricSignedHeader(block: FabricBlock): FabricSignedHeader {
  return { ...block.header, signatures: bytesToBase64(block.signaturesMetadata) };
}

export function buildFabricProofBundle(parts: FabricBundleParts): FabricProofBundle {
  const [genesis] = parts.configBlocks;
  if (!genesis) throw new FabricBundleError('a Fabric proof bundle needs the channel genesis block');
  const config = decodeFabricEnvelope(decodeFabricBlock(genesis).envelopes[0] ?? new Uint8Array());
  return {
    format: FABRIC_PROOF_BUNDLE_FORMAT,
    createdAt: (parts.createdAt ?? new Date()).toISOString(),
    ledger: {
      blockFormat: FABRIC_BLOCK_FORMAT,
      channel: config.channelHeader.channelId,
      configBlocks: parts.configBlocks.map(bytesToBase64),
    },
    ...(parts.query ? { query: { sha256: parts.query } } : {}),
    record: parts.record,
    transaction: transactionProof(parts.transaction.txId, parts.transaction.block),
    ...(parts.revocation
      ? { revocation: { transaction: transactionProof(parts.revocation.txId, parts.revocation.block) } }
      : {}),
    chain: (parts.chain ?? []).map((b) => fabricSignedHeader(decodeFabricBlock(b))),
    ...(parts.statement ? { statement: parts.statement } : {}),
  };
}

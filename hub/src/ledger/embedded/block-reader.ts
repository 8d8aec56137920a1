/** Stored blocks and transactions as the port's engine-neutral {@link LedgerBlock} / {@link LedgerTransaction}. */
import {
  utf8Encode,
  type BlockHeaderJson,
  type BlockJson,
  type BlockMetadataJson,
  type SignatureJson,
  timestampIso,
  type TransactionJson,
} from '@approval-ledger/protocol';
import { type LedgerBlock, type LedgerSignature, type LedgerTransaction } from '../ledger-port';
import { type ValidationCode } from '@approval-ledger/protocol';
import { fromBase64, type StoredBlock, type StoredTransaction } from '@approval-ledger/fabric-engine';

function toSignature(s: SignatureJson): LedgerSignature {
  return { mspId: s.mspId, certificate: s.certificate, signature: fromBase64(s.signature) };
}

export function toLedgerTransaction(stored: StoredTransaction): LedgerTransaction {
  const tx = JSON.parse(stored.envelope) as TransactionJson;
  const common = {
    txId: stored.txId,
    blockNumber: stored.blockNumber,
    txIndex: stored.txIndex,
    validationCode: stored.validationCode as ValidationCode,
  };
  if (tx.type === 'config') {
    return withEnvelope(
      { ...common, type: 'config', timestamp: timestampIso(tx.timestamp), args: [], endorsements: [] },
      stored.envelope,
    );
  }
  const { proposal } = tx;
  return withEnvelope(
    {
      ...common,
      type: 'endorser',
      timestamp: timestampIso(proposal.timestamp),
      creator: { ...proposal.creator },
      chaincodeName: proposal.chaincode,
      function: proposal.function,
      args: proposal.args,
      endorsements: tx.endorsements.map(toSignature),
      ...(tx.event ? { event: { eventName: tx.event.name, payload: fromBase64(tx.event.payload) } } : {}),
    },
    stored.envelope,
  );
}

/**
 * `envelope` as the UTF-8 bytes of the stored text, encoded when first read: the chain indexer, which reads
 * every block, never needs them (a copy of every transaction, measured as the largest allocation of ingest's
 * block reading), proofs and block hashes do.
 */
function withEnvelope(tx: Omit<LedgerTransaction, 'envelope'>, text: string): LedgerTransaction {
  let bytes: Uint8Array | undefined;
  return Object.defineProperty(tx, 'envelope', {
    enumerable: true,
    get: () => (bytes ??= utf8Encode(text)),
  }) as LedgerTransaction;
}

export function toLedgerBlock(stored: StoredBlock, transactions: readonly StoredTransaction[]): LedgerBlock {
  const header = JSON.parse(stored.header) as BlockHeaderJson;
  const metadata = JSON.parse(stored.metadata) as BlockMetadataJson;
  return {
    number: header.number,
    hash: stored.hash,
    previousHash: header.previousHash,
    dataHash: header.dataHash,
    dataHashScheme: 'rfc6962',
    signatures: [toSignature(metadata.signature)],
    transactions: transactions.map(toLedgerTransaction),
  };
}

/** The block in its stored JSON form (`GET /blocks/:n?format=raw`, export, the explorer's re-check). */
export function toBlockJson(stored: StoredBlock, transactions: readonly StoredTransaction[]): BlockJson {
  return {
    header: JSON.parse(stored.header) as BlockHeaderJson,
    hash: stored.hash,
    data: transactions.map((t) => JSON.parse(t.envelope) as TransactionJson),
    metadata: JSON.parse(stored.metadata) as BlockMetadataJson,
  };
}

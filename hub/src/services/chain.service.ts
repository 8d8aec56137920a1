/** The chain for auditors and the explorer: block pages (from the index), one block, one transaction. */
import {
  type BlockJson,
  type ChaincodeEvent,
  type LedgerSignatureJson,
  type TransactionJson,
} from '@approval-ledger/protocol/api';
import { type LedgerPort, type LedgerSignature, type LedgerTransaction } from '../ledger';
import { type ChainIndex, type IndexedAnchor, type IndexedBlock } from '../verification/chain-index';

/** `GET /transactions/{txId}` and `GET /blocks/{n}`: the API contract's shapes. */
export type TransactionView = TransactionJson;
export type BlockView = BlockJson;

export class ChainService {
  constructor(
    private readonly ledger: LedgerPort,
    private readonly index: ChainIndex,
  ) {}

  height(): Promise<number> {
    return this.ledger.height();
  }

  blocks(before: number | undefined, limit: number): IndexedBlock[] {
    return this.index.blocks(before, limit);
  }

  async block(number: number): Promise<BlockView> {
    const block = await this.ledger.getBlock(number);
    return {
      number: block.number,
      hash: block.hash,
      previousHash: block.previousHash,
      dataHash: block.dataHash,
      dataHashScheme: block.dataHashScheme,
      signatures: block.signatures.map(blockSignatureView),
      transactions: block.transactions.map((t) => {
        const { args: _args, records: _records, ...rest } = transactionView(t, []);
        return rest;
      }),
    };
  }

  async transaction(txId: string): Promise<TransactionView> {
    const transaction = await this.ledger.getTransaction(txId);
    return transactionView(transaction, this.index.byTransaction(txId, transaction.blockNumber));
  }
}

function signatureView(s: {
  mspId: string;
  certificate: string;
  signature: Uint8Array;
}): LedgerSignatureJson {
  return {
    mspId: s.mspId,
    certificate: s.certificate,
    signature: Buffer.from(s.signature).toString('base64'),
  };
}

function blockSignatureView(s: LedgerSignature): LedgerSignatureJson {
  return {
    ...signatureView(s),
    ...(s.signedPrefix ? { signedPrefix: Buffer.from(s.signedPrefix).toString('base64') } : {}),
  };
}

function transactionView(t: LedgerTransaction, anchors: readonly IndexedAnchor[]): TransactionView {
  return {
    txId: t.txId,
    blockNumber: t.blockNumber,
    txIndex: t.txIndex,
    validationCode: t.validationCode,
    timestamp: t.timestamp,
    type: t.type,
    creator: t.creator ?? null,
    chaincodeName: t.chaincodeName ?? null,
    function: t.function ?? null,
    args: [...t.args],
    endorsements: t.endorsements.map(signatureView),
    event: t.event ? chaincodeEventOf(t.event) : null,
    envelopeBytes: t.envelope.length,
    envelope: Buffer.from(t.envelope.buffer, t.envelope.byteOffset, t.envelope.byteLength).toString('base64'),
    records: anchors.map((a) => ({ kind: a.kind, id: a.key, commitment: a.commitment })),
  };
}

/**
 * The event as the chaincode wrote it: its payload is the contract's for that event name (the chaincode writes
 * it; the API tests parse every one with `ChaincodeEventSchema`, this read path only decodes).
 */
function chaincodeEventOf(event: NonNullable<LedgerTransaction['event']>): ChaincodeEvent {
  return { name: event.eventName, payload: decode(event.payload) } as ChaincodeEvent;
}

function decode(payload: Uint8Array): unknown {
  const text = Buffer.from(payload).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

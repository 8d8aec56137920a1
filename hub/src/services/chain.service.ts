/** The chain for auditors and the explorer: block pages (from the index), one block, one transaction. */
import { type LedgerPort, type LedgerSignature, type LedgerTransaction } from '../ledger';
import { type ChainIndex, type IndexedAnchor, type IndexedBlock } from '../verification/chain-index';

export interface TransactionView {
  readonly txId: string;
  readonly blockNumber: number;
  readonly txIndex: number;
  readonly validationCode: string;
  readonly timestamp: string;
  readonly type: 'config' | 'endorser';
  readonly creator: { readonly mspId: string; readonly certificate: string } | null;
  readonly chaincodeName: string | null;
  readonly function: string | null;
  readonly args: readonly string[];
  readonly endorsements: readonly {
    readonly mspId: string;
    readonly certificate: string;
    readonly signature: string;
  }[];
  readonly event: { readonly name: string; readonly payload: unknown } | null;
  readonly envelopeBytes: number;
  /**
   * base64 of the exact envelope bytes the block's data hash covers (the RFC 6962 Merkle leaf, embedded; the
   * protobuf envelope, Fabric): a reader re-computes the data hash and checks the signatures inside it.
   */
  readonly envelope: string;
  /** Records this transaction anchored or revoked (from the chain index). */
  readonly records: readonly { readonly kind: string; readonly id: string; readonly commitment: string }[];
}

export interface BlockView {
  readonly number: number;
  readonly hash: string;
  readonly previousHash: string;
  readonly dataHash: string;
  readonly dataHashScheme: string;
  readonly signatures: readonly {
    readonly mspId: string;
    readonly certificate: string;
    readonly signature: string;
    /** Fabric only: base64 of `Metadata.value ‖ signature_header`, signed before the DER block header. */
    readonly signedPrefix?: string;
  }[];
  readonly transactions: readonly Omit<TransactionView, 'args' | 'records'>[];
}

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
    return transactionView(await this.ledger.getTransaction(txId), this.index.byTransaction(txId));
  }
}

function signatureView(s: {
  mspId: string;
  certificate: string;
  signature: Uint8Array;
}): BlockView['signatures'][number] {
  return {
    mspId: s.mspId,
    certificate: s.certificate,
    signature: Buffer.from(s.signature).toString('base64'),
  };
}

function blockSignatureView(s: LedgerSignature): BlockView['signatures'][number] {
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
    args: t.args,
    endorsements: t.endorsements.map(signatureView),
    event: t.event ? { name: t.event.eventName, payload: decode(t.event.payload) } : null,
    envelopeBytes: t.envelope.length,
    envelope: Buffer.from(t.envelope.buffer, t.envelope.byteOffset, t.envelope.byteLength).toString('base64'),
    records: anchors.map((a) => ({ kind: a.kind, id: a.key, commitment: a.commitment })),
  };
}

function decode(payload: Uint8Array): unknown {
  const text = Buffer.from(payload).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

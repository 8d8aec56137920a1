/**
 * The read side of a Fabric ledger port over genuine Fabric blocks captured from a real network
 * (../shared/fabric-fixtures): blocks go through the Fabric engine's own decoding (`decodeBlock`, the function
 * `FabricLedger.getBlock` returns), so builders and verifiers see exactly what the engine gives them. Only the
 * captured blocks exist (0 and 236-239); writing is not possible.
 */
import { common } from '@hyperledger/fabric-protos';
import { BlockNotFoundError, TransactionNotFoundError } from '../../src/ledger';
import { decodeBlock } from '../../src/ledger/fabric/fabric-decoding';
import {
  type EventStream,
  type LedgerBlock,
  type LedgerCheckpointer,
  type LedgerChaincodeEvent,
  type LedgerPort,
  type LedgerTransaction,
} from '../../src/ledger/ledger-port';
import { readFabricFixture } from './fabric-fixtures';

export const FABRIC_FIXTURE_FILES: Readonly<Record<number, string>> = {
  0: 'config-block-0.bin',
  236: 'block-valid.bin',
  237: 'block-two-endorsements.bin',
  238: 'block-endorsement-policy-failure.bin',
  239: 'block-mvcc-read-conflict.bin',
};

/** A fixture block changed with Fabric's own message classes. */
export function tamperedFixture(file: string, change: (block: common.Block) => void): Uint8Array {
  const block = common.Block.deserializeBinary(readFabricFixture(file));
  change(block);
  return block.serializeBinary();
}

function readOnly(): never {
  throw new Error('the Fabric fixture ledger is read-only: it serves captured blocks');
}

export class FabricFixtureLedger implements LedgerPort {
  readonly engine = 'fabric' as const;
  /** The captured network ran the single `approval-ledger` definition. */
  readonly namespaceMode = 'legacy' as const;
  readonly #blocks = new Map<number, LedgerBlock>();

  /** `replace`: other bytes for some block numbers (tampered copies); `keepRaw: false` drops the bytes. */
  constructor(options: { replace?: Record<number, Uint8Array>; keepRaw?: boolean } = {}) {
    for (const [n, file] of Object.entries(FABRIC_FIXTURE_FILES)) {
      const bytes = options.replace?.[Number(n)] ?? readFabricFixture(file);
      const block = decodeBlock(bytes);
      this.#blocks.set(Number(n), options.keepRaw === false ? { ...block, raw: undefined } : block);
    }
  }

  height(): Promise<number> {
    return Promise.resolve(240);
  }

  getBlock(blockNumber: number): Promise<LedgerBlock> {
    const block = this.#blocks.get(blockNumber);
    return block ? Promise.resolve(block) : Promise.reject(new BlockNotFoundError(blockNumber, 240));
  }

  getTransaction(txId: string): Promise<LedgerTransaction> {
    for (const block of this.#blocks.values()) {
      const tx = block.transactions.find((t) => t.txId === txId);
      if (tx) return Promise.resolve(tx);
    }
    return Promise.reject(new TransactionNotFoundError(txId));
  }

  async *blocks(from: number, to?: number): AsyncIterable<LedgerBlock> {
    for (let n = from; n <= (to ?? 239); n++) yield await this.getBlock(n);
  }

  submit(): Promise<never> {
    return Promise.resolve().then(readOnly);
  }

  evaluate(): Promise<Uint8Array> {
    return Promise.resolve().then(readOnly);
  }

  blockEvents(): EventStream<LedgerBlock> {
    return readOnly();
  }

  chaincodeEvents(): EventStream<LedgerChaincodeEvent> {
    return readOnly();
  }

  checkpointer(): Promise<LedgerCheckpointer> {
    return Promise.resolve().then(readOnly);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

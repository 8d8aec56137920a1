/**
 * The live feed behind GET /events (Server-Sent Events): new blocks (from the chain indexer, once indexed),
 * receipts (`ledger.receipt.>`) and recognition notices (`ledger.recognition.>`). One subscription each,
 * fanned out to every listener.
 */
import { type LedgerEvent, type LedgerEventName } from '@approval-ledger/protocol/api';
import { type Bus } from '../bus/nats-bus';
import { type ChainIndexer } from '../verification/chain-indexer';

/** An event of `GET /events`: the API contract's `LedgerEvent`, and its number (the SSE `id`). */
export type FeedEventType = LedgerEventName;
export type FeedEvent = LedgerEvent & {
  /** Increasing within this hub process (the SSE `id`). */
  readonly id: number;
};

export type FeedListener = (event: FeedEvent) => void;

export class EventFeed {
  readonly #listeners = new Set<FeedListener>();
  readonly #stops: (() => void)[] = [];
  #next = 1;

  constructor(
    private readonly indexer: ChainIndexer,
    private readonly bus: Bus | undefined,
  ) {}

  start(): void {
    this.#stops.push(this.indexer.onBlock((block) => this.#emit('block', block)));
    if (this.bus) {
      this.#stops.push(
        this.bus.subscribe('ledger.receipt.>', (_s, data) => this.#emit('receipt', parse(data))),
      );
      this.#stops.push(
        this.bus.subscribe('ledger.recognition.>', (_s, data) => this.#emit('recognition', parse(data))),
      );
    }
  }

  subscribe(listener: FeedListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get listeners(): number {
    return this.#listeners.size;
  }

  stop(): void {
    for (const stop of this.#stops.splice(0)) stop();
    this.#listeners.clear();
  }

  #emit(type: FeedEventType, data: unknown): void {
    if (this.#listeners.size === 0) return;
    // blocks come from the indexer, receipts and notices from the hub's own publishers (their contract shapes)
    const event = { type, id: this.#next++, data } as FeedEvent;
    for (const listener of this.#listeners) listener(event);
  }
}

function parse(data: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(data).toString('utf8')) as unknown;
  } catch {
    return null;
  }
}

/**
 * The live feed behind GET /events (Server-Sent Events): new blocks (from the chain indexer, once indexed),
 * receipts (`ledger.receipt.>`) and recognition notices (`ledger.recognition.>`). One subscription each,
 * fanned out to every listener. The bus subscriptions exist only while someone listens: without them the hub
 * does not take back every receipt it publishes (one per record) only to drop it.
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
  /** The bus subscriptions, while there are listeners. */
  readonly #busStops: (() => void)[] = [];
  #started = false;
  #next = 1;

  constructor(
    private readonly indexer: ChainIndexer,
    private readonly bus: Bus | undefined,
  ) {}

  start(): void {
    this.#started = true;
    this.#stops.push(this.indexer.onBlock((block) => this.#emit('block', block)));
    if (this.#listeners.size > 0) this.#subscribeBus();
  }

  subscribe(listener: FeedListener): () => void {
    this.#listeners.add(listener);
    if (this.#started && this.#busStops.length === 0) this.#subscribeBus();
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) this.#unsubscribeBus();
    };
  }

  get listeners(): number {
    return this.#listeners.size;
  }

  stop(): void {
    this.#started = false;
    for (const stop of this.#stops.splice(0)) stop();
    this.#unsubscribeBus();
    this.#listeners.clear();
  }

  #subscribeBus(): void {
    if (!this.bus) return;
    this.#busStops.push(
      this.bus.subscribe('ledger.receipt.>', (_s, data) => this.#emit('receipt', parse(data))),
      this.bus.subscribe('ledger.recognition.>', (_s, data) => this.#emit('recognition', parse(data))),
    );
  }

  #unsubscribeBus(): void {
    for (const stop of this.#busStops.splice(0)) stop();
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

/**
 * The ingest pipeline alone, over its ports: a recording bus, a scripted anchorer and hand-made deliveries, with
 * the real off-chain store (SQLite in a temp dir). What it must keep: nothing is acked before the ledger's answer
 * and the receipt; every refusal is a dead letter with its reason, a receipt and a term; transient trouble is a
 * nak with a growing delay; a re-delivery reuses the stored salt, so it anchors the same commitment.
 */
import { DLQ_HEADERS, MSG_ID_HEADER, type Envelope, type Receipt } from '@approval-ledger/protocol';
import { expect } from 'chai';
import pino from 'pino';
import { type Bus, type OutgoingMessage, type PublishOptions, type PublishResult } from '../bus/nats-bus';
import { type DeliveredMessage } from '../bus/durable-consumer';
import { HubMetrics } from '../metrics/hub-metrics';
import { type Store } from '../store';
import { useStoreBackend } from '../../test/store-fixtures';
import { envelopeOf, milestone } from '../../test/support/records';
import { type AnchorGroup, type AnchorResult, type Anchorer } from './anchorer';
import { IngestPipeline, nakDelay } from './ingest-pipeline';

interface Published {
  readonly subject: string;
  readonly data: string;
  readonly options: PublishOptions | undefined;
}

class RecordingBus implements Bus {
  readonly published: Published[] = [];
  connected = true;
  /** Subjects whose publish fails (a PubAck that never came). */
  failing = new Set<string>();

  publish(subject: string, data: Uint8Array | string, options?: PublishOptions): Promise<PublishResult> {
    if ([...this.failing].some((prefix) => subject.startsWith(prefix))) {
      return Promise.reject(new Error(`no PubAck for ${subject}`));
    }
    const text = typeof data === 'string' ? data : Buffer.from(data).toString('utf8');
    this.published.push({ subject, data: text, options });
    return Promise.resolve({ stream: 'TEST', seq: this.published.length, duplicate: false });
  }

  publishMany(messages: readonly OutgoingMessage[]): Promise<PublishResult[]> {
    return Promise.all(
      messages.map((m) => this.publish(m.subject, m.data, m.msgId === undefined ? {} : { msgId: m.msgId })),
    );
  }

  subscribe(): () => void {
    return () => undefined;
  }

  ping(): Promise<void> {
    return Promise.resolve();
  }

  receipts(): Receipt[] {
    return this.published
      .filter((p) => p.subject.startsWith('ledger.receipt.'))
      .map((p) => JSON.parse(p.data) as Receipt);
  }

  deadLetters(): Published[] {
    return this.published.filter((p) => p.subject.startsWith('ledger.dlq.'));
  }
}

/** Answers each group with what the test scripted (default: anchored in the next block). */
class ScriptedAnchorer implements Anchorer {
  readonly groups: AnchorGroup[] = [];
  next: ((group: AnchorGroup) => AnchorResult[] | Error) | undefined;
  #block = 0;

  anchor(group: AnchorGroup): Promise<AnchorResult[]> {
    this.groups.push(group);
    const scripted = this.next?.(group);
    if (scripted instanceof Error) return Promise.reject(scripted);
    if (scripted) return Promise.resolve(scripted);
    const blockNumber = ++this.#block;
    return Promise.resolve(
      group.items.map(() => ({ status: 'anchored', txId: `tx${blockNumber}`, blockNumber, recorded: true })),
    );
  }
}

type Settled = { how: 'ack' } | { how: 'nak'; delayMs: number } | { how: 'term'; reason: string };

class Delivery implements DeliveredMessage {
  settled: Settled | undefined;
  readonly headers: Record<string, string[]>;

  constructor(
    readonly subject: string,
    readonly data: Uint8Array,
    readonly streamSeq: number,
    readonly deliveryCount = 1,
    msgId?: string,
  ) {
    this.headers = msgId === undefined ? {} : { [MSG_ID_HEADER]: [msgId] };
  }

  header(name: string): string | undefined {
    return this.headers[name]?.[0];
  }
  ack(): void {
    this.#settle({ how: 'ack' });
  }
  nak(delayMs: number): void {
    this.#settle({ how: 'nak', delayMs });
  }
  term(reason: string): void {
    this.#settle({ how: 'term', reason });
  }
  working(): void {}

  #settle(how: Settled): void {
    if (this.settled) throw new Error(`message ${this.streamSeq} settled twice`);
    this.settled = how;
  }
}

let seq = 0;

function deliveryOf(envelope: Envelope, deliveryCount = 1): Delivery {
  const data = Buffer.from(JSON.stringify(envelope));
  return new Delivery(
    `legacy.${envelope.region}.${envelope.dept}.${envelope.kind}`,
    data,
    ++seq,
    deliveryCount,
    `${envelope.source.system}:${envelope.source.recordId}:${envelope.source.version}`,
  );
}

describe('IngestPipeline over its ports', function () {
  this.timeout(30_000);
  const harness = useStoreBackend('sqlite');
  let store: Store;
  let bus: RecordingBus;
  let anchorer: ScriptedAnchorer;

  const pipeline = (options: ConstructorParameters<typeof IngestPipeline>[1] = {}): IngestPipeline =>
    new IngestPipeline(
      { store, bus, anchorer, metrics: new HubMetrics(), logger: pino({ level: 'silent' }) },
      { maxWaitMs: 5, ...options },
    );

  async function run(p: IngestPipeline, deliveries: readonly Delivery[]): Promise<void> {
    for (const d of deliveries) await p.accept(d);
    await p.drain();
  }

  beforeEach(async () => {
    store = await harness.open();
    bus = new RecordingBus();
    anchorer = new ScriptedAnchorer();
  });

  it('anchors a batch per kind, region and department, then receipts and acks each message', async () => {
    const ee = [1, 2, 3].map((n) => deliveryOf(envelopeOf(milestone({ dept: 'EE', n }), 'milestone')));
    const hc = [4, 5].map((n) => deliveryOf(envelopeOf(milestone({ dept: 'HC', n }), 'milestone')));
    await run(pipeline(), [...ee, ...hc]);

    expect(
      anchorer.groups.map((g) => `${g.kind}|${g.region}|${g.dept}|${g.items.length}`).sort(),
    ).to.deep.equal(['milestone|BJ|EE|3', 'milestone|BJ|HC|2']);
    for (const d of [...ee, ...hc]) expect(d.settled, `message ${d.streamSeq}`).to.deep.equal({ how: 'ack' });
    const receipts = bus.receipts();
    expect(receipts.map((r) => r.status)).to.deep.equal(Array(5).fill('ANCHORED'));
    expect(bus.published.filter((p) => p.subject === 'ledger.receipt.BJ.EE')).to.have.length(3);
    const stored = await store.records.findById(receipts[0]!.recordId);
    expect(stored).to.include({ status: 'anchored', commitment: receipts[0]!.sha256 });
    expect(await store.receipts.findByRecordId(receipts[0]!.recordId)).to.have.length(1);
  });

  it('completes an update in a later batch against version 1 stored by an earlier batch still committing', async () => {
    // the first store transaction (version 1's batch) waits at a gate until the update's batch has begun
    let entered!: () => void;
    const firstEntered = new Promise<void>((resolve) => (entered = resolve));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let transactions = 0;
    const slow = new Proxy(store, {
      get(target, property): unknown {
        if (property === 'transaction')
          return async (work: Parameters<Store['transaction']>[0]) => {
            if (transactions++ === 0) {
              entered();
              await gate;
            }
            return target.transaction(work);
          };
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    const p = new IngestPipeline(
      { store: slow, bus, anchorer, metrics: new HubMetrics(), logger: pino({ level: 'silent' }) },
      { maxWaitMs: 5 },
    );
    const first = milestone({ n: 31 });
    const update = { ...first, decision: 'REJECTED' as const, source: { ...first.source, version: 2 } };
    await p.accept(deliveryOf(envelopeOf(first, 'milestone')));
    await firstEntered;
    await p.accept(deliveryOf(envelopeOf(update, 'milestone')));
    await new Promise((resolve) => setTimeout(resolve, 50)); // the update's batch has flushed meanwhile
    release();
    await p.drain();

    const [v1, v2] = bus.receipts();
    expect([v1?.status, v2?.status]).to.deep.equal(['ANCHORED', 'ANCHORED']);
    const stored = await store.records.findById(v2!.recordId);
    expect(stored?.record).to.include({ version: 2, corrects: v1!.sha256 });
  });

  it('answers a re-delivery of an anchored record with a DUPLICATE receipt, without asking the ledger', async () => {
    const envelope = envelopeOf(milestone({ n: 7 }), 'milestone');
    await run(pipeline(), [deliveryOf(envelope)]);
    const again = deliveryOf(envelope, 2);
    await run(pipeline(), [again]);

    expect(anchorer.groups).to.have.length(1);
    expect(again.settled).to.deep.equal({ how: 'ack' });
    const [first, second] = bus.receipts();
    expect(second).to.include({ status: 'DUPLICATE', sha256: first!.sha256, txId: first!.txId });
  });

  it('dead-letters an undecodable message with its reason, answers REJECTED where it can, and terms it', async () => {
    const garbage = new Delivery('legacy.BJ.EE.milestone', Buffer.from('{"not": "an envelope"'), ++seq);
    await run(pipeline(), [garbage]);

    expect(anchorer.groups).to.have.length(0);
    expect(garbage.settled?.how).to.equal('term');
    const [letter] = bus.deadLetters();
    expect(letter?.subject).to.equal('ledger.dlq.BJ.EE');
    expect(letter?.data).to.equal('{"not": "an envelope"');
    expect(letter?.options?.headers?.[DLQ_HEADERS.reason]).to.be.a('string').and.not.equal('');
    expect(letter?.options?.headers?.[DLQ_HEADERS.streamSeq]).to.equal(String(garbage.streamSeq));
  });

  it('turns a ledger conflict into a CONFLICT receipt, a dead letter and a term; the others of the batch ack', async () => {
    const deliveries = [1, 2].map((n) => deliveryOf(envelopeOf(milestone({ n }), 'milestone')));
    anchorer.next = (group) => [
      { status: 'conflict', code: 'RECORD_CONFLICT', reason: 'another commitment is on the ledger' },
      ...group.items
        .slice(1)
        .map(() => ({ status: 'anchored' as const, txId: 'tx9', blockNumber: 9, recorded: true })),
    ];
    await run(pipeline(), deliveries);

    expect(deliveries[0]!.settled?.how).to.equal('term');
    expect(deliveries[1]!.settled).to.deep.equal({ how: 'ack' });
    expect(
      bus
        .receipts()
        .map((r) => r.status)
        .sort(),
    ).to.deep.equal(['ANCHORED', 'CONFLICT']);
    const [letter] = bus.deadLetters();
    expect(letter?.options?.headers?.[DLQ_HEADERS.code]).to.equal('RECORD_CONFLICT');
    expect(letter?.options?.headers?.[DLQ_HEADERS.reason]).to.contain('another commitment');
    const conflicted = await store.records.findById(
      bus.receipts().find((r) => r.status === 'CONFLICT')!.recordId,
    );
    expect(conflicted?.status).to.equal('conflict');
  });

  it('naks a transient ledger refusal with a growing delay, and dead-letters NOT_FOUND once redeliveries run out', async () => {
    const envelope = envelopeOf(milestone({ n: 11 }), 'milestone');
    anchorer.next = (group) =>
      group.items.map(() => ({ status: 'retry', code: 'NOT_FOUND', reason: 'issuer not registered yet' }));
    const early = deliveryOf(envelope, 3);
    await run(pipeline({ maxNotFoundDeliveries: 5 }), [early]);
    expect(early.settled).to.deep.equal({ how: 'nak', delayMs: nakDelay(3) });
    expect(nakDelay(3)).to.be.greaterThan(nakDelay(1));
    expect(bus.published).to.deep.equal([]);

    const last = deliveryOf(envelope, 5);
    await run(pipeline({ maxNotFoundDeliveries: 5 }), [last]);
    expect(last.settled?.how).to.equal('term');
    expect(bus.receipts().map((r) => r.status)).to.deep.equal(['REJECTED']);
    expect(bus.deadLetters()[0]?.options?.headers?.[DLQ_HEADERS.code]).to.equal('NOT_FOUND');
  });

  it('acks nothing when the ledger fails, and anchors the same commitment on the re-delivery', async () => {
    const envelope = envelopeOf(milestone({ n: 21 }), 'milestone');
    anchorer.next = () => new Error('gateway unavailable');
    const first = deliveryOf(envelope);
    await run(pipeline(), [first]);
    expect(first.settled?.how).to.equal('nak');
    expect(bus.published).to.deep.equal([]);

    anchorer.next = undefined;
    const second = deliveryOf(envelope, 2);
    await run(pipeline(), [second]);
    expect(second.settled).to.deep.equal({ how: 'ack' });
    const [failed, anchored] = anchorer.groups;
    expect(anchored!.items[0]!.commitment).to.equal(failed!.items[0]!.commitment);
    expect(anchored!.items[0]!.salt).to.equal(failed!.items[0]!.salt);
  });

  it('does not ack when the receipt cannot be published', async () => {
    bus.failing.add('ledger.receipt.');
    const delivery = deliveryOf(envelopeOf(milestone({ n: 31 }), 'milestone'));
    await run(pipeline(), [delivery]);
    expect(anchorer.groups).to.have.length(1);
    expect(delivery.settled?.how).to.equal('nak');
  });

  it('holds back accept() beyond maxInFlight until messages are settled', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow: Anchorer = {
      anchor: async (group) => {
        await gate;
        return anchorer.anchor(group);
      },
    };
    const p = new IngestPipeline(
      { store, bus, anchorer: slow, metrics: new HubMetrics(), logger: pino({ level: 'silent' }) },
      { maxWaitMs: 1, maxInFlight: 2 },
    );
    const deliveries = [41, 42, 43].map((n) => deliveryOf(envelopeOf(milestone({ n }), 'milestone')));
    await p.accept(deliveries[0]!);
    await p.accept(deliveries[1]!);
    let third = false;
    const accepting = p.accept(deliveries[2]!).then(() => (third = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(third, 'the third accept waits for room').to.equal(false);
    expect(p.inFlight).to.equal(2);
    release();
    await accepting;
    await p.drain();
    expect(deliveries.map((d) => d.settled?.how)).to.deep.equal(['ack', 'ack', 'ack']);
  });
});

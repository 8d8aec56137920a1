import { expect } from 'chai';
import { type Bus } from '../bus/nats-bus';
import { type ChainIndexer } from '../verification/chain-indexer';
import { EventFeed, type FeedEvent } from './event-feed';

/** The part of a bus and an indexer the feed uses, recording what is subscribed. */
function fakes(): {
  bus: Bus;
  indexer: ChainIndexer;
  subjects: () => string[];
  deliver: (subject: string, json: unknown) => void;
} {
  const subscriptions = new Map<number, { subject: string; onMessage: (s: string, d: Uint8Array) => void }>();
  let next = 0;
  const bus = {
    subscribe(subject: string, onMessage: (s: string, d: Uint8Array) => void) {
      const id = next++;
      subscriptions.set(id, { subject, onMessage });
      return () => subscriptions.delete(id);
    },
  } as unknown as Bus;
  const indexer = { onBlock: () => () => undefined } as unknown as ChainIndexer;
  return {
    bus,
    indexer,
    subjects: () => [...subscriptions.values()].map((s) => s.subject).sort(),
    deliver: (subject, json) => {
      for (const s of subscriptions.values()) {
        if (subject.startsWith(s.subject.replace('>', '')))
          s.onMessage(subject, new TextEncoder().encode(JSON.stringify(json)));
      }
    },
  };
}

describe('EventFeed', () => {
  it('subscribes to receipts and notices only while someone listens', () => {
    const f = fakes();
    const feed = new EventFeed(f.indexer, f.bus);
    feed.start();
    expect(f.subjects(), 'no listener, no subscription').to.deep.equal([]);
    const first: FeedEvent[] = [];
    const second: FeedEvent[] = [];
    const stopFirst = feed.subscribe((e) => first.push(e));
    const stopSecond = feed.subscribe((e) => second.push(e));
    expect(f.subjects()).to.deep.equal(['ledger.receipt.>', 'ledger.recognition.>']);
    f.deliver('ledger.receipt.BJ.EE', { recordId: 'a:1:1' });
    stopFirst();
    expect(f.subjects(), 'one listener left').to.have.length(2);
    f.deliver('ledger.receipt.BJ.EE', { recordId: 'a:2:1' });
    stopSecond();
    expect(f.subjects(), 'the last listener gone').to.deep.equal([]);
    expect(first.map((e) => [e.type, (e.data as { recordId: string }).recordId])).to.deep.equal([
      ['receipt', 'a:1:1'],
    ]);
    expect(second.map((e) => (e.data as { recordId: string }).recordId)).to.deep.equal(['a:1:1', 'a:2:1']);
    // listening again subscribes again
    const stopThird = feed.subscribe(() => undefined);
    expect(f.subjects()).to.have.length(2);
    feed.stop();
    expect(f.subjects(), 'stopped').to.deep.equal([]);
    stopThird();
  });

  it('subscribes at start for a listener that came before it', () => {
    const f = fakes();
    const feed = new EventFeed(f.indexer, f.bus);
    feed.subscribe(() => undefined);
    expect(f.subjects()).to.deep.equal([]);
    feed.start();
    expect(f.subjects()).to.deep.equal(['ledger.receipt.>', 'ledger.recognition.>']);
    feed.stop();
  });
});

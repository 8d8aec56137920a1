/**
 * Pipelined JetStream publishes (`NatsBus.publishMany`, bus/pipelined-publisher.ts) against the real
 * nats-server: resolved means stored, in order, once per `Nats-Msg-Id`; a subject no stream takes, or a
 * PubAck that never comes, rejects the whole batch with an error that says which.
 */
import { startNatsServer, type NatsServer } from '@approval-ledger/testkit';
import { expect } from 'chai';
import { NatsBus } from '../src/bus/nats-bus';
import { PubAckTimeoutError, PublishRefusedError } from '../src/bus/publish-refused.error';

const STREAM = 'PIPELINED';

describe('pipelined publishes on the real nats-server', function () {
  this.timeout(60_000);
  let nats: NatsServer;
  let bus: NatsBus;

  before(async () => {
    nats = await startNatsServer();
    bus = await NatsBus.connect(nats.url, 'pipelined-publish-test');
    await bus.jsm.streams.add({ name: STREAM, subjects: ['pipelined.>'] });
  });

  after(async () => {
    await bus?.close();
    await nats?.stop();
  });

  it('stores every message of a batch, in order, and answers each with its stream sequence', async () => {
    const messages = Array.from({ length: 300 }, (_, i) => ({
      subject: `pipelined.a.${i % 3}`,
      data: JSON.stringify({ i }),
      msgId: `a-${i}`,
    }));
    const acks = await bus.publishMany(messages);
    expect(acks).to.have.length(300);
    expect(acks.every((a) => a.stream === STREAM && !a.duplicate)).to.equal(true);
    const seqs = acks.map((a) => a.seq);
    expect(seqs).to.deep.equal([...seqs].sort((x, y) => x - y)); // the order they were sent
    for (const i of [0, 150, 299]) {
      const stored = await bus.jsm.streams.getMessage(STREAM, { seq: acks[i]?.seq as number });
      expect(stored?.subject).to.equal(`pipelined.a.${i % 3}`);
      expect(stored?.json<{ i: number }>().i).to.equal(i);
      expect(stored?.header.get('Nats-Msg-Id')).to.equal(`a-${i}`);
    }
  });

  it('answers a message sent again under its Nats-Msg-Id as a duplicate, stored once', async () => {
    const first = await bus.publishMany([{ subject: 'pipelined.b', data: 'one', msgId: 'b-1' }]);
    const before = (await bus.jsm.streams.info(STREAM)).state.messages;
    const again = await bus.publishMany([
      { subject: 'pipelined.b', data: 'one', msgId: 'b-1' },
      { subject: 'pipelined.b', data: 'two', msgId: 'b-2' },
    ]);
    expect(again[0]).to.deep.include({ duplicate: true, seq: first[0]?.seq });
    expect(again[1]?.duplicate).to.equal(false);
    expect((await bus.jsm.streams.info(STREAM)).state.messages).to.equal(before + 1);
  });

  it('rejects a batch with a message no stream takes, naming its subject', async () => {
    const error = await bus
      .publishMany([
        { subject: 'pipelined.c', data: 'kept', msgId: 'c-1' },
        { subject: 'nostream.c', data: 'lost', msgId: 'c-2' },
      ])
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).to.be.instanceOf(PublishRefusedError);
    expect(error).to.deep.include({ subject: 'nostream.c', code: 503 });
  });

  it('rejects with a timeout naming how many PubAcks are missing when nothing answers', async () => {
    // a plain subscriber takes the subject and never answers: no stream, no 503 either
    const stop = bus.subscribe('silent.d', () => undefined);
    try {
      const error = await bus
        .publishMany(
          [
            { subject: 'pipelined.d', data: 'stored', msgId: 'd-1' },
            { subject: 'silent.d', data: 'unanswered', msgId: 'd-2' },
          ],
          { timeoutMs: 500 },
        )
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(error).to.be.instanceOf(PubAckTimeoutError);
      expect(error).to.deep.include({ missing: 1, timeoutMs: 500, name: 'TimeoutError' });
    } finally {
      stop();
    }
  });
});

/**
 * The durable consumer against the real nats-server the README asks for (Debian 12 ships 2.9.10): a
 * terminated message is delivered once and leaves nothing ack-pending, however the caller words its reason.
 * nats-server before 2.10 took `+TERM <reason>` for an unknown ack and redelivered the message forever.
 */
import { startNatsServer, type NatsServer } from '@approval-ledger/testkit';
import { expect } from 'chai';
import { type DeliveredMessage, DurableConsumer } from '../src/bus/durable-consumer';
import { NatsBus } from '../src/bus/nats-bus';

const STREAM = 'TERMTEST';
const ACK_WAIT_MS = 400;

describe('durable consumer on the real nats-server', function () {
  this.timeout(60_000);
  let nats: NatsServer;
  let bus: NatsBus;

  before(async () => {
    nats = await startNatsServer();
    bus = await NatsBus.connect(nats.url, 'durable-consumer-test');
    await bus.jsm.streams.add({ name: STREAM, subjects: ['termtest.>'] });
  });

  after(async () => {
    await bus?.close();
    await nats?.stop();
  });

  async function deliveriesOf(
    durable: string,
    settle: (message: DeliveredMessage) => void,
  ): Promise<{ deliveries: number; ackPending: number; pending: number }> {
    const subject = `termtest.${durable}`;
    await bus.publish(subject, 'refused');
    const consumer = await DurableConsumer.open(bus, {
      stream: STREAM,
      durable,
      filterSubject: subject,
      ackWaitMs: ACK_WAIT_MS,
    });
    let deliveries = 0;
    const running = consumer.run(
      (message) => {
        deliveries += 1;
        settle(message);
        return Promise.resolve();
      },
      (error) => {
        throw error;
      },
    );
    // several ack waits: a message the server did not take as terminated is redelivered in this time
    await new Promise((resolve) => setTimeout(resolve, ACK_WAIT_MS * 6));
    const state = await consumer.state();
    await consumer.stop();
    await running;
    return { deliveries, ackPending: state.numAckPending, pending: state.numPending };
  }

  it('a message terminated with a reason is delivered once and is not ack-pending', async () => {
    const seen = await deliveriesOf('with-reason', (m) => m.term('dead-lettered: RECORD_CONFLICT'));
    expect(seen).to.deep.equal({ deliveries: 1, ackPending: 0, pending: 0 });
  });

  it("gives the handler the message's subject, data, headers, stream sequence and delivery count", async () => {
    const subject = 'termtest.fields';
    const published = await bus.publish(subject, '审批结果', {
      msgId: 'fields-1',
      headers: { 'X-Source': 'drc-csv' },
    });
    const consumer = await DurableConsumer.open(bus, {
      stream: STREAM,
      durable: 'fields',
      filterSubject: subject,
      ackWaitMs: ACK_WAIT_MS,
    });
    const seen: { subject: string; data: string; source: unknown; seq: number; count: number }[] = [];
    const running = consumer.run(
      (message) => {
        seen.push({
          subject: message.subject,
          data: Buffer.from(message.data).toString('utf8'),
          source: [message.header('X-Source'), message.headers['X-Source'], message.header('X-Absent')],
          seq: message.streamSeq,
          count: message.deliveryCount,
        });
        if (message.deliveryCount === 1) message.nak(0);
        else message.ack();
        return Promise.resolve();
      },
      (error) => {
        throw error;
      },
    );
    const until = Date.now() + 10_000;
    while (seen.length < 2 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
    await consumer.stop();
    await running;
    const expected = {
      subject,
      data: '审批结果',
      source: ['drc-csv', ['drc-csv'], undefined],
      seq: published.seq,
    };
    expect(seen).to.deep.equal([
      { ...expected, count: 1 },
      { ...expected, count: 2 },
    ]);
  });

  it('an unsettled message is redelivered after ack wait (the check above can fail)', async () => {
    const seen = await deliveriesOf('unsettled', () => undefined);
    expect(seen.deliveries).to.be.greaterThan(1);
    expect(seen.ackPending).to.equal(1);
  });
});

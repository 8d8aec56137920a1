import { expect } from 'chai';
import { AdapterHealth } from './adapter-health';
import { AdapterMetrics } from './metrics';

/** Error and success times are compared in milliseconds. */
const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 5));

describe('adapter health', () => {
  function health(): AdapterHealth {
    const h = new AdapterHealth('test', new AdapterMetrics('test', { processMetrics: false }));
    h.natsConnected = true;
    return h;
  }

  it('is ok after a success that follows an error', async () => {
    const h = health();
    h.failed('publish', new Error('timeout'));
    await tick();
    h.succeeded();
    expect((await h.snapshot()).status).to.equal('ok');
  });

  it('stays degraded while a batch keeps failing, though records of it are published again', async () => {
    const h = health();
    h.succeeded();
    h.batchFailed('poll', new Error("'payload' max_payload size exceeded"));
    await tick();
    h.succeeded();
    const snapshot = await h.snapshot();
    expect(snapshot.status).to.equal('degraded');
    expect(snapshot.lastError).to.include({
      operation: 'poll',
      message: "'payload' max_payload size exceeded",
    });
    h.batchDone();
    await tick();
    h.succeeded();
    expect((await h.snapshot()).status).to.equal('ok');
  });
});

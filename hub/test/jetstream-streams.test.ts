/**
 * The one `ensureStreams` (protocol/nats), used by the hub and the adapters, against a real nats-server: it
 * creates protocol's streams as defined, leaves existing ones alone, survives a race between several callers,
 * and tells "stream not found" by JetStream's API code.
 */
import { STREAM_NAMES, STREAMS, streamConfig } from '@approval-ledger/protocol';
import { ensureStreams, isStreamNotFound, jetStreamApiCode } from '@approval-ledger/protocol/nats';
import { startNatsServer, type NatsServer } from '@approval-ledger/testkit';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { expect } from 'chai';

describe('ensureStreams (protocol/nats)', function () {
  this.timeout(60_000);
  let nats: NatsServer;
  const connections: NatsConnection[] = [];

  async function manager(): Promise<JetStreamManager> {
    const nc = await connect({ servers: nats.url });
    connections.push(nc);
    return jetstreamManager(nc);
  }

  beforeEach(async () => {
    nats = await startNatsServer();
  });

  afterEach(async () => {
    await Promise.all(connections.splice(0).map((nc) => nc.close()));
    await nats.stop();
  });

  it('creates every stream of protocol as defined, then nothing on a second call', async () => {
    const jsm = await manager();
    expect(await ensureStreams(jsm)).to.have.members(STREAM_NAMES);
    for (const name of STREAM_NAMES) {
      const { config } = await jsm.streams.info(STREAMS[name].name);
      const wanted = streamConfig(name);
      expect(config.subjects, name).to.deep.equal(wanted.subjects);
      expect(config.duplicate_window, name).to.equal(wanted.duplicate_window);
    }
    expect(await ensureStreams(jsm)).to.deep.equal([]);
  });

  it('leaves an existing stream exactly as it is', async () => {
    const jsm = await manager();
    const legacy = streamConfig('LEGACY');
    await jsm.streams.add({ ...legacy, max_msgs: 1234 });
    const created = await ensureStreams(jsm);
    expect(created).to.not.include('LEGACY');
    expect((await jsm.streams.info(legacy.name)).config.max_msgs).to.equal(1234);
  });

  it('creates each stream once when the hub and adapters race', async () => {
    const managers = await Promise.all([manager(), manager(), manager(), manager()]);
    // JetStream answers an add of an identical existing stream with success, so racers may each report a stream
    // as added; what matters is that none fails and each stream exists once, as defined
    const results = await Promise.all(managers.map((jsm) => ensureStreams(jsm)));
    expect(new Set(results.flat())).to.deep.equal(new Set(STREAM_NAMES));
    expect((await managers[0].streams.names().next()).sort()).to.deep.equal(
      STREAM_NAMES.map((n) => STREAMS[n].name).sort(),
    );
  });

  it('reads "stream not found" from the JetStream API code, not the text', async () => {
    const jsm = await manager();
    const missing = await jsm.streams.info('NO_SUCH_STREAM').then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(isStreamNotFound(missing)).to.equal(true);
    expect(jetStreamApiCode(missing)).to.equal(10059);
    expect(isStreamNotFound(new Error('stream not found'))).to.equal(false);
    expect(jetStreamApiCode(new Error('stream not found'))).to.equal(undefined);
  });
});

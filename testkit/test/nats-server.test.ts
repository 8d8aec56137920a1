import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, headers, type NatsConnection } from '@nats-io/transport-node';
import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  freePort,
  type NatsServer,
  ServerStartError,
  ServerStoppedError,
  startNatsServer,
  useNatsServer,
} from '../src/index';
import { isAlive } from './process-state';

const encoder = new TextEncoder();

async function publishWithMsgId(nc: NatsConnection, subject: string, msgId: string, body: string) {
  const h = headers();
  h.set('Nats-Msg-Id', msgId);
  return jetstream(nc).publish(subject, encoder.encode(body), { headers: h });
}

async function withConnection<T>(server: NatsServer, work: (nc: NatsConnection) => Promise<T>): Promise<T> {
  const nc = await connect({ servers: server.url, reconnect: false });
  try {
    return await work(nc);
  } finally {
    await nc.close();
  }
}

describe('nats-server (real process)', () => {
  const nats = useNatsServer({ monitor: true });

  it('runs its own server on 127.0.0.1 with JetStream on, not the system one on 4222', async () => {
    const server = nats();
    expect(server.port).to.not.equal(4222);
    expect(server.url).to.equal(`nats://127.0.0.1:${server.port}`);
    expect(server.running).to.be.true;
    expect(isAlive(server.pid)).to.be.true;
    const health = await fetch(`${server.monitorUrl}/healthz?js-enabled-only=true`);
    expect(health.status).to.equal(200);
    const info = await withConnection(server, async (nc) => (await jetstreamManager(nc)).getAccountInfo());
    expect(info.streams).to.equal(0);
  });

  it('detects a duplicate publish by its Nats-Msg-Id header', async () => {
    await withConnection(nats(), async (nc) => {
      const jsm = await jetstreamManager(nc);
      await jsm.streams.add({ name: 'DEDUP', subjects: ['dedup.>'] });
      const first = await publishWithMsgId(nc, 'dedup.a', 'milestone-1', 'first');
      const again = await publishWithMsgId(nc, 'dedup.a', 'milestone-1', 'again');
      const other = await publishWithMsgId(nc, 'dedup.a', 'milestone-2', 'other');
      expect(first.duplicate).to.be.false;
      expect(again.duplicate).to.be.true;
      expect(again.seq).to.equal(first.seq);
      expect(other.duplicate).to.be.false;
      expect((await jsm.streams.info('DEDUP')).state.messages).to.equal(2);
    });
  });

  it('keeps streams and messages across kill -9 and restart on the same port', async () => {
    const server = nats();
    const { port, storeDir } = server;
    await withConnection(server, async (nc) => {
      const jsm = await jetstreamManager(nc);
      await jsm.streams.add({ name: 'DURABLE', subjects: ['durable.>'] });
      for (let i = 1; i <= 5; i++) await publishWithMsgId(nc, 'durable.x', `id-${i}`, `message ${i}`);
    });
    const killedPid = server.pid;

    await server.kill();
    expect(server.running).to.be.false;
    expect(isAlive(killedPid)).to.be.false;
    await server.restart();

    expect(server.port).to.equal(port);
    expect(server.storeDir).to.equal(storeDir);
    expect(server.pid).to.not.equal(killedPid);
    expect(server.logTail(200)).to.contain('restarting nats-server');
    await withConnection(server, async (nc) => {
      const jsm = await jetstreamManager(nc);
      expect((await jsm.streams.info('DURABLE')).state.messages).to.equal(5);
      const third = await jsm.streams.getMessage('DURABLE', { seq: 3 });
      expect(third?.string()).to.equal('message 3');
      const replay = await publishWithMsgId(nc, 'durable.x', 'id-5', 'message 5 again');
      expect(replay.duplicate, 'dedupe window rebuilt from the store').to.be.true;
    });
  });

  it('restarts gracefully when restart() is called on a running server', async () => {
    const server = nats();
    const before = server.pid;
    await server.restart();
    expect(server.pid).to.not.equal(before);
    await withConnection(server, async (nc) => {
      expect((await (await jetstreamManager(nc)).streams.info('DURABLE')).state.messages).to.equal(5);
    });
  });

  it('stop() ends the process and removes its temp store dir', async () => {
    const server = await startNatsServer();
    const { pid, storeDir } = server;
    expect(existsSync(storeDir)).to.be.true;
    await server.stop();
    expect(isAlive(pid)).to.be.false;
    expect(existsSync(storeDir)).to.be.false;
    await server.stop(); // idempotent
    let error: unknown;
    await server.restart().catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(ServerStoppedError).with.property('server', 'nats-server');
  });

  it('keeps a store dir the caller passed, so a later server finds its streams (npm start)', async () => {
    const storeDir = await mkdtemp(join(tmpdir(), 'testkit-caller-nats-'));
    try {
      const first = await startNatsServer({ storeDir });
      await withConnection(first, async (nc) => {
        await (await jetstreamManager(nc)).streams.add({ name: 'KEPT', subjects: ['kept'] });
        await jetstream(nc).publish('kept', encoder.encode('still here'));
      });
      await first.stop();
      expect(existsSync(join(storeDir, 'jetstream'))).to.be.true;

      const second = await startNatsServer({ storeDir });
      try {
        await withConnection(second, async (nc) => {
          expect((await (await jetstreamManager(nc)).streams.info('KEPT')).state.messages).to.equal(1);
        });
      } finally {
        await second.stop();
      }
    } finally {
      await rm(storeDir, { recursive: true, force: true });
    }
  });

  describe('ports', () => {
    let squatter: Server;
    let takenPort: number;

    before(async () => {
      takenPort = await freePort();
      squatter = createServer();
      await new Promise<void>((resolve) => squatter.listen(takenPort, '127.0.0.1', resolve));
    });

    after(() => new Promise<void>((resolve) => squatter.close(() => resolve())));

    it('uses a free port when the preferred port is taken', async () => {
      const server = await startNatsServer({ preferredPort: takenPort });
      try {
        expect(server.port).to.not.equal(takenPort);
      } finally {
        await server.stop();
      }
    });

    it('fails with the server log when a fixed port is taken', async () => {
      let error: unknown;
      await startNatsServer({ port: takenPort }).catch((e: unknown) => (error = e));
      expect(error).to.be.instanceOf(ServerStartError);
      const startError = error as ServerStartError;
      expect(startError.server).to.equal('nats-server');
      expect(startError.reason).to.equal('exited');
      expect(startError.portInUse).to.be.true;
      expect(startError.message).to.match(/address already in use/);
    });
  });
});

import { expect } from 'chai';
import { createServer, type Server } from 'node:net';
import { choosePort, freePort, isPortFree, retryOnPortClash } from './free-port';
import { ServerStartError } from './server-start.error';

function listen(port: number): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

const portClash = () =>
  new ServerStartError('x', 'exited', 'bind failed', 'listen tcp: bind: address already in use');

describe('free ports', () => {
  it('hands out distinct ports that can be bound', async () => {
    const ports = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
    expect(new Set(ports).size).to.equal(4);
    for (const port of ports) expect(await isPortFree(port)).to.be.true;
  });

  it('sees a port in use as not free, and chooses another unless the port is fixed', async () => {
    const port = await freePort();
    const squatter = await listen(port);
    try {
      expect(await isPortFree(port)).to.be.false;
      expect(await choosePort({ preferredPort: port }, '127.0.0.1')).to.not.equal(port);
      expect(await choosePort({ port }, '127.0.0.1')).to.equal(port);
    } finally {
      squatter.close();
    }
    expect(await choosePort({ preferredPort: port }, '127.0.0.1')).to.equal(port);
  });

  it('retries a start that lost its port to another process, at most three times', async () => {
    let attempts = 0;
    const result = await retryOnPortClash({}, () =>
      ++attempts < 3 ? Promise.reject(portClash()) : Promise.resolve('up'),
    );
    expect([result, attempts]).to.deep.equal(['up', 3]);

    attempts = 0;
    const failing = () => {
      attempts++;
      return Promise.reject(portClash());
    };
    await retryOnPortClash({}, failing).catch(() => undefined);
    expect(attempts).to.equal(3);
  });

  it('does not retry a fixed port or another failure', async () => {
    let attempts = 0;
    const fail = (error: Error) => () => {
      attempts++;
      return Promise.reject(error);
    };
    await retryOnPortClash({ port: 1234 }, fail(portClash())).catch(() => undefined);
    await retryOnPortClash({}, fail(new ServerStartError('x', 'timeout', 'slow', 'nothing'))).catch(
      () => undefined,
    );
    expect(attempts).to.equal(2);
  });
});

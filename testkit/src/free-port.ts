import { createServer } from 'node:net';
import { ServerStartError } from './server-start.error';

/** Ports handed out recently by this process, so two servers started together never get the same one. */
const recentlyHandedOut: number[] = [];
const REMEMBERED = 64;

/** A TCP port on `host` that nothing listens on right now (the kernel picks it; it is not reserved). */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  for (;;) {
    const port = await listenAndClose(host, 0);
    if (!recentlyHandedOut.includes(port)) {
      recentlyHandedOut.push(port);
      if (recentlyHandedOut.length > REMEMBERED) recentlyHandedOut.shift();
      return port;
    }
  }
}

/** Whether `port` on `host` can be bound right now. */
export async function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  try {
    await listenAndClose(host, port);
    return true;
  } catch {
    return false;
  }
}

/** The port to start a server on: `port` if fixed, else `preferredPort` when free, else a free one. */
export async function choosePort(
  options: { port?: number; preferredPort?: number },
  host: string,
): Promise<number> {
  if (options.port !== undefined) return options.port;
  if (options.preferredPort !== undefined && (await isPortFree(options.preferredPort, host))) {
    return options.preferredPort;
  }
  return freePort(host);
}

function listenAndClose(host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host, port, exclusive: true }, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address !== null ? address.port : port;
      server.close(() => resolve(bound));
    });
  });
}

const PORT_ATTEMPTS = 3;

/**
 * Runs `start` (which chooses its ports afresh each time) again when the server failed because another
 * process took a chosen port before the server bound it. Never retried for a fixed `port`.
 */
export async function retryOnPortClash<T>(options: { port?: number }, start: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (error) {
      const clash = error instanceof ServerStartError && error.portInUse;
      if (!clash || options.port !== undefined || attempt >= PORT_ATTEMPTS) throw error;
    }
  }
}

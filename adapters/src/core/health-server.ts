/** Each adapter's own HTTP port: `/healthz` (JSON) and `/metrics` (Prometheus text). */
import { type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import express from 'express';
import { type AdapterHealth } from './adapter-health';
import { type AdapterMetrics } from './metrics';

export interface HealthServer {
  readonly url: string;
  close(): Promise<void>;
}

export async function startHealthServer(options: {
  host: string;
  port: number;
  /** When `port` is taken, listen on a free one instead of failing (see {@link listen}). */
  orFreePort?: boolean;
  health: AdapterHealth;
  metrics: AdapterMetrics;
}): Promise<HealthServer> {
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', async (_req, res) => {
    const snapshot = await options.health.snapshot();
    res.status(snapshot.status === 'degraded' ? 503 : 200).json(snapshot);
  });
  app.get('/metrics', async (_req, res) => {
    res.type(options.metrics.registry.contentType).send(await options.metrics.text());
  });
  const server = await listen(app, options.host, options.port, { orFreePort: options.orFreePort });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host}:${port}`,
    close: () => closeServer(server),
  };
}

/**
 * Listens on `host:port`. With `orFreePort`, a port that is taken (EADDRINUSE) is not an error: the server
 * listens on a free port instead, and its address says which. `npm start` runs adapters this way, so that two
 * instances of the system on one machine do not collide on the configured ports; a deployment leaves it off
 * and fails loudly.
 */
export async function listen(
  app: express.Express,
  host: string,
  port: number,
  options: { orFreePort?: boolean } = {},
): Promise<Server> {
  try {
    return await listenOnce(app, host, port);
  } catch (error) {
    const taken = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
    if (!taken || options.orFreePort !== true || port === 0) throw error;
    return listenOnce(app, host, 0);
  }
}

function listenOnce(app: express.Express, host: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (error?: Error) => (error ? reject(error) : resolve(server)));
    server.once('error', reject);
  });
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

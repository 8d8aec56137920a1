/**
 * The witness's HTTP face: `POST /add-checkpoint` (c2sp.org/tlog-witness; the submission prefix is the
 * root), `GET /healthz`, and `GET /vkey` (the witness's verifier key, for operators). Plain node:http: the
 * protocol is two text bodies and a status code. Bodies above 64 KiB are refused (413).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { type Witness } from './witness';

const MAX_BODY = 64 * 1024;

export interface RunningWitnessServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export function listenWitness(
  witness: Witness,
  vkey: string,
  options: { readonly host?: string; readonly port?: number } = {},
): Promise<RunningWitnessServer> {
  const server = createServer((req, res) => void handle(witness, vkey, req, res));
  server.keepAliveTimeout = 65_000;
  const host = options.host ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      const port = (server.address() as AddressInfo).port;
      resolve({ url: `http://${host}:${port}`, port, close: () => closeServer(server) });
    });
  });
}

async function handle(
  witness: Witness,
  vkey: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  try {
    if (req.method === 'POST' && req.url === '/add-checkpoint') {
      const body = await readBody(req);
      if (body === undefined)
        return send(res, 413, 'text/plain; charset=utf-8', `body above ${MAX_BODY} bytes\n`);
      const answer = witness.addCheckpoint(body);
      return send(res, answer.status, answer.contentType, answer.body);
    }
    if (req.method === 'GET' && req.url === '/healthz')
      return send(res, 200, 'text/plain; charset=utf-8', 'ok\n');
    if (req.method === 'GET' && req.url === '/vkey')
      return send(res, 200, 'text/plain; charset=utf-8', `${vkey}\n`);
    send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
  } catch (error) {
    send(res, 500, 'text/plain; charset=utf-8', `witness error: ${(error as Error).message}\n`);
  }
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}

/**
 * A real hub for tests: a real nats-server (testkit), a temp data dir with the embedded ledger and SQLite,
 * the HTTP server on a free port, tokens for every role, and helpers to publish envelopes and collect
 * receipts and dead letters from NATS.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DLQ_HEADERS,
  envelopeSubject,
  natsMsgId,
  type DepartmentCode,
  type Envelope,
  type Receipt,
  type RegionCode,
  type Role,
} from '@approval-ledger/protocol';
import { startNatsServer, type NatsServer } from '@approval-ledger/testkit';
import { jetstream } from '@nats-io/jetstream';
import { connect, headers, type NatsConnection } from '@nats-io/transport-node';
import pino from 'pino';
import { loadConfig } from '../../src/config';
import { startHub, type HubRuntimeOptions, type RunningHub } from '../../src/hub';

export interface DeadLetterSeen {
  readonly subject: string;
  readonly reason: string;
  readonly code: string;
  readonly data: string;
}

export interface TestHub {
  readonly hub: RunningHub;
  readonly url: string;
  readonly dataDir: string;
  readonly nats: NatsServer;
  readonly nc: NatsConnection;
  readonly receipts: Receipt[];
  readonly deadLetters: DeadLetterSeen[];
  readonly notices: { subject: string; data: unknown }[];
  token(role: Role, region?: RegionCode, dept?: DepartmentCode): Promise<string>;
  publish(envelope: Envelope, options?: { msgId?: string; subject?: string }): Promise<void>;
  publishRaw(subject: string, data: Uint8Array | string, msgId?: string): Promise<void>;
  waitFor<T>(
    what: string,
    probe: () => T | undefined | false | Promise<T | undefined | false>,
    timeoutMs?: number,
  ): Promise<T>;
  api(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<{ status: number; body: any; headers: Headers }>;
  stop(): Promise<void>;
}

export async function startTestHub(
  options: {
    nats?: NatsServer;
    dataDir?: string;
    runtime?: Partial<HubRuntimeOptions>;
    env?: NodeJS.ProcessEnv;
  } = {},
): Promise<TestHub> {
  const nats = options.nats ?? (await startNatsServer());
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'hub-test-'));
  const config = loadConfig({
    LEDGER_DATA_DIR: dataDir,
    PORT: '0',
    NATS_URL: nats.url,
    LOG_LEVEL: 'warn',
    ...options.env,
  });
  const logger = pino({ level: process.env.HUB_TEST_LOG ?? 'warn' });
  const hub = await startHub({
    config,
    logger,
    natsUrl: nats.url,
    ingest: { ackWaitMs: 5000, maxWaitMs: 10 },
    reconciliation: { enabled: false },
    server: { requestLog: false, verifyRateLimit: { windowMs: 60_000, limit: 100_000 } },
    blockTimeoutMs: 10,
    ...options.runtime,
  });
  const nc = await connect({ servers: nats.url });
  const js = jetstream(nc);
  const receipts: Receipt[] = [];
  const deadLetters: DeadLetterSeen[] = [];
  const notices: { subject: string; data: unknown }[] = [];
  nc.subscribe('ledger.receipt.>', {
    callback: (_e, m) => {
      receipts.push(m.json<Receipt>());
    },
  });
  nc.subscribe('ledger.recognition.>', {
    callback: (_e, m) => {
      notices.push({ subject: m.subject, data: m.json() });
    },
  });
  nc.subscribe('ledger.dlq.>', {
    callback: (_e, m) => {
      deadLetters.push({
        subject: m.subject,
        reason: m.headers?.get(DLQ_HEADERS.reason) ?? '',
        code: m.headers?.get(DLQ_HEADERS.code) ?? '',
        data: m.string(),
      });
    },
  });
  await nc.flush();
  const tokens = new Map<string, string>();
  let stopped = false;
  const self: TestHub = {
    hub,
    url: hub.url,
    dataDir,
    nats,
    nc,
    receipts,
    deadLetters,
    notices,
    async token(role, region = 'BJ', dept) {
      const key = `${role}/${region}/${dept ?? ''}`;
      let token = tokens.get(key);
      if (!token) {
        token = await hub.issueToken({
          subject: `test-${role}-${region}-${dept ?? 'x'}`,
          region,
          role,
          ...(dept ? { dept } : {}),
        });
        tokens.set(key, token);
      }
      return token;
    },
    async publish(envelope, o = {}) {
      await js.publish(o.subject ?? envelopeSubject(envelope), JSON.stringify(envelope), {
        msgID: o.msgId ?? natsMsgId(envelope.source),
      });
    },
    async publishRaw(subject, data, msgId) {
      const h = headers();
      await js.publish(subject, data, { headers: h, ...(msgId ? { msgID: msgId } : {}) });
    },
    waitFor,
    async api(method, path, o = {}) {
      const response = await fetch(`${hub.url}${path}`, {
        method,
        headers: {
          ...(o.token ? { authorization: `Bearer ${o.token}` } : {}),
          ...(o.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...o.headers,
        },
        ...(o.body !== undefined
          ? { body: typeof o.body === 'string' ? o.body : JSON.stringify(o.body) }
          : {}),
      });
      const text = await response.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON
      }
      return { status: response.status, body, headers: response.headers };
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await nc.close();
      await hub.stop();
      if (!options.nats) await nats.stop();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return self;
}

export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

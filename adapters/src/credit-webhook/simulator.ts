/**
 * A credit centre that behaves like the real one: it evaluates enterprises, lists and de-lists dishonest ones,
 * and POSTs each event as a signed webhook; a delivery refused with 5xx or not answered is re-sent later with
 * the same delivery id (and a fresh signature), a 409 means the adapter already has it.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { type RegionCode } from '@approval-ledger/protocol';
import { errorMessage, silentLogger, type Logger } from '../core/logger';
import { startClerkTicker } from '../simulation/clerk-ticker';
import { Random, makeCompanyName, makeUscc, shanghaiIso } from '../simulation/legacy-fixtures';
import {
  DELIVERY_HEADER,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  signCreditDelivery,
} from './credit-webhook-client';

export interface PostOptions {
  /** Unix seconds to sign with (default: now). */
  readonly timestamp?: number;
  /** Sign with this secret instead (a forger). */
  readonly signWith?: string;
}

/** POSTs one delivery, signed; resolves to the HTTP status. */
export async function postCreditDelivery(
  url: string,
  secret: string,
  body: Buffer | string,
  options: PostOptions = {},
): Promise<{ status: number; json: unknown }> {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const deliveryId = /"deliveryId"\s*:\s*"([^"]*)"/.exec(bytes.toString('utf8'))?.[1] ?? 'unknown';
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      [TIMESTAMP_HEADER]: String(timestamp),
      [SIGNATURE_HEADER]: signCreditDelivery(options.signWith ?? secret, timestamp, bytes),
      [DELIVERY_HEADER]: deliveryId,
    },
    body: bytes,
  });
  const text = await response.text();
  return { status: response.status, json: text ? (JSON.parse(text) as unknown) : null };
}

/** The webhook secret: the environment's, else one generated once into `file` (mode 0600). */
export async function webhookSecret(envValue: string | undefined, file: string): Promise<string> {
  if (envValue !== undefined && envValue !== '') return envValue;
  const saved = (await readFile(file, 'utf8').catch(() => '')).trim();
  if (saved !== '') return saved;
  const secret = randomBytes(32).toString('hex');
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

export interface CreditSimulatorOptions {
  readonly url: string;
  readonly secret: string;
  readonly intervalMs: number;
  readonly region?: RegionCode;
  readonly seed?: number;
  readonly log?: Logger;
}

export interface CreditWebhookSimulator {
  /** Deliveries the adapter accepted (2xx or 409). */
  readonly delivered: number;
  /** Builds an event payload. */
  invent(): Record<string, unknown>;
  stop(): Promise<void>;
}

export function startCreditWebhookSimulator(options: CreditSimulatorOptions): CreditWebhookSimulator {
  const random = new Random(options.seed ?? Date.now() & 0xffff);
  const log = options.log ?? silentLogger;
  const pending: Record<string, unknown>[] = [];
  const known: { name: string; uscc: string }[] = [];
  let serial = 0;
  let delivered = 0;

  const invent = (): Record<string, unknown> => {
    const reuse = known.length > 0 && random.next() < 0.4;
    const enterprise = reuse
      ? random.pick(known)
      : { name: makeCompanyName(random, options.region), uscc: makeUscc(random, options.region) };
    if (!reuse) known.push(enterprise);
    const roll = random.next();
    const eventType =
      roll < 0.75 ? 'CREDIT_EVALUATED' : roll < 0.9 ? 'DISHONEST_LISTED' : 'DISHONEST_REMOVED';
    const level = roll > 0.98 ? 'E' : random.pick(['A', 'A', 'B', 'B', 'C', 'D级']);
    serial++;
    return {
      deliveryId: randomUUID(),
      eventType,
      eventId: `CR-${Date.now().toString(36)}-${serial}`,
      revision: 1,
      enterprise,
      ...(eventType === 'DISHONEST_LISTED' ? {} : { level }),
      occurredAt: shanghaiIso(),
    };
  };

  const send = async (): Promise<void> => {
    pending.push(invent());
    const retry: Record<string, unknown>[] = [];
    for (const payload of pending.splice(0)) {
      try {
        const { status } = await postCreditDelivery(options.url, options.secret, JSON.stringify(payload));
        if (status >= 500) retry.push(payload);
        else delivered++;
      } catch (error) {
        log.warn('credit webhook not delivered; will retry', { error: errorMessage(error) });
        retry.push(payload);
      }
    }
    pending.push(...retry);
  };

  const clerk = startClerkTicker(send, options.intervalMs, log, 'simulated credit event failed');
  return {
    get delivered() {
      return delivered;
    },
    invent,
    stop: () => clerk.stop(),
  };
}

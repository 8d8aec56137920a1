/**
 * The only code that knows the credit centre's webhooks: JSON POSTs signed with HMAC-SHA256 over
 * `timestamp + "." + rawBody` (`X-Credit-Timestamp`: Unix seconds, `X-Credit-Signature: sha256=<hex>`), with a
 * `deliveryId` in the signed body. The signature is compared in constant time; a delivery signed more than the
 * tolerance (5 minutes) away from now is refused as stale (401), one whose delivery id was already accepted
 * within twice that window is refused as a replay (409). Accepted deliveries answer 202 once their envelope is
 * acknowledged by JetStream; 503 (retry later) when NATS does not answer in time.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { sha256Hex, DLQ_CODES } from '@approval-ledger/protocol';
import { type KV } from '@nats-io/kv';
import express, { type NextFunction, type Request, type Response } from 'express';
import { formatReason, issue, mappingFailure, type MappingFailure } from '../core/dead-letter';
import { closeServer, listen } from '../core/health-server';
import { type DeliveryOutcome, type LegacyRecord } from '../core/ledger-publisher';
import { errorMessage, type Logger } from '../core/logger';
import { type CreditWebhookSettings } from './config';
import { CreditPayloadSchema, creditPayloadToEnvelopes, type CreditPayload } from './to-envelope';

export const TIMESTAMP_HEADER = 'X-Credit-Timestamp';
export const SIGNATURE_HEADER = 'X-Credit-Signature';
/** Informational (not signed): the sender's id of the delivery, for logs and dead letters. */
export const DELIVERY_HEADER = 'X-Credit-Delivery';

/** `sha256=<hex>` of HMAC-SHA256(secret, `${timestamp}.${body}`). */
export function signCreditDelivery(secret: string, timestamp: number, body: Uint8Array): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
  return `sha256=${mac}`;
}

export type SignatureCheck =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly code: 'SIGNATURE_INVALID' | 'STALE_DELIVERY';
      readonly field: string;
      readonly reason: string;
    };

/** Checks the signature (constant time) and the timestamp's age. */
export function verifyCreditSignature(
  secret: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  body: Uint8Array,
  options: { nowMs: number; toleranceSeconds: number },
): SignatureCheck {
  const { timestamp, signature } = headers;
  if (timestamp === undefined || !/^\d{1,12}$/.test(timestamp)) {
    return invalid(TIMESTAMP_HEADER, `${TIMESTAMP_HEADER} is missing or not Unix seconds`);
  }
  const given = /^sha256=([0-9a-fA-F]{64})$/.exec(signature ?? '')?.[1];
  if (given === undefined)
    return invalid(SIGNATURE_HEADER, `${SIGNATURE_HEADER} is missing or not sha256=<64 hex digits>`);
  const expected = signCreditDelivery(secret, Number(timestamp), body).slice('sha256='.length);
  if (!timingSafeEqual(Buffer.from(given.toLowerCase(), 'hex'), Buffer.from(expected, 'hex'))) {
    return invalid(SIGNATURE_HEADER, 'HMAC-SHA256 signature does not match the timestamp and body');
  }
  const skew = Math.abs(options.nowMs / 1000 - Number(timestamp));
  if (skew > options.toleranceSeconds) {
    return {
      ok: false,
      code: 'STALE_DELIVERY',
      field: TIMESTAMP_HEADER,
      reason: `signed ${Math.round(skew)} s away from now; deliveries older than ${options.toleranceSeconds} s are refused`,
    };
  }
  return { ok: true };
}

/** Delivery ids accepted recently, kept in a JetStream KV bucket whose entries expire. */
export interface DeliveryLog {
  seen(deliveryId: string): Promise<boolean>;
  remember(deliveryId: string): Promise<void>;
}

export class KvDeliveryLog implements DeliveryLog {
  constructor(private readonly kv: KV) {}

  async seen(deliveryId: string): Promise<boolean> {
    const entry = await this.kv.get(keyOf(deliveryId));
    return entry !== null && entry.operation === 'PUT';
  }

  async remember(deliveryId: string): Promise<void> {
    await this.kv.put(keyOf(deliveryId), JSON.stringify({ at: new Date().toISOString() }));
  }
}

export interface CreditWebhookServerOptions {
  readonly settings: CreditWebhookSettings;
  readonly deliveries: DeliveryLog;
  /** Publishes (or dead-letters) a record; rejects when it cannot within `signal`. */
  readonly deliver: (record: LegacyRecord, signal: AbortSignal) => Promise<DeliveryOutcome>;
  readonly log: Logger;
  /** Counts requests in flight (the adapter's backlog). */
  readonly inFlight?: { count: number };
  /** Aborts waiting deliveries when the adapter stops. */
  readonly stopSignal?: AbortSignal;
  /** Listen on a free port when the configured one is taken. */
  readonly orFreePort?: boolean;
}

export interface CreditWebhookServer {
  readonly url: string;
  close(): Promise<void>;
}

export async function startCreditWebhookServer(
  options: CreditWebhookServerOptions,
): Promise<CreditWebhookServer> {
  const { config, listenHost } = options.settings;
  const app = express();
  app.disable('x-powered-by');
  app.post(
    config.webhook.path,
    express.raw({ type: () => true, limit: config.webhook.maxBodyBytes }),
    (req: Request, res: Response) => handleDelivery(options, req, res),
  );
  app.use((error: Error & { status?: number }, _req: Request, res: Response, _next: NextFunction) => {
    problem(res, error.status ?? 500, 'request refused', error.message);
  });
  const server: Server = await listen(app, listenHost, config.webhook.port, {
    orFreePort: options.orFreePort,
  });
  const { port } = server.address() as AddressInfo;
  return { url: `http://${listenHost}:${port}${config.webhook.path}`, close: () => closeServer(server) };
}

async function handleDelivery(
  options: CreditWebhookServerOptions,
  req: Request,
  res: Response,
): Promise<void> {
  const counter = options.inFlight ?? { count: 0 };
  counter.count++;
  // one plain controller per request (AbortSignal.any / .timeout cost more than the delivery itself on Node 20)
  const budget = new AbortController();
  const abort = (): void => budget.abort();
  const timer = setTimeout(abort, options.settings.config.webhook.publishBudgetMs);
  options.stopSignal?.addEventListener('abort', abort, { once: true });
  try {
    await answer(options, req, res, budget.signal);
  } catch (error) {
    options.log.warn('delivery not accepted now; the sender will retry', { error: errorMessage(error) });
    res.setHeader('Retry-After', '5');
    problem(res, 503, 'try again later', 'the ledger bus is not available right now');
  } finally {
    clearTimeout(timer);
    options.stopSignal?.removeEventListener('abort', abort);
    counter.count--;
  }
}

async function answer(
  options: CreditWebhookServerOptions,
  req: Request,
  res: Response,
  budget: AbortSignal,
): Promise<void> {
  const { settings } = options;
  const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  const headerId = req.get(DELIVERY_HEADER) ?? 'unknown';
  const check = verifyCreditSignature(
    settings.secret,
    { timestamp: req.get(TIMESTAMP_HEADER), signature: req.get(SIGNATURE_HEADER) },
    raw,
    { nowMs: Date.now(), toleranceSeconds: settings.config.webhook.toleranceSeconds },
  );
  if (!check.ok) {
    const failure = mappingFailure(DLQ_CODES[check.code], [
      issue(check.field, `webhook.${check.code.toLowerCase()}`, check.reason),
    ]);
    await options.deliver({ source: `delivery:${headerId}`, raw, mapped: failure }, budget);
    return problem(
      res,
      401,
      check.code === 'STALE_DELIVERY' ? 'stale delivery' : 'bad signature',
      check.reason,
    );
  }
  const parsed = parsePayload(raw);
  if (!parsed.ok) {
    await options.deliver({ source: `delivery:${headerId}`, raw, mapped: parsed.failure }, budget);
    return problem(res, 400, 'not a credit delivery', formatReason(parsed.failure.issues));
  }
  const { payload } = parsed;
  if (await options.deliveries.seen(payload.deliveryId)) {
    return problem(res, 409, 'replayed delivery', `delivery ${payload.deliveryId} was already accepted`);
  }
  const outcome = await options.deliver(recordOf(settings, payload, raw), budget);
  await options.deliveries.remember(payload.deliveryId);
  if (outcome === 'dead-lettered') {
    return problem(
      res,
      422,
      'delivery dead-lettered',
      'the evaluation cannot be mapped; it is in the dead-letter queue',
    );
  }
  res.status(202).json({ deliveryId: payload.deliveryId, status: outcome });
}

function parsePayload(
  raw: Buffer,
): { ok: true; payload: CreditPayload } | { ok: false; failure: MappingFailure } {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
  } catch (error) {
    const why = issue('(body)', 'webhook.json', `not UTF-8 JSON: ${(error as Error).message}`);
    return { ok: false, failure: mappingFailure(DLQ_CODES.DECODING_FAILED, [why]) };
  }
  const result = CreditPayloadSchema.safeParse(json);
  if (!result.success) {
    const issues = result.error.issues.map((i) =>
      issue(i.path.join('.') || '(body)', 'webhook.payload', i.message),
    );
    return { ok: false, failure: mappingFailure(DLQ_CODES.MAPPING_FAILED, issues) };
  }
  return { ok: true, payload: result.data };
}

function recordOf(settings: CreditWebhookSettings, payload: CreditPayload, raw: Buffer): LegacyRecord {
  const { config } = settings;
  const mapped = creditPayloadToEnvelopes(payload, {
    region: config.region,
    sourceSystem: config.sourceSystem,
    dataClass: config.dataClass,
    emittedAt: new Date().toISOString(),
  });
  const source = `${config.sourceSystem}:${payload.eventId ?? '?'}:${payload.revision ?? '?'}`;
  const changedAtMs = Date.parse(payload.occurredAt ?? '');
  return { source, raw, mapped, ...(Number.isNaN(changedAtMs) ? {} : { changedAtMs }) };
}

function problem(res: Response, status: number, title: string, detail: string): void {
  res
    .status(status)
    .type('application/problem+json')
    .send(JSON.stringify({ type: 'about:blank', title, status, detail }));
}

function invalid(field: string, reason: string): SignatureCheck {
  return { ok: false, code: 'SIGNATURE_INVALID', field, reason };
}

function keyOf(deliveryId: string): string {
  return `d.${sha256Hex(deliveryId).slice(0, 40)}`;
}

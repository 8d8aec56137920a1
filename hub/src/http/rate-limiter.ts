/**
 * The /verify and /proofs rate limit: per client address, a window of `windowMs` starting at the client's first
 * request (as express-rate-limit's MemoryStore counts), `limit` requests in it, answered with the IETF draft-7
 * headers `RateLimit-Policy: <limit>;w=<seconds>` and `RateLimit: limit=<limit>, remaining=<n>, reset=<seconds>`,
 * and over the limit `Retry-After` and a `rate-limited` problem.
 *
 * It replaces express-rate-limit on the hub's hot route (issue 16): that middleware awaits five promises,
 * runs its validations and parses `X-Forwarded-For` on every request (about 5% of the CPU of a /verify
 * request by the profile). Here a hit is one Map lookup and two header strings, synchronous, and the same
 * instance serves the general chain (`middleware`, keyed by Express's `req.ip`) and the verify lane (`hit`,
 * keyed by the socket's address when no proxy header is present), so both paths spend one budget.
 */
import { type ServerResponse } from 'node:http';
import { type RequestHandler } from 'express';
import { ipKeyGenerator } from 'express-rate-limit';
import { HttpProblem } from './problem';

export interface RateLimitOptions {
  readonly windowMs: number;
  readonly limit: number;
}

/** One client's count in its current window. */
interface Client {
  hits: number;
  resetAt: number;
}

export interface RateLimitHit {
  readonly over: boolean;
  /** The `RateLimit-Policy` and `RateLimit` header values of this hit. */
  readonly policy: string;
  readonly state: string;
  /** Seconds until the client's window ends (the `Retry-After` when over). */
  readonly resetSeconds: number;
}

export class RateLimiter {
  readonly #windowMs: number;
  readonly #limit: number;
  readonly #policy: string;
  /** Clients seen in this sweep interval, and in the one before (all of those older are expired). */
  #current = new Map<string, Client>();
  #previous = new Map<string, Client>();
  readonly #sweep: NodeJS.Timeout;

  constructor(options: RateLimitOptions) {
    if (!Number.isInteger(options.limit) || options.limit < 0)
      throw new RangeError(`rate limit: limit must be a non-negative integer, got ${options.limit}`);
    if (!Number.isFinite(options.windowMs) || options.windowMs <= 0)
      throw new RangeError(`rate limit: windowMs must be a positive number, got ${options.windowMs}`);
    this.#windowMs = options.windowMs;
    this.#limit = options.limit;
    this.#policy = `${options.limit};w=${Math.ceil(options.windowMs / 1000)}`;
    this.#sweep = setInterval(() => {
      this.#previous = this.#current;
      this.#current = new Map();
    }, options.windowMs);
    this.#sweep.unref();
  }

  /** Counts one request of `key` (an address, or its IPv6 /56 as `keyOf` gives it). */
  hit(key: string): RateLimitHit {
    let client = this.#current.get(key);
    if (client === undefined) {
      client = this.#previous.get(key);
      if (client === undefined) client = { hits: 0, resetAt: 0 };
      else this.#previous.delete(key);
      this.#current.set(key, client);
    }
    const now = Date.now();
    if (client.resetAt <= now) {
      client.hits = 0;
      client.resetAt = now + this.#windowMs;
    }
    client.hits++;
    const resetSeconds = Math.max(0, Math.ceil((client.resetAt - now) / 1000));
    return {
      over: client.hits > this.#limit,
      policy: this.#policy,
      state: `limit=${this.#limit}, remaining=${Math.max(this.#limit - client.hits, 0)}, reset=${resetSeconds}`,
      resetSeconds,
    };
  }

  /** Sets the hit's headers on a response (as express-rate-limit's draft-7 headers, `Retry-After` when over). */
  static setHeaders(res: ServerResponse, hit: RateLimitHit): void {
    res.setHeader('RateLimit-Policy', hit.policy);
    res.setHeader('RateLimit', hit.state);
    if (hit.over) res.setHeader('Retry-After', String(hit.resetSeconds));
  }

  /** The general chain's middleware: keyed by `req.ip` (the app's `trust proxy` rule). */
  readonly middleware: RequestHandler = (req, res, next) => {
    const hit = this.hit(keyOf(req.ip ?? req.socket.remoteAddress ?? ''));
    RateLimiter.setHeaders(res, hit);
    next(hit.over ? rateLimited() : undefined);
  };

  stop(): void {
    clearInterval(this.#sweep);
  }
}

/** The key of an address: itself for IPv4, its /56 for IPv6 (express-rate-limit's default). */
export function keyOf(ip: string): string {
  if (!ip.includes(':')) return ip;
  let key = ipv6Keys.get(ip);
  if (key === undefined) {
    if (ipv6Keys.size >= 10_000) ipv6Keys.clear();
    key = ipKeyGenerator(ip, 56);
    ipv6Keys.set(ip, key);
  }
  return key;
}

/** IPv6 addresses and their keys (parsing one costs tens of µs; a client sends many requests). */
const ipv6Keys = new Map<string, string>();

export function rateLimited(): HttpProblem {
  return new HttpProblem('rate-limited', 'too many verification requests; slow down');
}

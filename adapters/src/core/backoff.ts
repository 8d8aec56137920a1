/** Capped exponential backoff with full jitter, and an abortable sleep. */

export interface BackoffPolicy {
  /** The cap of the first delay. */
  readonly initialMs: number;
  /** No delay is longer than this. */
  readonly maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 200, maxMs: 15_000 };

/**
 * The delay before retry number `attempt` (0-based): uniformly random in [0, min(maxMs, initialMs * 2^attempt)]
 * ("full jitter"), so that many adapters waiting for the same server do not come back in step.
 */
export function backoffDelay(
  attempt: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxMs, policy.initialMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}

/** Thrown by {@link sleep} and {@link retrying} when the signal aborts. */
export class AbortedError extends Error {
  override readonly name = 'AbortedError';

  constructor(what = 'operation') {
    super(`${what} aborted: shutting down`);
  }
}

/** Resolves after `ms`, or rejects with {@link AbortedError} as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(new AbortedError('sleep'));
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new AbortedError('sleep'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export interface RetryOptions {
  readonly policy: BackoffPolicy;
  readonly signal?: AbortSignal;
  /** Whether to try again after `error`; default: always. */
  readonly retryable?: (error: unknown) => boolean;
  /** Called before each wait, e.g. to count retries and record the last error. */
  readonly onRetry?: (error: unknown, attempt: number, delayMs: number) => void | Promise<void>;
  /** Give up after this many attempts (default: never, until aborted). */
  readonly maxAttempts?: number;
}

/** Runs `operation` until it succeeds, the error is not retryable, the attempts run out, or `signal` aborts. */
export async function retrying<T>(
  operation: (attempt: number) => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    if (options.signal?.aborted) throw new AbortedError();
    try {
      return await operation(attempt);
    } catch (error) {
      if (givesUp(error, attempt, options)) throw error;
      const delay = backoffDelay(attempt, options.policy);
      await options.onRetry?.(error, attempt, delay);
      await sleep(delay, options.signal);
    }
  }
}

function givesUp(error: unknown, attempt: number, options: RetryOptions): boolean {
  if (options.signal?.aborted) return true;
  if (options.maxAttempts !== undefined && attempt + 1 >= options.maxAttempts) return true;
  return options.retryable !== undefined && !options.retryable(error);
}

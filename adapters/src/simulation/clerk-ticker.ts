/**
 * The pace of every simulated legacy system: a clerk acts every `intervalMs` (never when it is 0 or absent), one
 * action at a time (an action waits for the one before it), a failed action is logged and the next one tried;
 * `stop()` ends the ticking and waits for the action under way, so nothing is half-written when a simulator stops.
 */
import { errorMessage, type Logger } from '../core/logger';

export interface ClerkTicker {
  stop(): Promise<void>;
}

export function startClerkTicker(
  act: () => Promise<void>,
  intervalMs: number | undefined,
  log: Logger,
  failure: string,
): ClerkTicker {
  let busy: Promise<void> = Promise.resolve();
  const tick = (): void => {
    busy = busy.then(act).catch((error: unknown) => log.warn(failure, { error: errorMessage(error) }));
  };
  const timer = (intervalMs ?? 0) > 0 ? setInterval(tick, intervalMs) : undefined;
  return {
    async stop() {
      if (timer) clearInterval(timer);
      await busy;
    },
  };
}

/**
 * The adapters log as the hub does: pino, one JSON object per line on stdout, `service` naming the adapter
 * (`hc-mysql`, `drc-csv`, ...), the level from LOG_LEVEL (default `info`). The adapters' code sees only this
 * small interface (a message and fields), so a test can pass {@link silentLogger} or a recording one.
 */
import pino, { type Level } from 'pino';

export type LogFields = Readonly<Record<string, unknown>>;

export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

const LEVELS: readonly string[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** A pino logger for one adapter (or the `adapters` orchestrator), at `level` (default: LOG_LEVEL, else info). */
export function consoleLogger(name: string, level: string | undefined = process.env.LOG_LEVEL): Logger {
  const chosen = level !== undefined && LEVELS.includes(level) ? (level as Level | 'silent') : 'info';
  const log = pino({ level: chosen, base: { service: name } });
  return {
    info: (message, fields) => log.info(fields ?? {}, message),
    warn: (message, fields) => log.warn(fields ?? {}, message),
    error: (message, fields) => log.error(fields ?? {}, message),
  };
}

export const silentLogger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

export function errorMessage(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? ` (cause: ${error.cause.message})` : '';
    return `${error.message || error.name}${cause}`;
  }
  return String(error);
}

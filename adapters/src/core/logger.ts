/** The adapters log single lines: `[hc-mysql] message key=value ...`. */

export type LogFields = Readonly<Record<string, unknown>>;

export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export function consoleLogger(name: string): Logger {
  const line = (message: string, fields?: LogFields): string => `[${name}] ${message}${formatFields(fields)}`;
  return {
    info: (message, fields) => console.log(line(message, fields)),
    warn: (message, fields) => console.warn(line(message, fields)),
    error: (message, fields) => console.error(line(message, fields)),
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

function formatFields(fields: LogFields | undefined): string {
  if (fields === undefined) return '';
  return Object.entries(fields)
    .map(([k, v]) => ` ${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join('');
}

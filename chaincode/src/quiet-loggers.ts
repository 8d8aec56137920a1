// fabric-shim and fabric-contract-api log through winston 3, whose level methods (`logger.debug(...)`) build the
// message and push it through the whole format chain (timestamp, metadata, colours, padding, printf) before a
// transport drops it for its level. The shim logs at debug on every message it exchanges with the peer, so a
// chaincode on a peer spent a quarter of its busy time formatting lines nobody saw (winston 15% and logform 10% of
// a CPU profile of the served chaincode recording 500 milestones a transaction, at level warning). This gate
// drops a message before the chain when no transport of its logger would write it (winston's own
// `isLevelEnabled`), at `write` and at `log` (where a message with arguments is built), for every winston 3 logger of those libraries, present and future. Imported first by
// `index.ts`, so in-process ledgers get it too; what is logged, and when, is unchanged.
import { createRequire } from 'node:module';

const GATED = Symbol.for('approval-ledger.winston-level-gate');

interface WinstonLogger {
  isLevelEnabled(level: string): boolean;
  write: (this: WinstonLogger, chunk: unknown, ...rest: unknown[]) => boolean;
  log: (this: WinstonLogger, level: unknown, ...rest: unknown[]) => WinstonLogger;
}

interface LoggerClass {
  prototype: WinstonLogger & { [GATED]?: true };
}

/** The winston `Logger` class a library loads (the library's own copy when it nests one). */
function loggerClassOf(library: string): LoggerClass | undefined {
  try {
    const load = createRequire(require.resolve(library));
    const winston = load('winston') as { Logger?: LoggerClass };
    return winston.Logger;
  } catch {
    return undefined; // the library or its winston is not installed here: nothing to gate
  }
}

/** Gates `Logger.prototype.write` on the message's level; idempotent. */
export function gateWinstonLevels(
  libraries: readonly string[] = ['fabric-shim', 'fabric-contract-api'],
): void {
  for (const library of libraries) {
    const Logger = loggerClassOf(library);
    if (!Logger || Logger.prototype[GATED]) continue;
    const write = Logger.prototype.write;
    Logger.prototype.write = function gatedWrite(this: WinstonLogger, chunk: unknown, ...rest: unknown[]) {
      const level = (chunk as { level?: unknown } | null)?.level;
      if (typeof level === 'string' && !this.isLevelEnabled(level)) return true;
      return write.call(this, chunk, ...rest);
    };
    // `logger.debug('… %s', key)` (more than one argument) goes through `log(level, message, ...splat)`, which
    // builds the info object (default metadata, splat) before `write`: gate it there too. `log(info)` passes.
    const log = Logger.prototype.log;
    Logger.prototype.log = function gatedLog(this: WinstonLogger, level: unknown, ...rest: unknown[]) {
      if (rest.length > 0 && typeof level === 'string' && !this.isLevelEnabled(level)) return this;
      return log.call(this, level, ...rest);
    };
    Logger.prototype[GATED] = true;
  }
}

gateWinstonLevels();

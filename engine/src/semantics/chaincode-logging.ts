/**
 * fabric-shim and fabric-contract-api log through winston: every annotation at start, every stub call at debug
 * level and every chaincode refusal as an error. winston formats each message before a transport drops it by
 * level, which costs about 5% of a simulation, and refusals are ordinary answers here (they reach the caller
 * as typed errors). So unless the operator sets CORE_CHAINCODE_LOGGING_LEVEL, the loggers those two libraries
 * create are made silent. Imported before anything that loads fabric-shim; touches only the winston instance
 * fabric-shim and fabric-contract-api resolve (the hub itself logs with pino).
 */
type CreateLogger = (options: Record<string, unknown>) => unknown;

/** Marks the environment as quietened by us, so worker threads (which inherit it) quieten theirs too. */
const QUIET = 'APPROVAL_LEDGER_QUIET_CHAINCODE_LOGS';

if (process.env.CORE_CHAINCODE_LOGGING_LEVEL === undefined || process.env[QUIET] === '1') {
  process.env.CORE_CHAINCODE_LOGGING_LEVEL ??= 'ERROR';
  process.env[QUIET] = '1';
  for (const library of ['fabric-shim', 'fabric-contract-api']) {
    const path = require.resolve('winston', { paths: [require.resolve(library)] });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const winston = require(path) as { createLogger: CreateLogger & { silenced?: true } };
    if (winston.createLogger.silenced) continue;
    const create = winston.createLogger;
    // a function, not an arrow: the libraries call it with `new`, and an object returned from it is the result
    const silenced = function (options: Record<string, unknown>): unknown {
      return create({ ...options, silent: true });
    } as CreateLogger & { silenced?: true };
    silenced.silenced = true;
    winston.createLogger = silenced;
  }
}

export {};

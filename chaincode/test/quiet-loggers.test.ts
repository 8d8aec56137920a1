import { createRequire } from 'node:module';
import { PassThrough } from 'node:stream';
import { expect } from 'chai';
import type * as Winston from 'winston';
import { gateWinstonLevels } from '../src/quiet-loggers';

// the winston that fabric-shim logs through
const winston = createRequire(require.resolve('fabric-shim'))('winston') as typeof Winston;

/** A logger like fabric-shim's, whose format counts the messages it formats and whose lines are kept. */
function countingLogger(level: string, transportLevel?: string) {
  const seen = { formatted: 0, lines: [] as string[] };
  const counting = winston.format((info) => {
    seen.formatted++;
    return info;
  });
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => seen.lines.push(chunk.toString().trim()));
  const logger = winston.createLogger({
    level,
    format: winston.format.combine(counting(), winston.format.simple()),
    transports: [
      new winston.transports.Stream({ stream, ...(transportLevel ? { level: transportLevel } : {}) }),
    ],
  });
  return { logger, seen };
}

describe('quiet loggers: the winston level gate', () => {
  before(() => gateWinstonLevels());

  it('formats no message below every transport level, and still writes the ones at or above it', async () => {
    const { logger, seen } = countingLogger('warn');
    for (let i = 0; i < 100; i++) logger.debug(`debug ${i}`, { i });
    logger.info('info');
    logger.warn('warned');
    logger.error('failed');
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen.formatted).to.equal(2);
    expect(seen.lines).to.deep.equal(['warn: warned', 'error: failed']);
  });

  it('drops a message with arguments below the level before it is built, and writes one at the level', async () => {
    const { logger, seen } = countingLogger('warn');
    // what reaches `write` (the gate there would drop debug too, but only after `log` built the message)
    const reached: unknown[] = [];
    const write = logger.write.bind(logger);
    logger.write = ((chunk: unknown) => {
      reached.push((chunk as { level: string }).level);
      return write(chunk);
    }) as typeof logger.write;
    for (let i = 0; i < 10; i++) logger.debug('getState called with key:%s', `k${i}`);
    logger.log('debug', 'by log(%s)', 'level');
    logger.warn('warned %s', 'here');
    logger.log({ level: 'error', message: 'as info' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(reached).to.deep.equal(['warn', 'error']);
    expect(seen.formatted).to.equal(2);
    expect(seen.lines).to.deep.equal(['warn: warned %s', 'error: as info']);
  });

  it("follows a level changed later and a transport's own, more verbose level", async () => {
    const { logger, seen } = countingLogger('warn');
    logger.debug('hidden');
    logger.level = 'debug';
    logger.debug('shown');
    const verbose = countingLogger('error', 'info');
    verbose.logger.info('by the transport');
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen.lines).to.deep.equal(['debug: shown']);
    expect(verbose.seen.lines).to.deep.equal(['info: by the transport']);
  });

  it('is in place once the contracts are loaded, and gating twice changes nothing', () => {
    const write = (winston.Logger.prototype as { write: unknown }).write;
    gateWinstonLevels();
    expect((winston.Logger.prototype as { write: unknown }).write).to.equal(write);
    expect((write as { name: string }).name).to.equal('gatedWrite');
    expect((winston.Logger.prototype as { log: { name: string } }).log.name).to.equal('gatedLog');
  });
});

import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { chaincodeLogLevel } from '../../src/log-level';

const PACKAGE = join(__dirname, '..', '..');

/** The level fabric-contract-api's and fabric-shim's loggers get once log-level.ts ran first, in a fresh process. */
function loggerLevel(env: NodeJS.ProcessEnv): string {
  const script = [
    "require('./src/log-level');",
    "const shim = require('fabric-shim/lib/logger').getLogger('x');",
    "const api = require('fabric-contract-api/lib/logger').getLogger('y');",
    'process.stdout.write(`${shim.level} ${api.level}`);',
  ].join('');
  const { CORE_CHAINCODE_LOGGING_LEVEL: _unset, ...rest } = process.env;
  return execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], {
    cwd: PACKAGE,
    env: { ...rest, ...env },
    encoding: 'utf8',
  });
}

describe('the served chaincode logs warnings unless told otherwise', () => {
  it('defaults to warning and keeps a level the operator set', () => {
    expect(chaincodeLogLevel({})).to.equal('warning');
    expect(chaincodeLogLevel({ CORE_CHAINCODE_LOGGING_LEVEL: 'DEBUG' })).to.equal('DEBUG');
  });

  it("puts fabric-shim's and fabric-contract-api's loggers at warn, or at the operator's level", () => {
    expect(loggerLevel({})).to.equal('warn warn');
    expect(loggerLevel({ CORE_CHAINCODE_LOGGING_LEVEL: 'DEBUG' })).to.equal('debug debug');
  });
});

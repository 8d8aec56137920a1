/**
 * `npx ledger` from the repository root runs this project's CLI: npm links the hub's committed bin into the
 * root's node_modules/.bin at install time (a bin pointing into dist/ was not linked before the first build,
 * and npx would then have fetched an unrelated registry package called `ledger`).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';

const hub = join(__dirname, '..');
const root = join(hub, '..');

describe('the ledger bin', () => {
  it('is a committed file, linked into the root node_modules/.bin by npm', () => {
    const pkg = JSON.parse(readFileSync(join(hub, 'package.json'), 'utf8')) as {
      bin: Record<string, string>;
    };
    expect(pkg.bin.ledger).to.equal('bin/ledger.js');
    expect(realpathSync(join(root, 'node_modules', '.bin', 'ledger'))).to.equal(
      realpathSync(join(hub, 'bin', 'ledger.js')),
    );
  });

  it('`npx --no-install ledger` from the root runs the CLI', () => {
    const help = execFileSync('npx', ['--no-install', 'ledger', '--help'], { cwd: root, encoding: 'utf8' });
    expect(help).to.match(/^Usage: ledger /);
    expect(help).to.contain('verify-chain');
  });
});

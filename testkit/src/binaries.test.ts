import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BinaryNotFoundError } from './binary-not-found.error';
import { binarySearchPath, findBinary, requireBinary } from './binaries';

describe('binaries', () => {
  it('names the Debian package to install when a program is missing', () => {
    let error: unknown;
    try {
      requireBinary('definitely-not-here', 'some-pkg');
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(BinaryNotFoundError);
    const missing = error as BinaryNotFoundError;
    expect(missing.message).to.equal(
      'definitely-not-here not found: install the Debian package some-pkg (apt-get install -y some-pkg)',
    );
    expect(missing).to.include({
      code: 'BINARY_NOT_FOUND',
      binary: 'definitely-not-here',
      debianPackage: 'some-pkg',
    });
    expect(missing.searched).to.include.members(['/usr/sbin', '/usr/bin']);
  });

  it('finds servers in /usr/sbin even when PATH leaves it out', () => {
    const saved = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      expect(binarySearchPath()).to.deep.equal(['/nonexistent', '/usr/sbin', '/usr/bin']);
      expect(requireBinary('nats-server', 'nats-server')).to.equal('/usr/sbin/nats-server');
      expect(findBinary('mariadbd')).to.equal('/usr/sbin/mariadbd');
    } finally {
      process.env.PATH = saved;
    }
  });

  it('accepts an absolute path only when it is an executable file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'testkit-binaries-'));
    try {
      writeFileSync(join(dir, 'plain.txt'), 'not a program', { mode: 0o644 });
      expect(findBinary('/usr/sbin/nats-server')).to.equal('/usr/sbin/nats-server');
      expect(findBinary('/usr/sbin')).to.be.undefined;
      expect(findBinary(join(dir, 'plain.txt'))).to.be.undefined;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

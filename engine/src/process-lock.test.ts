import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { LedgerLockedError, ProcessLock } from './process-lock';

describe('ledger process lock', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lock-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lets one owner in and refuses a second while it runs', () => {
    const path = join(dir, 'ledger.lock');
    const lock = ProcessLock.acquire(path);
    expect(() => ProcessLock.acquire(path)).to.throw(LedgerLockedError);
    lock.release();
    expect(existsSync(path)).to.equal(false);
    ProcessLock.acquire(path).release();
  });

  it('takes over the lock of a process that was killed', () => {
    const path = join(dir, 'ledger.lock');
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    writeFileSync(path, `${dead.stdout}\n`);
    const lock = ProcessLock.acquire(path);
    lock.release();
  });
});

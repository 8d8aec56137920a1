/**
 * One writer per ledger: a lock file holding the owner's process id. A lock left by a process that no longer
 * runs (killed with -9) is taken over. Readers (`ledger verify-chain`) do not take it.
 */
import { openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';

export class LedgerLockedError extends Error {
  override readonly name = 'LedgerLockedError';

  constructor(
    readonly path: string,
    readonly ownerPid: number,
  ) {
    super(`the ledger is in use by process ${ownerPid} (lock file ${path})`);
  }
}

export class ProcessLock {
  private constructor(readonly path: string) {}

  static acquire(path: string): ProcessLock {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(path, 'wx', 0o600);
        writeSync(fd, `${process.pid}\n`);
        closeSync(fd);
        return new ProcessLock(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const owner = ownerOf(path);
        if (owner !== undefined && isRunning(owner)) throw new LedgerLockedError(path, owner);
        rmSync(path, { force: true });
      }
    }
    throw new Error(`could not take the ledger lock ${path}`);
  }

  release(): void {
    if (ownerOf(this.path) === process.pid) rmSync(this.path, { force: true });
  }
}

function ownerOf(path: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

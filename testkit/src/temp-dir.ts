import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** `testkit-<kind>-<owner pid>-XXXXXX`: a dir whose owner is dead was abandoned (its owner got SIGKILL). */
const OWNED_DIR = /^testkit-[a-z]+-(\d+)-/;

let sweptThisProcess = false;

/**
 * A new empty directory `<os.tmpdir()>/testkit-<kind>-<pid>-XXXXXX`, or `testkit-kept-<kind>-XXXXXX` for
 * one the caller keeps. The first call in a process removes dirs left by test processes that died
 * without running their exit handlers.
 */
export async function makeTempDir(kind: string, options: { kept?: boolean } = {}): Promise<string> {
  if (!sweptThisProcess) {
    sweptThisProcess = true;
    await sweepAbandonedTempDirs();
  }
  const prefix = options.kept === true ? `testkit-kept-${kind}-` : `testkit-${kind}-${process.pid}-`;
  return mkdtemp(join(tmpdir(), prefix));
}

export function removeDir(path: string): Promise<void> {
  return rm(path, { recursive: true, force: true, maxRetries: 3 });
}

/** Remove the temp dirs of testkit processes that no longer exist. */
export async function sweepAbandonedTempDirs(): Promise<void> {
  const names = await readdir(tmpdir()).catch(() => [] as string[]);
  const abandoned = names.filter((name) => {
    const owner = OWNED_DIR.exec(name)?.[1];
    return owner !== undefined && !processExists(Number(owner));
  });
  await Promise.all(abandoned.map((name) => removeDir(join(tmpdir(), name)).catch(() => undefined)));
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // someone else's process
  }
}

import { rmSync } from 'node:fs';

// Last-resort cleanup when the test process ends without stopping its servers: every live child is sent
// SIGKILL and every temporary directory removed, on 'exit' and on SIGINT/SIGTERM/SIGHUP. The handlers are
// installed while something is tracked and removed when nothing is. (A parent killed with SIGKILL runs no
// handler at all; children are spawned under `setpriv --pdeathsig KILL` for that case, see
// process-supervisor.ts.)

const childPids = new Set<number>();
const tempDirs = new Set<string>();
const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const signalHandlers = new Map(SIGNALS.map((signal) => [signal, () => onSignal(signal)] as const));
let installed = false;

/** Kill `pid` with SIGKILL if this process ends first. Call the returned function once it has exited. */
export function trackChild(pid: number): () => void {
  return track(childPids, pid);
}

/** Remove `path` if this process ends first. Call the returned function once it is removed or kept. */
export function trackTempDir(path: string): () => void {
  return track(tempDirs, path);
}

/** Kill every tracked child and remove every tracked directory now, synchronously. */
export function cleanUpNow(): void {
  for (const pid of childPids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  childPids.clear();
  for (const dir of tempDirs) {
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 2 });
    } catch {
      // best effort: the process is ending
    }
  }
  tempDirs.clear();
  uninstall();
}

function track<T>(set: Set<T>, item: T): () => void {
  set.add(item);
  install();
  return () => {
    set.delete(item);
    if (childPids.size === 0 && tempDirs.size === 0) uninstall();
  };
}

function onSignal(signal: NodeJS.Signals): void {
  // When the application has its own handler (npm start stops its servers gracefully), leave the signal
  // to it: the 'exit' handler still runs if it exits without stopping them.
  if (process.listenerCount(signal) > 1) return;
  cleanUpNow();
  // Nothing else handles the signal: re-raise it so the process ends the way it would have without us.
  process.kill(process.pid, signal);
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', cleanUpNow);
  for (const [signal, handler] of signalHandlers) process.on(signal, handler);
}

function uninstall(): void {
  if (!installed) return;
  installed = false;
  process.removeListener('exit', cleanUpNow);
  for (const [signal, handler] of signalHandlers) process.removeListener(signal, handler);
}

/**
 * Names the calling thread for the operating system (Linux: `/proc/thread-self/comm`, what `top -H`, `ps -L`,
 * `perf` and the bench's per-thread budget show). Node 20 leaves every thread named after the process, so a
 * busy worker cannot be told from V8's GC helpers or libuv's pool; a named worker can. Linux keeps 15 bytes of
 * a name; elsewhere, or when /proc is not mounted, the thread keeps its name (naming is a diagnostic, never a
 * reason to fail).
 */
import { writeFileSync } from 'node:fs';

/** The longest name Linux keeps (TASK_COMM_LEN 16, with its terminating NUL). */
const THREAD_NAME_MAX_BYTES = 15;

/** Names the calling thread `name` (cut to 15 bytes of ASCII); returns whether the name was set. */
export function nameThisThread(name: string): boolean {
  if (!/[\x21-\x7e]/.test(name))
    throw new TypeError('nameThisThread: a thread name needs a printable character');
  const ascii = name.replace(/[^\x21-\x7e]/g, '-').slice(0, THREAD_NAME_MAX_BYTES);
  if (process.platform !== 'linux') return false;
  try {
    writeFileSync('/proc/thread-self/comm', ascii);
    return true;
  } catch {
    return false;
  }
}

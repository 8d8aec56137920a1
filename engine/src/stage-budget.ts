/**
 * Where the CPU of a commit goes, by stage (issue 16's per-stage budget): endorsement (`endorse.simulate`, the
 * chaincode on the stub; `endorse.sign`, proposal and response hashes, signatures and the envelope text;
 * `endorse.ipc`, sending the result to the committing thread), the orderer's part (`order`: data hash, header
 * hash, orderer signature), validation (`validate`: signatures, policies, MVCC) and the write (`commit.envelopes`:
 * the block file's append and sync; `commit.block`, `commit.state`, `commit.history`, `commit.sqlite`: SQLite's
 * own begin and commit, the WAL write).
 *
 * Each stage is a synchronous step (nothing else runs on its thread meanwhile), charged with the CPU time its
 * thread used, from Linux's `/proc/thread-self/schedstat` (ns of run time: time spent waiting for a core on a
 * loaded machine does not count, which a wall clock would, by several times at a load of 6 on 2 cores). The
 * kernel brings that figure up to date when it reschedules the thread, so one reading can lag by up to a
 * scheduler tick: over the thousands of steps of a run the lags cancel, except that a step which ends by waking
 * another thread (`endorse.ipc` does) tends to end on a fresh reading and is over-counted by about half a tick
 * per step, which shows at one record per transaction. Each thread's whole CPU (`thread`) is exact over a run.
 * A reading costs 2-3 µs (a pread of a kept descriptor), paid per block and per endorsement when a budget is given; off
 * otherwise. Elsewhere than Linux the monotonic clock stands in.
 */
import { openSync, readSync } from 'node:fs';

/**
 * This thread's `/proc/thread-self/schedstat`, opened once: the path resolves to the opening thread's task, and
 * each worker thread loads this module afresh, so the descriptor is always the caller's own. `null`: no /proc.
 */
let schedstatFd: number | null | undefined;
const digits = Buffer.alloc(64);

/** CPU time of the calling thread in ns (Linux: one pread of schedstat's first field), else the monotonic clock. */
export function threadCpuNs(): number {
  if (schedstatFd === undefined) {
    try {
      schedstatFd = openSync('/proc/thread-self/schedstat', 'r');
    } catch {
      schedstatFd = null;
    }
  }
  if (schedstatFd === null) return Number(process.hrtime.bigint());
  const n = readSync(schedstatFd, digits, 0, digits.length, 0);
  let value = 0;
  for (let i = 0; i < n; i++) {
    const c = digits[i] as number;
    if (c < 48 || c > 57) break;
    value = value * 10 + (c - 48);
  }
  return value;
}

export type StageTotals = Record<string, number>;

/** ns per stage, summed; `time` runs a synchronous step and charges it to its stage. */
export class StageBudget {
  #ns = new Map<string, number>();
  #since = threadCpuNs();

  time<T>(stage: string, step: () => T): T {
    const from = threadCpuNs();
    try {
      return step();
    } finally {
      this.add(stage, threadCpuNs() - from);
    }
  }

  /**
   * A stopwatch over consecutive steps: each call charges the time since the previous one (or since `laps()`) to
   * the stage it names.
   */
  laps(): (stage: string) => void {
    let last = threadCpuNs();
    return (stage) => {
      const now = threadCpuNs();
      this.add(stage, now - last);
      last = now;
    };
  }

  add(stage: string, ns: number): void {
    this.#ns.set(stage, (this.#ns.get(stage) ?? 0) + ns);
  }

  /** The totals so far, with `thread`: all the CPU the thread used since the budget began (or was reset). */
  totals(): StageTotals {
    return { ...Object.fromEntries(this.#ns), thread: threadCpuNs() - this.#since };
  }

  reset(): void {
    this.#ns = new Map();
    this.#since = threadCpuNs();
  }
}

/** The stopwatch of {@link StageBudget.laps} when nothing is measured. */
export const NO_LAPS = (): void => undefined;

/** Adds `b`'s totals into `a`. */
export function addTotals(a: StageTotals, b: StageTotals): StageTotals {
  const out = { ...a };
  for (const [stage, ns] of Object.entries(b)) out[stage] = (out[stage] ?? 0) + ns;
  return out;
}

/**
 * Where ingest's CPU and bytes go, stage by stage, on the hub's main thread: the budget `npm run bench --
 * ingest` prints. Each stage adds the thread's CPU time (`/proc/thread-self/schedstat`, read with one pread of
 * a kept descriptor: about 2-3 µs) and the bytes the thread wrote (`wchar` of `/proc/thread-self/io`: files
 * and sockets) between its start and its end. The kernel moves a running thread's schedstat at scheduler
 * ticks and switches, not continuously: one short section reads 0 or a whole tick, but over thousands of
 * sections, started at random phases of the tick, the sum is the CPU time they used (a sampling profile in
 * effect, without the wall-clock time a loaded machine adds while the thread waits for a core).
 *
 * Synchronous sections (`sync`) are exact. An asynchronous section (`async`: a store transaction, a ledger
 * commit) also runs whatever the event loop interleaves; it claims only what no other section claimed
 * meanwhile (a global counter of claimed CPU), so sections never count the same microsecond twice and their
 * sum never exceeds the thread's time; what no section claims is the thread's "other" (NATS client, timers,
 * GC between sections), which the bench derives from the thread's total. Waits on other processes and
 * threads (`started`: receipts awaiting PubAcks, the ledger's commit) count only the synchronous start. The ledger's own threads (the
 * engine's workers) and the WAL checkpointer threads are not on the main thread: the bench reports them
 * separately, from /proc.
 *
 * Off (`StageBudget.off`) every method just runs its work: production pays nothing.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { PerformanceObserver } from 'node:perf_hooks';
import { threadCpuNs } from '@approval-ledger/fabric-engine';

export const INGEST_STAGES = [
  'decode',
  'canonicalise',
  'store',
  'ledger',
  'chain-index',
  'receipts',
  'acks',
] as const;
export type IngestStage = (typeof INGEST_STAGES)[number];

export interface StageFigures {
  /** Main-thread CPU (µs) claimed by the stage. */
  readonly cpuUs: number;
  /** Bytes the main thread wrote (files and sockets) within the stage. */
  readonly bytes: number;
  /** Sections run (of a sampled stage: those measured times the sampling interval). */
  readonly sections: number;
}

export interface BudgetSnapshot {
  readonly stages: Readonly<Record<IngestStage, StageFigures>>;
  /** Main-thread CPU (µs) and bytes written since the budget started, claimed or not. */
  readonly threadCpuUs: number;
  readonly threadBytes: number;
  /** What the measuring itself cost (reads of /proc, inside the stages that made them), µs. */
  readonly overheadUs: number;
  /** Garbage collection pauses of the thread (wall ms; inside stages or not). */
  readonly gcMs: number;
}

interface Mark {
  readonly cpuNs: number;
  readonly bytes: number;
  readonly claimedNs: number;
  readonly claimedBytes: number;
}

export class StageBudget {
  /** A budget that measures nothing. */
  static readonly off = new StageBudget(false);

  readonly #on: boolean;
  readonly #ioFd: number | undefined;
  readonly #buffer = Buffer.alloc(512);
  readonly #cpuNs = new Map<IngestStage, number>();
  readonly #bytes = new Map<IngestStage, number>();
  readonly #sections = new Map<IngestStage, number>();
  /** Sections of `sampled` run since the last one measured, by stage. */
  readonly #unmeasured = new Map<IngestStage, number>();
  #claimedNs = 0;
  #claimedBytes = 0;
  #reads = 0;
  readonly #start: { cpuNs: number; bytes: number };
  readonly #readCostNs: number;
  #gc: PerformanceObserver | undefined;
  #gcMs = 0;

  /** Measures on the thread that creates it (the main thread). Throws where there is no /proc (the thread's io). */
  static onThisThread(): StageBudget {
    return new StageBudget(true);
  }

  private constructor(on: boolean) {
    this.#on = on;
    if (!on) {
      this.#start = { cpuNs: 0, bytes: 0 };
      this.#readCostNs = 0;
      return;
    }
    this.#ioFd = openSync('/proc/thread-self/io', 'r');
    // calibrate: what one reading costs (the cheapest of five rounds), to report the measuring's own share
    // (by the clock: schedstat moves at scheduler ticks, see below)
    let best = Infinity;
    for (let round = 0; round < 5; round++) {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < 50; i++) {
        this.#threadCpuNs();
        this.#threadBytes();
      }
      best = Math.min(best, Number(process.hrtime.bigint() - t0) / 100);
    }
    this.#readCostNs = best;
    this.#reads = 0;
    this.#gc = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) this.#gcMs += entry.duration;
    });
    this.#gc.observe({ entryTypes: ['gc'] });
    this.#start = { cpuNs: this.#threadCpuNs(), bytes: this.#threadBytes() };
  }

  get on(): boolean {
    return this.#on;
  }

  /** Runs synchronous `work` as part of `stage`. */
  sync<T>(stage: IngestStage, work: () => T, withBytes = false): T {
    if (!this.#on) return work();
    const mark = this.#mark(withBytes);
    try {
      return work();
    } finally {
      this.#claim(stage, mark, withBytes);
    }
  }

  /**
   * Runs synchronous `work` as part of `stage`, measuring one call in `every` and counting what it used `every`
   * times: for a section run once per message (decoding), where two readings of /proc per message cost a
   * third of the work they measure. schedstat is a sampling already (above); this samples the sections too.
   */
  sampled<T>(stage: IngestStage, every: number, work: () => T): T {
    if (!this.#on) return work();
    const seen = (this.#unmeasured.get(stage) ?? 0) + 1;
    if (seen < every) {
      this.#unmeasured.set(stage, seen);
      return work();
    }
    this.#unmeasured.set(stage, 0);
    const mark = this.#mark(false);
    try {
      return work();
    } finally {
      this.#claim(stage, mark, false, every);
    }
  }

  /**
   * Counts only the synchronous part of starting `work` (building and sending requests) as `stage`: for waits
   * on other processes or threads (PubAcks, the ledger's commit), whose answers the event loop handles as
   * "other" work.
   */
  started<T>(stage: IngestStage, work: () => Promise<T>, withBytes = false): Promise<T> {
    return this.sync(stage, work, withBytes);
  }

  /** Runs asynchronous `work` as part of `stage` (what other sections claim meanwhile is not counted). */
  async async<T>(stage: IngestStage, work: () => Promise<T>, withBytes = false): Promise<T> {
    if (!this.#on) return work();
    const mark = this.#mark(withBytes);
    try {
      return await work();
    } finally {
      this.#claim(stage, mark, withBytes);
    }
  }

  snapshot(): BudgetSnapshot {
    const stages = {} as Record<IngestStage, StageFigures>;
    for (const stage of INGEST_STAGES) {
      stages[stage] = {
        cpuUs: (this.#cpuNs.get(stage) ?? 0) / 1000,
        bytes: this.#bytes.get(stage) ?? 0,
        sections: this.#sections.get(stage) ?? 0,
      };
    }
    if (!this.#on) return { stages, threadCpuUs: 0, threadBytes: 0, overheadUs: 0, gcMs: 0 };
    return {
      stages,
      gcMs: this.#gcMs,
      threadCpuUs: (this.#threadCpuNs() - this.#start.cpuNs) / 1000,
      threadBytes: this.#threadBytes() - this.#start.bytes,
      overheadUs: (this.#reads * this.#readCostNs) / 1000,
    };
  }

  close(): void {
    this.#gc?.disconnect();
    if (this.#ioFd !== undefined) closeSync(this.#ioFd);
  }

  #mark(withBytes: boolean): Mark {
    return {
      cpuNs: this.#threadCpuNs(),
      bytes: withBytes ? this.#threadBytes() : 0,
      claimedNs: this.#claimedNs,
      claimedBytes: this.#claimedBytes,
    };
  }

  /** Adds what the section used, `weight` times (a sampled section stands for `weight` sections). */
  #claim(stage: IngestStage, mark: Mark, withBytes: boolean, weight = 1): void {
    const ns = weight * Math.max(0, this.#threadCpuNs() - mark.cpuNs - (this.#claimedNs - mark.claimedNs));
    this.#claimedNs += ns;
    this.#cpuNs.set(stage, (this.#cpuNs.get(stage) ?? 0) + ns);
    this.#sections.set(stage, (this.#sections.get(stage) ?? 0) + weight);
    if (withBytes) {
      const bytes = Math.max(0, this.#threadBytes() - mark.bytes - (this.#claimedBytes - mark.claimedBytes));
      this.#claimedBytes += bytes;
      this.#bytes.set(stage, (this.#bytes.get(stage) ?? 0) + bytes);
    }
  }

  /** The thread's CPU time so far (the engine's reading of schedstat). */
  #threadCpuNs(): number {
    this.#reads++;
    return threadCpuNs();
  }

  /** Bytes the thread has written through write() and friends (files and sockets). */
  #threadBytes(): number {
    this.#reads++;
    const n = readSync(this.#ioFd as number, this.#buffer, 0, this.#buffer.length, 0);
    const text = this.#buffer.toString('latin1', 0, n);
    return Number(/wchar:\s+(\d+)/.exec(text)?.[1] ?? 0);
  }
}

/**
 * Endorsement in worker threads (`endorser-worker.ts`), so that chaincode simulation runs on other cores than
 * ordering and commit, as a peer runs chaincode outside its own process. Requests go to the worker with the
 * fewest in flight. A worker that dies fails its in-flight requests with LedgerUnavailableError and is
 * replaced on the next request.
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { chaincodeErrorFrom, LedgerUnavailableError } from '@approval-ledger/protocol';
import { fromWire } from './endorsed-wire';
import { type EndorsedTransaction, type EndorsementService } from './endorser';
import {
  type EndorserRequest,
  type EndorserResponse,
  type EndorserWorkerData,
  type WorkerFailure,
} from './endorser-worker';
import { type SimulationResult, type X509Identity } from './semantics';
import { addTotals, type StageTotals } from './stage-budget';

/** A request before it is numbered (each kind of the union without its `id`). */
type UnnumberedRequest = EndorserRequest extends infer R
  ? R extends unknown
    ? Omit<R, 'id'>
    : never
  : never;

interface Pending {
  resolve(value: EndorsedTransaction | SimulationResult | StageTotals): void;
  reject(error: unknown): void;
}

interface Slot {
  worker: Worker;
  readonly pending: Map<number, Pending>;
  /** Settles when the worker has loaded the chaincode and opened the database (or failed to). */
  readonly ready: Promise<void>;
}

/**
 * Runs the worker from TypeScript sources under ts-node (tests), from JavaScript once built; ts-node is loaded
 * too when the chaincode module is a TypeScript file (a test chaincode of a package that uses this one built).
 */
function workerOptions(data: EndorserWorkerData): {
  file: string;
  options: ConstructorParameters<typeof Worker>[1];
} {
  const typescript = __filename.endsWith('.ts');
  return {
    file: join(__dirname, typescript ? 'endorser-worker.ts' : 'endorser-worker.js'),
    options: {
      workerData: data,
      ...(typescript || data.chaincode.module.endsWith('.ts')
        ? {
            execArgv: ['--require', 'ts-node/register'],
            env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' },
          }
        : {}),
    },
  };
}

export function fromWorkerFailure(failure: WorkerFailure): Error {
  if (failure.kind === 'chaincode') {
    return chaincodeErrorFrom(failure.message, {
      ...(failure.txId !== undefined ? { txId: failure.txId } : {}),
      ...(failure.status !== undefined ? { status: failure.status } : {}),
    });
  }
  const error = new Error(failure.message);
  error.name = failure.name;
  return error;
}

export class EndorserPool implements EndorsementService {
  readonly #slots: Slot[];
  #nextId = 0;
  #closed = false;

  constructor(
    private readonly data: EndorserWorkerData,
    size: number,
  ) {
    this.#slots = Array.from({ length: size }, () => this.#spawn());
  }

  simulate(
    chaincodeName: string,
    client: X509Identity,
    fn: string,
    args: readonly string[],
  ): Promise<SimulationResult> {
    return this.#request({ kind: 'simulate', chaincodeName, client, fn, args }) as Promise<SimulationResult>;
  }

  endorse(
    chaincodeName: string,
    client: X509Identity,
    fn: string,
    args: readonly string[],
    endorsingOrganizations?: readonly string[],
  ): Promise<EndorsedTransaction> {
    const request = {
      kind: 'endorse' as const,
      chaincodeName,
      client,
      fn,
      args,
      ...(endorsingOrganizations ? { endorsingOrganizations } : {}),
    };
    return this.#request(request) as Promise<EndorsedTransaction>;
  }

  /**
   * The endorsement stages' CPU ns summed over the workers (with `measureStages`): `endorse.sign`, `endorse.ipc`
   * (sending the endorsed transaction back) and `endorse.simulate`, the rest of the workers' threads' CPU: the
   * chaincode on the stub, the state reads and the requests' arrival. `reset` starts every total afresh.
   */
  async stageBudget(reset = false): Promise<StageTotals> {
    const each = await Promise.all(
      this.#slots.map((slot) => this.#ask(slot, { kind: 'budget', reset }) as Promise<StageTotals>),
    );
    const sum = each.reduce(addTotals, {});
    const { thread = 0, ...stages } = sum;
    const measured = Object.values(stages).reduce((a, b) => a + b, 0);
    return { ...stages, 'endorse.simulate': thread - measured };
  }

  /** Resolves when every worker is ready; rejects with the first start-up failure (then close the pool). */
  async ready(): Promise<void> {
    await Promise.all(this.#slots.map((slot) => slot.ready));
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.#slots.map((slot) => slot.worker.terminate()));
  }

  #request(request: UnnumberedRequest): Promise<EndorsedTransaction | SimulationResult> {
    if (this.#closed)
      return Promise.reject(new LedgerUnavailableError('the endorsement workers are stopped'));
    return this.#ask(
      this.#slots.reduce((a, b) => (b.pending.size < a.pending.size ? b : a)),
      request,
    ) as Promise<EndorsedTransaction | SimulationResult>;
  }

  #ask(
    slot: Slot,
    request: UnnumberedRequest,
  ): Promise<EndorsedTransaction | SimulationResult | StageTotals> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      slot.worker.postMessage({ ...request, id });
    });
  }

  #spawn(): Slot {
    const { file, options } = workerOptions(this.data);
    const worker = new Worker(file, options);
    let started = false;
    const ready = new Promise<void>((resolve, reject) => {
      worker.once('message', (first: EndorserResponse) => {
        if ('startFailed' in first) {
          reject(new Error(`an endorsement worker could not start: ${first.startFailed}`));
          return;
        }
        started = true;
        resolve();
      });
      worker.once('error', reject);
      worker.once('exit', (code) =>
        reject(new Error(`endorsement worker exited with code ${code} while starting`)),
      );
    });
    ready.catch(() => undefined);
    const slot: Slot = { worker, pending: new Map(), ready };
    worker.on('message', (response: EndorserResponse) => {
      if ('ready' in response || 'startFailed' in response) return;
      const pending = slot.pending.get(response.id);
      if (!pending) return;
      slot.pending.delete(response.id);
      if (!response.ok) pending.reject(fromWorkerFailure(response.failure));
      else if ('budget' in response) pending.resolve(response.budget);
      else pending.resolve('endorsed' in response ? fromWire(response.endorsed) : response.result);
    });
    const fail = (error: unknown): void => this.#replace(slot, error, started);
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`endorsement worker exited with code ${code}`)));
    return slot;
  }

  /** Fails a dead worker's requests and starts another, unless it never started (that would loop). */
  #replace(slot: Slot, cause: unknown, started: boolean): void {
    for (const pending of slot.pending.values()) {
      pending.reject(new LedgerUnavailableError('an endorsement worker stopped', undefined, { cause }));
    }
    slot.pending.clear();
    if (this.#closed || !started) return;
    const index = this.#slots.indexOf(slot);
    if (index >= 0 && slot.worker.threadId === -1) this.#slots[index] = this.#spawn();
  }
}

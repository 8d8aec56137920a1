/**
 * An endorsement worker thread: the chaincode simulates here, on its own read-only connection to the ledger
 * database (committed state, as a peer's chaincode container reads through the peer), and the endorsing peers
 * sign here, so simulations use other cores than the committer. Started by {@link EndorserPool}.
 */
import './native-hash';
import { parentPort, workerData } from 'node:worker_threads';
import { ChaincodeError } from '@approval-ledger/protocol';
import { toWire, type WireEndorsedTransaction } from './endorsed-wire';
import { Endorser, NamespaceEndorsers } from './endorser';
import { type ChaincodeInterface } from 'fabric-shim';
import { type PeerBatching, type SimulationResult, type X509Identity } from './semantics';
import { LedgerDatabase } from './ledger-database';
import { SqliteState } from './sqlite-state';
import { StageBudget, type StageTotals } from './stage-budget';
import { nameThisThread } from './thread-name';

export interface EndorserWorkerData {
  readonly databaseFile: string;
  /**
   * Where the chaincode is loaded from: a module (an absolute path, or a package the engine can resolve) and the
   * name of its export, a function that returns a Fabric `ChaincodeInterface`; each request names the namespace
   * it runs as.
   */
  readonly chaincode: { readonly module: string; readonly exportName: string };
  readonly channel: string;
  readonly peers: readonly X509Identity[];
  /** The chain's crypto suite (block 0's); default `intl`. */
  readonly suite?: 'intl' | 'gm';
  /** Add up the CPU of each endorsement stage (`stage-budget.ts`), answered to `budget` requests. */
  readonly measureStages?: boolean;
  /** The batched chaincode calls the peer announces; default Fabric 3.1's (see `EndorserConfig.batching`). */
  readonly batching?: PeerBatching;
}

export type EndorserRequest =
  | {
      readonly id: number;
      readonly kind: 'simulate';
      readonly chaincodeName: string;
      readonly client: X509Identity;
      readonly fn: string;
      readonly args: readonly string[];
    }
  | {
      readonly id: number;
      readonly kind: 'endorse';
      readonly chaincodeName: string;
      readonly client: X509Identity;
      readonly fn: string;
      readonly args: readonly string[];
      readonly endorsingOrganizations?: readonly string[];
    }
  | {
      readonly id: number;
      readonly kind: 'budget';
      /** Start the totals afresh after answering. */
      readonly reset: boolean;
    };

/** A failure as it crosses the thread boundary: chaincode refusals keep what rebuilds their typed error. */
export type WorkerFailure =
  | { readonly kind: 'chaincode'; readonly message: string; readonly txId?: string; readonly status?: number }
  | { readonly kind: 'error'; readonly name: string; readonly message: string };

export type EndorserResponse =
  | { readonly ready: true }
  | { readonly startFailed: string }
  | { readonly id: number; readonly ok: true; readonly result: SimulationResult }
  | { readonly id: number; readonly ok: true; readonly endorsed: WireEndorsedTransaction }
  | { readonly id: number; readonly ok: true; readonly budget: StageTotals }
  | { readonly id: number; readonly ok: false; readonly failure: WorkerFailure };

export function toWorkerFailure(error: unknown): WorkerFailure {
  if (error instanceof ChaincodeError) {
    const message = error.code === 'UNKNOWN' ? error.detail : `${error.code}: ${error.detail}`;
    return {
      kind: 'chaincode',
      message,
      ...(error.txId !== undefined ? { txId: error.txId } : {}),
      ...(error.status !== undefined ? { status: error.status } : {}),
    };
  }
  const e = error instanceof Error ? error : new Error(String(error));
  return { kind: 'error', name: e.name, message: e.message };
}

function start(port: NonNullable<typeof parentPort>, data: EndorserWorkerData): void {
  const db = LedgerDatabase.open(data.databaseFile, { readonly: true });
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the module is named at run time
  const create = (require(data.chaincode.module) as Record<string, unknown>)[data.chaincode.exportName];
  if (typeof create !== 'function')
    throw new Error(`${data.chaincode.module} exports no function ${data.chaincode.exportName}`);
  const peers = new Map(data.peers.map((p) => [p.mspId, p]));
  const chaincode = (create as () => ChaincodeInterface)();
  const state = new SqliteState(db);
  const budget = data.measureStages ? new StageBudget() : undefined;
  const endorsers = new NamespaceEndorsers(
    (chaincodeName) =>
      new Endorser(
        chaincode,
        state,
        { peerOf: (m) => peers.get(m) },
        {
          channel: data.channel,
          chaincodeName,
          clock: () => new Date(),
          ...(data.suite ? { suite: data.suite } : {}),
          ...(budget ? { budget } : {}),
          ...(data.batching ? { batching: data.batching } : {}),
        },
      ),
  );
  const reply = (response: EndorserResponse): void =>
    budget ? budget.time('endorse.ipc', () => port.postMessage(response)) : port.postMessage(response);
  port.on('message', (request: EndorserRequest) => {
    if (request.kind === 'budget') {
      port.postMessage({
        id: request.id,
        ok: true,
        budget: budget?.totals() ?? {},
      } satisfies EndorserResponse);
      if (request.reset) budget?.reset();
      return;
    }
    db.endSharedRead();
    const work: Promise<EndorserResponse> =
      request.kind === 'simulate'
        ? endorsers
            .simulate(request.chaincodeName, request.client, request.fn, request.args)
            .then((result) => ({ id: request.id, ok: true, result }))
        : endorsers
            .endorse(
              request.chaincodeName,
              request.client,
              request.fn,
              request.args,
              request.endorsingOrganizations,
            )
            .then((tx) => ({ id: request.id, ok: true, endorsed: toWire(tx) }));
    work.then(
      (response) => reply(response),
      (error: unknown) =>
        reply({
          id: request.id,
          ok: false,
          failure: toWorkerFailure(error),
        }),
    );
  });
  port.postMessage({ ready: true } satisfies EndorserResponse);
}

if (parentPort) {
  nameThisThread('endorser');
  try {
    start(parentPort, workerData as EndorserWorkerData);
  } catch (error) {
    parentPort.postMessage({
      startFailed: error instanceof Error ? error.message : String(error),
    } satisfies EndorserResponse);
  }
}

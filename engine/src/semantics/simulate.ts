// Endorsement-time simulation: run a chaincode on fabric-shim's own ChaincodeStub, wired to an
// in-process PeerHandler over committed state, and collect what a peer's proposal response carries.
import { peer } from '@hyperledger/fabric-protos';
import { ChaincodeStub, type ChaincodeInterface } from 'fabric-shim';
import { rememberParsedCertificates } from './certificate-cache';
import type { PeerBatching } from '@approval-ledger/protocol';
import { type ChaincodeInvoker, PeerHandler } from './peer-handler';
import { type TransactionProposal, type UnsignedProposal, unsignedProposal } from './proposal';
import type { ReadWriteSet } from './read-write-set';
import type { TxTimestamp, VersionedStateReader } from './state';

/** The response a chaincode returns: status < 400 is endorsable (Fabric's ERRORTHRESHOLD). */
export interface ChaincodeResponse {
  readonly status: number;
  readonly message: string;
  readonly payload: Uint8Array;
}

export interface ChaincodeEventRecord {
  readonly chaincodeName: string;
  readonly txId: string;
  readonly eventName: string;
  readonly payload: Uint8Array;
}

export interface SimulationResult {
  readonly txId: string;
  readonly channelId: string;
  readonly chaincodeName: string;
  readonly timestamp: TxTimestamp;
  readonly creator: { readonly mspId: string; readonly certificate: string };
  /** Serialized `msp.SerializedIdentity` of the creator. */
  readonly creatorBytes: Uint8Array;
  readonly args: readonly Uint8Array[];
  /**
   * The proposal's bytes. Its signature is made only if the chaincode read it (`getSignedProposal().signature`),
   * so it is not part of the result: the transaction's own signatures are the endorser's.
   */
  readonly proposalBytes: Uint8Array;
  readonly response: ChaincodeResponse;
  /** True when the response status is below 400: a peer would endorse it. */
  readonly endorsable: boolean;
  readonly readWriteSet: ReadWriteSet;
  /** The one chaincode event of the transaction (the last `setEvent` wins), if any. */
  readonly event?: ChaincodeEventRecord;
}

rememberParsedCertificates();

type ShimStub = ChaincodeStub & { chaincodeEvent?: peer.ChaincodeEvent };
type StubConstructor = new (
  handler: PeerHandler,
  channelId: string,
  txId: string,
  input: peer.ChaincodeInput,
  signedProposal: peer.SignedProposal,
) => ShimStub;

/**
 * fabric-shim's own ChaincodeStub class, constructed as the shim's message handler constructs it. With
 * `signature`, the stub's decoded proposal (`getSignedProposal()`) has the creator's signature as a property made
 * when first read: the same bytes a peer hands the chaincode, without signing for chaincode that never looks.
 */
export function createStub(
  handler: PeerHandler,
  channelId: string,
  txId: string,
  input: peer.ChaincodeInput,
  signedProposal: peer.SignedProposal,
  signature?: () => Uint8Array,
): ChaincodeStub {
  const Stub = ChaincodeStub as unknown as StubConstructor;
  const stub = new Stub(handler, channelId, txId, input, signedProposal);
  const decoded = stub.getSignedProposal() as unknown as { signature?: unknown } | undefined;
  if (signature && decoded) {
    Object.defineProperty(decoded, 'signature', { get: signature, enumerable: true, configurable: true });
  }
  return stub;
}

function readEvent(stub: ShimStub, chaincodeName: string, txId: string): ChaincodeEventRecord | undefined {
  const event = stub.chaincodeEvent;
  if (!event) return undefined;
  return {
    chaincodeName,
    txId,
    eventName: event.getEventName(),
    payload: Uint8Array.from(event.getPayload_asU8()),
  };
}

function normaliseResponse(
  response: { status?: number; message?: string; payload?: Uint8Array } | undefined,
): ChaincodeResponse {
  if (!response?.status) {
    return {
      status: 500,
      message: 'Calling chaincode Invoke() has not called success or error.',
      payload: new Uint8Array(0),
    };
  }
  return {
    status: response.status,
    message: response.message ?? '',
    payload: response.payload ? Uint8Array.from(response.payload) : new Uint8Array(0),
  };
}

export interface SimulationOptions {
  /**
   * The committed state of another namespace of the channel that the same chaincode package serves (several
   * chaincode definitions of one package), for chaincode-to-chaincode calls into it; undefined: no chaincode of
   * that name on the channel. Without it, calls are refused.
   */
  readonly calledNamespace?: (namespace: string) => VersionedStateReader | undefined;
  /** The batched calls the peer announces to the chaincode; default Fabric 3.1's. */
  readonly batching?: PeerBatching;
}

async function invokeSafely(chaincode: ChaincodeInterface, stub: ChaincodeStub): Promise<ChaincodeResponse> {
  try {
    return normaliseResponse(await chaincode.Invoke(stub));
  } catch (err) {
    return {
      status: 500,
      message: err instanceof Error ? err.message : String(err),
      payload: new Uint8Array(0),
    };
  }
}

/**
 * A peer's same-channel chaincode-to-chaincode call: the called namespace's chaincode runs on the same signed
 * proposal and transaction id, its reads go into the transaction's read-write set under its namespace (read
 * only here), its event is dropped (only the outermost chaincode's counts), and an error response (status 400 or
 * more) is an error in the caller, as fabric-shim reports it.
 */
function chaincodeInvoker(
  chaincode: ChaincodeInterface,
  built: UnsignedProposal,
  proposal: TransactionProposal,
  calledNamespace: NonNullable<SimulationOptions['calledNamespace']>,
  outer: PeerHandler,
  batching: PeerBatching | undefined,
): ChaincodeInvoker {
  const invoke: ChaincodeInvoker = async (namespace, args) => {
    const state = calledNamespace(namespace);
    if (!state) {
      throw new Error(
        `make sure the chaincode ${namespace} has been successfully defined on channel ${proposal.channelId}`,
      );
    }
    const handler = new PeerHandler(state, {
      chaincodeName: namespace,
      txId: built.txId,
      channelId: proposal.channelId,
      invokeChaincode: invoke,
      readOnly: true,
      ...(batching ? { batching } : {}),
    });
    const input = new peer.ChaincodeInput();
    input.setArgsList([...args]);
    const response = await invokeSafely(
      chaincode,
      createStub(handler, proposal.channelId, built.txId, input, built.signedProposal, built.signature),
    );
    outer.addCalledReads(namespace, handler.finish());
    if (response.status >= 400) throw new Error(response.message);
    return { status: response.status, message: response.message, payload: Buffer.from(response.payload) };
  };
  return invoke;
}

/**
 * Simulates one transaction proposal: builds the proposal, runs `chaincode.Invoke(stub)` with reads
 * against `state` (committed state only), and returns the response, read-write set and event.
 * Nothing is written to `state`: committing is the committer's job after ordering and validation.
 */
export async function simulateTransaction(
  chaincode: ChaincodeInterface,
  state: VersionedStateReader,
  proposal: TransactionProposal,
  options: SimulationOptions = {},
): Promise<SimulationResult> {
  const built = unsignedProposal(proposal);
  const calledNamespace = options.calledNamespace;
  // the invoker records into this handler; it is only called once the chaincode runs
  const handler: PeerHandler = new PeerHandler(state, {
    chaincodeName: proposal.chaincodeName,
    txId: built.txId,
    channelId: proposal.channelId,
    ...(options.batching ? { batching: options.batching } : {}),
    ...(calledNamespace
      ? {
          invokeChaincode: (namespace: string, args: readonly Uint8Array[]) =>
            chaincodeInvoker(
              chaincode,
              built,
              proposal,
              calledNamespace,
              handler,
              options.batching,
            )(namespace, args),
        }
      : {}),
  });
  const stub = createStub(
    handler,
    proposal.channelId,
    built.txId,
    built.chaincodeInput,
    built.signedProposal,
    built.signature,
  ) as ShimStub;
  const response = await invokeSafely(chaincode, stub);
  const readWriteSet = handler.finish();
  const event = readEvent(stub, proposal.chaincodeName, built.txId);
  const certificate =
    typeof proposal.creator.certificate === 'string'
      ? proposal.creator.certificate
      : Buffer.from(proposal.creator.certificate).toString('utf8');
  return {
    txId: built.txId,
    channelId: proposal.channelId,
    chaincodeName: proposal.chaincodeName,
    timestamp: built.timestamp,
    creator: { mspId: proposal.creator.mspId, certificate },
    creatorBytes: built.creatorBytes,
    args: built.chaincodeInput.getArgsList_asU8().map((a) => Uint8Array.from(a)),
    proposalBytes: built.proposalBytes,
    response,
    endorsable: response.status < 400,
    readWriteSet,
    ...(event ? { event } : {}),
  };
}

// Endorsement-time simulation: run a chaincode on fabric-shim's own ChaincodeStub, wired to an
// in-process PeerHandler over committed state, and collect what a peer's proposal response carries.
import type { peer } from '@hyperledger/fabric-protos';
import { ChaincodeStub, type ChaincodeInterface } from 'fabric-shim';
import { rememberParsedCertificates } from './certificate-cache';
import { PeerHandler } from './peer-handler';
import { buildProposal, type TransactionProposal } from './proposal';
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
  readonly proposalBytes: Uint8Array;
  readonly proposalSignature: Uint8Array;
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

/** fabric-shim's own ChaincodeStub class, constructed as the shim's message handler constructs it. */
export function createStub(
  handler: PeerHandler,
  channelId: string,
  txId: string,
  input: peer.ChaincodeInput,
  signedProposal: peer.SignedProposal,
): ChaincodeStub {
  const Stub = ChaincodeStub as unknown as StubConstructor;
  return new Stub(handler, channelId, txId, input, signedProposal);
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

/**
 * Simulates one transaction proposal: builds the proposal, runs `chaincode.Invoke(stub)` with reads
 * against `state` (committed state only), and returns the response, read-write set and event.
 * Nothing is written to `state`: committing is the committer's job after ordering and validation.
 */
export async function simulateTransaction(
  chaincode: ChaincodeInterface,
  state: VersionedStateReader,
  proposal: TransactionProposal,
): Promise<SimulationResult> {
  const built = buildProposal(proposal);
  const handler = new PeerHandler(state, { chaincodeName: proposal.chaincodeName, txId: built.txId });
  const stub = createStub(
    handler,
    proposal.channelId,
    built.txId,
    built.chaincodeInput,
    built.signedProposal,
  ) as ShimStub;
  let response: ChaincodeResponse;
  try {
    response = normaliseResponse(await chaincode.Invoke(stub));
  } catch (err) {
    response = {
      status: 500,
      message: err instanceof Error ? err.message : String(err),
      payload: new Uint8Array(0),
    };
  }
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
    proposalSignature: built.signedProposal.getSignature_asU8(),
    response,
    endorsable: response.status < 400,
    readWriteSet,
    ...(event ? { event } : {}),
  };
}

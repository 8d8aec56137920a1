/**
 * What a Fabric endorser transaction did, read from its endorsed action with the small protobuf reader (field
 * numbers from fabric-protos peer/proposal.proto, peer/chaincode.proto, peer/proposal_response.proto,
 * ledger/rwset/rwset.proto, ledger/rwset/kvrwset/kv_rwset.proto):
 *
 * - the invocation: `ChaincodeProposalPayload { bytes input = 1; }` → `ChaincodeInvocationSpec { ChaincodeSpec
 *   chaincode_spec = 1; }` → `ChaincodeSpec { ChaincodeID chaincode_id = 2; ChaincodeInput input = 3; }`,
 *   `ChaincodeID { string name = 2; }`, `ChaincodeInput { repeated bytes args = 1; }` (args[0]: the function);
 * - the endorsed result: `ProposalResponsePayload { bytes extension = 2; }` → `ChaincodeAction { bytes results
 *   = 1; Response response = 3; }`, `Response { int32 status = 1; string message = 2; bytes payload = 3; }`;
 * - the read-write set: `TxReadWriteSet { repeated NsReadWriteSet ns_rwset = 2; }`, `NsReadWriteSet { string
 *   namespace = 1; bytes rwset = 2; }`, `KVRWSet { repeated KVRead reads = 1; repeated RangeQueryInfo
 *   range_queries_info = 2; repeated KVWrite writes = 3; repeated KVMetadataWrite metadata_writes = 4; }`,
 *   `KVRead { string key = 1; Version version = 2; }`, `KVWrite { string key = 1; bool is_delete = 2; bytes
 *   value = 3; }`, `KVMetadataWrite { string key = 1; repeated KVMetadataEntry entries = 2; }`,
 *   `KVMetadataEntry { string name = 1; bytes value = 2; }`.
 *
 * Everything throws {@link ProtobufError} on malformed bytes.
 */
import { type FabricEndorsedAction } from './fabric-envelope.js';
import { ProtobufMessage } from './protobuf-reader.js';

export interface FabricInvocation {
  readonly chaincodeName: string;
  /** args[0] as text. */
  readonly function: string;
  /** args[1..] as UTF-8 text. */
  readonly args: readonly string[];
}

export interface FabricResponse {
  readonly status: number;
  readonly message: string;
  readonly payload: Uint8Array;
}

export interface FabricNamespaceRwSet {
  readonly namespace: string;
  readonly reads: readonly string[];
  readonly rangeQueries: number;
  readonly writes: readonly string[];
  /** The writes with their values, in write-set order. */
  readonly written: readonly {
    readonly key: string;
    readonly isDelete: boolean;
    readonly value: Uint8Array;
  }[];
  /** Keys whose metadata (e.g. VALIDATION_PARAMETER, a key-level endorsement policy) is written. */
  readonly metadataWrites: readonly { readonly key: string; readonly names: readonly string[] }[];
}

export interface FabricActionEffect {
  readonly invocation: FabricInvocation;
  readonly response: FabricResponse;
  readonly rwsets: readonly FabricNamespaceRwSet[];
}

function text(bytes: Uint8Array): string {
  return new TextDecoder('utf-8').decode(bytes);
}

/** The chaincode invoked, the function and its arguments. */
export function decodeFabricInvocation(chaincodeProposalPayload: Uint8Array): FabricInvocation {
  const payload = ProtobufMessage.decode(chaincodeProposalPayload, 'ChaincodeProposalPayload');
  const spec = ProtobufMessage.decode(payload.bytes(1, 'input'), 'ChaincodeInvocationSpec').message(
    1,
    'chaincode_spec',
    'ChaincodeSpec',
  );
  const [fn, ...args] = (spec?.message(3, 'input', 'ChaincodeInput')?.repeatedBytes(1, 'args') ?? []).map(
    text,
  );
  return {
    chaincodeName: spec?.message(2, 'chaincode_id', 'ChaincodeID')?.string(2, 'name') ?? '',
    function: fn ?? '',
    args,
  };
}

function namespaceRwSet(ns: ProtobufMessage): FabricNamespaceRwSet {
  const kv = ProtobufMessage.decode(ns.bytes(2, 'rwset'), 'KVRWSet');
  const written = kv.repeatedMessages(3, 'writes', 'KVWrite').map((w) => ({
    key: w.string(1, 'key'),
    isDelete: w.uint(2, 'is_delete') !== 0n,
    value: w.bytes(3, 'value'),
  }));
  return {
    namespace: ns.string(1, 'namespace'),
    reads: kv.repeatedMessages(1, 'reads', 'KVRead').map((r) => r.string(1, 'key')),
    rangeQueries: kv.repeatedBytes(2, 'range_queries_info').length,
    writes: written.map((w) => w.key),
    written,
    metadataWrites: kv.repeatedMessages(4, 'metadata_writes', 'KVMetadataWrite').map((m) => ({
      key: m.string(1, 'key'),
      names: m.repeatedMessages(2, 'entries', 'KVMetadataEntry').map((e) => e.string(1, 'name')),
    })),
  };
}

/** The invocation, the endorsed response and the read-write set of one endorsed action. */
export function decodeFabricActionEffect(action: FabricEndorsedAction): FabricActionEffect {
  const responsePayload = ProtobufMessage.decode(action.proposalResponsePayload, 'ProposalResponsePayload');
  const chaincodeAction = ProtobufMessage.decode(responsePayload.bytes(2, 'extension'), 'ChaincodeAction');
  const response = chaincodeAction.message(3, 'response', 'Response');
  const rwset = ProtobufMessage.decode(chaincodeAction.bytes(1, 'results'), 'TxReadWriteSet');
  return {
    invocation: decodeFabricInvocation(action.chaincodeProposalPayload),
    response: {
      status: response?.int32(1, 'status') ?? 0,
      message: response?.string(2, 'message') ?? '',
      payload: response?.bytes(3, 'payload') ?? new Uint8Array(),
    },
    rwsets: rwset.repeatedMessages(2, 'ns_rwset', 'NsReadWriteSet').map(namespaceRwSet),
  };
}

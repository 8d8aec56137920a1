/**
 * The batched calls a Fabric peer offers a chaincode: Fabric 3.1 announces them in the READY message
 * (`peer.ChaincodeAdditionalParams`, core.yaml `chaincode.runtimeParams`): GET_STATE_MULTIPLE (many keys read in
 * one round trip) and WRITE_BATCH_STATE (a transaction's writes in one message). One definition for the chaincode,
 * which uses them when announced (`chaincode/src/shim/peer-batching.ts`), and the embedded engine's peer, which
 * announces and serves them (`engine/src/semantics/peer-handler.ts`).
 */
export interface PeerBatching {
  readonly useWriteBatch: boolean;
  /** Records per WRITE_BATCH_STATE message; 0: no limit. */
  readonly maxSizeWriteBatch: number;
  readonly useGetMultipleKeys: boolean;
  /** Keys per GET_STATE_MULTIPLE message; 0: no limit. */
  readonly maxSizeGetMultipleKeys: number;
}

/** A Fabric 3.1 peer with core.yaml's defaults: both calls, at most 1,000 per message. */
export const FABRIC_3_1_BATCHING: PeerBatching = Object.freeze({
  useWriteBatch: true,
  maxSizeWriteBatch: 1000,
  useGetMultipleKeys: true,
  maxSizeGetMultipleKeys: 1000,
});

/** A Fabric 2.x peer (or a 3.1 peer with them turned off): nothing announced, one message per state call. */
export const FABRIC_2_BATCHING: PeerBatching = Object.freeze({
  useWriteBatch: false,
  maxSizeWriteBatch: 0,
  useGetMultipleKeys: false,
  maxSizeGetMultipleKeys: 0,
});

/** One record of a WRITE_BATCH_STATE (`peer.WriteRecord`): a put, a delete or a key's metadata. */
export type BatchedWrite =
  | { readonly type: 'put'; readonly collection: string; readonly key: string; readonly value: Uint8Array }
  | { readonly type: 'delete'; readonly collection: string; readonly key: string }
  | {
      readonly type: 'metadata';
      readonly collection: string;
      readonly key: string;
      readonly metakey: string;
      readonly value: Uint8Array;
    };

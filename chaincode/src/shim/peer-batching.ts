// Fabric 3.1's batched chaincode <-> peer calls, for a chaincode on fabric-shim 2.5.
//
// A Fabric 3.1 peer announces two batched messages in its READY message (`ChaincodeAdditionalParams`, core.yaml
// `chaincode.runtimeParams`): GET_STATE_MULTIPLE (many keys read in one round trip) and WRITE_BATCH_STATE (a
// transaction's writes sent once, before it completes). The Go shim uses them; fabric-shim 2.5.8, the newest Node
// shim, neither reads the announcement nor sends either message, and it sends a transaction's messages to the peer one
// at a time, so a chaincode that reads and writes a key per record pays two round trips per record. This module:
// - extends fabric-shim's message handler (`installShimBatching`, once per process): it keeps what READY announced
//   (`peerBatching`) and can send the two messages through the shim's own per-transaction queue;
// - `withBatchedWrites`: while a transaction runs, its PutState, DelState and SetStateValidationParameter calls are
//   kept (the last write of a key wins, as in the Go shim) and sent in WRITE_BATCH_STATE messages of at most
//   `maxSizeWriteBatch` records once the chaincode has answered successfully;
// - `getStates`: reads keys in GET_STATE_MULTIPLE messages of at most `maxSizeGetMultipleKeys` keys.
// A peer that announces neither (Fabric 2.x) gets the per-key messages exactly as before. Nothing changes what a
// transaction reads or writes: the peer records each key of a GET_STATE_MULTIPLE in the read set as a GET_STATE,
// and applies a WRITE_BATCH_STATE record by record as the single calls, so the read-write set is the same.
// An in-process engine's handler can offer the same calls natively (`BatchingHandler`).
import { FABRIC_2_BATCHING, type BatchedWrite, type PeerBatching } from '@approval-ledger/protocol';
import { peer } from '@hyperledger/fabric-protos';
import { Shim, type ChaincodeResponse, type ChaincodeStub } from 'fabric-shim';

/** The batched calls, as a stub's handler offers them (fabric-shim's once extended, or an in-process peer's). */
export interface BatchingHandler {
  readonly peerBatching?: PeerBatching;
  handleGetStateMultiple(
    collection: string,
    keys: readonly string[],
    channelId: string,
    txId: string,
  ): Promise<Uint8Array[]>;
  handleWriteBatch(writes: readonly BatchedWrite[], channelId: string, txId: string): Promise<void>;
}

type StubWithHandler = ChaincodeStub & { handler: object };

function handlerOf(stub: ChaincodeStub): Partial<BatchingHandler> {
  return (stub as StubWithHandler).handler;
}

/** The peer's announcement, from a READY message's payload. */
export function peerBatchingOf(readyPayload: Uint8Array): PeerBatching {
  if (readyPayload.length === 0) return FABRIC_2_BATCHING;
  const params = peer.ChaincodeAdditionalParams.deserializeBinary(readyPayload);
  return {
    useWriteBatch: params.getUseWriteBatch(),
    maxSizeWriteBatch: params.getMaxSizeWriteBatch(),
    useGetMultipleKeys: params.getUseGetMultipleKeys(),
    maxSizeGetMultipleKeys: params.getMaxSizeGetMultipleKeys(),
  };
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  if (size <= 0 || items.length <= size) return [[...items]];
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * The current values of `keys` (an empty array for an absent key), in order: in GET_STATE_MULTIPLE messages when
 * the peer offers them, else one GET_STATE per key.
 */
export async function getStates(stub: ChaincodeStub, keys: readonly string[]): Promise<Uint8Array[]> {
  const handler = handlerOf(stub);
  const batching = handler.peerBatching;
  if (
    keys.length < 2 ||
    !batching?.useGetMultipleKeys ||
    typeof handler.handleGetStateMultiple !== 'function'
  ) {
    const out: Uint8Array[] = [];
    for (const key of keys) out.push(await stub.getState(key));
    return out;
  }
  const out: Uint8Array[] = [];
  for (const part of chunks(keys, batching.maxSizeGetMultipleKeys)) {
    const values = await handler.handleGetStateMultiple('', part, stub.getChannelID(), stub.getTxID());
    if (values.length !== part.length) {
      throw new Error(
        `the peer answered ${values.length} values for ${part.length} keys (GET_STATE_MULTIPLE)`,
      );
    }
    out.push(...values);
  }
  return out;
}

const WRITE_METHODS = new Set(['handlePutState', 'handleDeleteState', 'handlePutStateMetadata']);

/** A transaction's writes, kept until it has answered; the last write of a (collection, key, kind) wins. */
class WriteBuffer {
  readonly #writes = new Map<string, BatchedWrite>();

  add(write: BatchedWrite): Promise<void> {
    const kind = write.type === 'metadata' ? 'm' : 'd';
    this.#writes.set(`${kind}\u0000${write.collection}\u0000${write.key}`, write);
    return Promise.resolve();
  }

  /** The stub's handler with the three write calls kept here; everything else goes to `handler`. */
  wrap(handler: object): object {
    const overrides: Record<string, unknown> = {
      handlePutState: (collection: string, key: string, value: Uint8Array) =>
        this.add({ type: 'put', collection, key, value }),
      handleDeleteState: (collection: string, key: string) => this.add({ type: 'delete', collection, key }),
      handlePutStateMetadata: (collection: string, key: string, metakey: string, value: Uint8Array) =>
        this.add({ type: 'metadata', collection, key, metakey, value }),
    };
    return new Proxy(handler, {
      get(target, property) {
        if (typeof property === 'string' && WRITE_METHODS.has(property)) return overrides[property];
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
  }

  async flush(handler: BatchingHandler, maxSize: number, channelId: string, txId: string): Promise<void> {
    if (this.#writes.size === 0) return;
    for (const part of chunks([...this.#writes.values()], maxSize))
      await handler.handleWriteBatch(part, channelId, txId);
  }
}

/**
 * Runs one transaction with its writes batched when the peer offers WRITE_BATCH_STATE: they are sent after the
 * chaincode answered successfully (a failed transaction's writes are never sent; the peer discards them anyway). A
 * write the peer refuses fails the transaction, as the single call would have.
 */
export async function withBatchedWrites(
  stub: ChaincodeStub,
  run: (stub: ChaincodeStub) => Promise<ChaincodeResponse>,
): Promise<ChaincodeResponse> {
  const handler = handlerOf(stub);
  const batching = handler.peerBatching;
  if (!batching?.useWriteBatch || typeof handler.handleWriteBatch !== 'function') return run(stub);
  const buffer = new WriteBuffer();
  const withHandler = stub as StubWithHandler;
  withHandler.handler = buffer.wrap(handler);
  let response: ChaincodeResponse;
  try {
    response = await run(stub);
  } finally {
    withHandler.handler = handler;
  }
  if (!response || response.status >= 400) return response;
  try {
    await buffer.flush(
      handler as BatchingHandler,
      batching.maxSizeWriteBatch,
      stub.getChannelID(),
      stub.getTxID(),
    );
  } catch (err) {
    return Shim.error(err instanceof Error ? err.message : String(err));
  }
  return response;
}

// ---- fabric-shim's message handler, extended ------------------------------------------------------------------

interface ShimMessageHandler {
  _stream: { on(event: 'data', listener: (message: peer.ChaincodeMessage) => void): unknown };
  _askPeerAndListen(message: peer.ChaincodeMessage, method: string): Promise<Buffer>;
  chat(starter: unknown): unknown;
  peerBatching?: PeerBatching;
}

const WRITE_TYPE = {
  put: peer.WriteRecord.Type.PUT_STATE,
  delete: peer.WriteRecord.Type.DEL_STATE,
  metadata: peer.WriteRecord.Type.PUT_STATE_METADATA,
} as const;

function shimMessage(
  type: number,
  payload: Uint8Array,
  channelId: string,
  txId: string,
): peer.ChaincodeMessage {
  const message = new peer.ChaincodeMessage();
  message.setType(type as peer.ChaincodeMessage.TypeMap[keyof peer.ChaincodeMessage.TypeMap]);
  message.setPayload(payload);
  message.setTxid(txId);
  message.setChannelId(channelId);
  return message;
}

/** The WRITE_BATCH_STATE payload for these writes. */
export function writeBatchPayload(writes: readonly BatchedWrite[]): Uint8Array {
  const batch = new peer.WriteBatchState();
  batch.setRecList(
    writes.map((write) => {
      const record = new peer.WriteRecord();
      record.setType(WRITE_TYPE[write.type]);
      record.setKey(write.key);
      record.setCollection(write.collection);
      if (write.type === 'put') record.setValue(write.value);
      if (write.type === 'metadata') {
        const metadata = new peer.StateMetadata();
        metadata.setMetakey(write.metakey);
        metadata.setValue(write.value);
        record.setMetadata(metadata);
      }
      return record;
    }),
  );
  return batch.serializeBinary();
}

let installed = false;

/**
 * Teaches fabric-shim's ChaincodeMessageHandler (client and server mode) to keep the peer's READY announcement and
 * to send GET_STATE_MULTIPLE and WRITE_BATCH_STATE through its per-transaction queue. Idempotent.
 */
export function installShimBatching(): void {
  if (installed) return;
  installed = true;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { ChaincodeMessageHandler } = require('fabric-shim/lib/handler') as {
    ChaincodeMessageHandler: { prototype: ShimMessageHandler & BatchingHandler };
  };
  const prototype = ChaincodeMessageHandler.prototype;
  // a fabric-shim whose handler no longer has these internals keeps its own per-call messages (no batching)
  const internals = prototype as Partial<ShimMessageHandler>;
  if (typeof internals.chat !== 'function' || typeof internals._askPeerAndListen !== 'function') return;
  const { chat } = prototype as { chat: (this: ShimMessageHandler, starter: unknown) => unknown };
  prototype.chat = function (this: ShimMessageHandler, starter: unknown) {
    this.peerBatching = FABRIC_2_BATCHING;
    // registered before the shim's own listener, so the announcement is kept before any transaction arrives
    this._stream.on('data', (message) => {
      if (message.getType() === peer.ChaincodeMessage.Type.READY)
        this.peerBatching = peerBatchingOf(message.getPayload_asU8());
    });
    return chat.call(this, starter);
  };
  prototype.handleGetStateMultiple = async function (
    this: ShimMessageHandler,
    collection: string,
    keys: readonly string[],
    channelId: string,
    txId: string,
  ): Promise<Uint8Array[]> {
    const request = new peer.GetStateMultiple();
    request.setKeysList([...keys]);
    request.setCollection(collection);
    const payload = await this._askPeerAndListen(
      shimMessage(peer.ChaincodeMessage.Type.GET_STATE_MULTIPLE, request.serializeBinary(), channelId, txId),
      'GetStateMultiple',
    );
    return peer.GetStateMultipleResult.deserializeBinary(payload).getValuesList_asU8();
  };
  prototype.handleWriteBatch = async function (
    this: ShimMessageHandler,
    writes: readonly BatchedWrite[],
    channelId: string,
    txId: string,
  ): Promise<void> {
    await this._askPeerAndListen(
      shimMessage(peer.ChaincodeMessage.Type.WRITE_BATCH_STATE, writeBatchPayload(writes), channelId, txId),
      'WriteBatchState',
    );
  };
}

// The peer's side of the chaincode <-> peer conversation, in-process. fabric-shim's own ChaincodeStub
// calls these `handle*` methods exactly as it would send GET_STATE / PUT_STATE / GET_STATE_BY_RANGE ...
// messages to a peer; here they run against a `VersionedStateReader` and record the read-write set the
// way the peer's transaction simulator does:
// - reads see committed state only, never this transaction's own writes;
// - each read records the version read (null when absent), range queries record what they returned
//   for phantom detection at commit;
// - range and history results come back in batches of 100 (`hasMore` + QUERY_STATE_NEXT), at most
//   100,000 results per query, as the peer's QueryResponseGenerator does;
// - paginated queries are read-only (a write after one, or one after a write, fails);
// - rich (CouchDB) queries fail as on LevelDB; private data is not offered;
// - chaincode-to-chaincode calls on the same channel run the called namespace's chaincode in the same
//   transaction (same proposal, same tx id) and record its reads under its namespace; they are read-only here
//   (a write in the called chaincode fails the call), and calls to another channel are not offered.
import { FABRIC_3_1_BATCHING, type BatchedWrite, type PeerBatching } from '@approval-ledger/protocol';
import { ledger, peer } from '@hyperledger/fabric-protos';
import { Timestamp } from 'google-protobuf/google/protobuf/timestamp_pb';
import { HistoryQueryIterator, StateQueryIterator } from 'fabric-shim';
import './shim-iterators';
import { ReadWriteSetBuilder, type KVRead, type ReadWriteSet } from './read-write-set';
import { inRange, type KeyModification, type VersionedKV, type VersionedStateReader } from './state';

/** The peer's batch size between chaincode and peer (QueryResponseGenerator.MaxResultLimit). */
export const QUERY_BATCH_SIZE = 100;
/** core.yaml `ledger.state.totalQueryLimit`. */
export const TOTAL_QUERY_LIMIT = 100_000;

/** A JS string that is not valid UTF-8 (LevelDB keys must be). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

type QueryItem = { kind: 'state'; kv: VersionedKV } | { kind: 'history'; mod: KeyModification };

interface OpenQuery {
  readonly id: string;
  readonly source: AsyncIterator<QueryItem>;
  readonly isPaginated: boolean;
  readonly limit: number;
  readonly range?: {
    startKey: string;
    endKey: string;
    reads: KVRead[];
    lastKey?: string;
    exhausted: boolean;
  };
  lookahead?: QueryItem;
  returned: number;
}

/** The response of a called chaincode, as the calling stub's `invokeChaincode` returns it. */
export interface InvokeResponse {
  readonly status: number;
  readonly message: string;
  readonly payload: Buffer;
}

/** Runs a same-channel chaincode-to-chaincode call: the called namespace's chaincode, with these args. */
export type ChaincodeInvoker = (namespace: string, args: readonly Uint8Array[]) => Promise<InvokeResponse>;

export interface PeerHandlerOptions {
  readonly chaincodeName: string;
  readonly txId: string;
  /** The channel, to tell a same-channel call (`name` or `name/<this channel>`) from another channel's. */
  readonly channelId?: string;
  /** Same-channel chaincode-to-chaincode calls; without it they are refused. */
  readonly invokeChaincode?: ChaincodeInvoker;
  /** A called chaincode's handler: every write fails. */
  readonly readOnly?: boolean;
  /** The batched calls this peer announces; default Fabric 3.1's (`FABRIC_3_1_BATCHING`). */
  readonly batching?: PeerBatching;
}

function txError(txId: string, message: string): Error {
  return new Error(`txid [${txId}]: ${message}`);
}

async function* stateItems(
  reader: VersionedStateReader,
  startKey: string,
  endKey: string,
): AsyncGenerator<QueryItem> {
  for await (const kv of reader.range(startKey, endKey)) {
    // a reader may over-deliver; the peer's iterator never does
    if (inRange(kv.key, startKey, endKey)) yield { kind: 'state', kv };
  }
}

async function* historyItems(reader: VersionedStateReader, key: string): AsyncGenerator<QueryItem> {
  for await (const mod of reader.history(key)) yield { kind: 'history', mod };
}

function toResultBytes(item: QueryItem, namespace: string): peer.QueryResultBytes {
  const result = new peer.QueryResultBytes();
  if (item.kind === 'state') {
    const kv = new ledger.queryresult.KV();
    kv.setNamespace(namespace);
    kv.setKey(item.kv.key);
    kv.setValue(item.kv.value);
    result.setResultbytes(kv.serializeBinary());
  } else {
    const mod = new ledger.queryresult.KeyModification();
    mod.setTxId(item.mod.txId);
    mod.setValue(item.mod.value);
    mod.setIsDelete(item.mod.isDelete);
    const ts = new Timestamp();
    ts.setSeconds(item.mod.timestamp.seconds);
    ts.setNanos(item.mod.timestamp.nanos);
    mod.setTimestamp(ts);
    result.setResultbytes(mod.serializeBinary());
  }
  return result;
}

/**
 * Implements the handler interface fabric-shim's `ChaincodeStub` talks to (`handleGetState`, ...).
 * One instance serves one transaction simulation; `finish()` returns its read-write set.
 */
export class PeerHandler {
  readonly #reader: VersionedStateReader;
  readonly #chaincodeName: string;
  readonly #txId: string;
  readonly #options: PeerHandlerOptions;
  readonly #rwset = new ReadWriteSetBuilder();
  readonly #queries = new Map<string, OpenQuery>();
  #nextQueryId = 0;
  #writePerformed = false;
  #paginatedQueryPerformed = false;
  #done = false;

  constructor(reader: VersionedStateReader, options: PeerHandlerOptions) {
    this.#reader = reader;
    this.#chaincodeName = options.chaincodeName;
    this.#txId = options.txId;
    this.#options = options;
  }

  /** Records what a chaincode-to-chaincode call into `namespace` read. */
  addCalledReads(namespace: string, called: ReadWriteSet): void {
    this.#rwset.addCalledReads(namespace, called);
    for (const nested of called.calledNamespaces ?? []) this.#rwset.addCalledReads(nested.namespace, nested);
  }

  /** Ends the simulation: closes open iterators (recording their range info) and returns the rwset. */
  finish(): ReadWriteSet {
    for (const query of [...this.#queries.values()]) this.#closeQuery(query);
    this.#done = true;
    return this.#rwset.build();
  }

  /** What this peer announced at READY (fabric-shim's handler, once extended, keeps the same property). */
  get peerBatching(): PeerBatching {
    return this.#options.batching ?? FABRIC_3_1_BATCHING;
  }

  /**
   * GET_STATE_MULTIPLE (Fabric 3.1): each key read and recorded as a GET_STATE would be, values in order (empty
   * for an absent key). Refused beyond the announced size, and when not announced, as a 2.x peer knows no such call.
   */
  async handleGetStateMultiple(collection: string, keys: readonly string[]): Promise<Buffer[]> {
    const { useGetMultipleKeys, maxSizeGetMultipleKeys } = this.peerBatching;
    this.#checkBatch('GET_STATE_MULTIPLE', useGetMultipleKeys, maxSizeGetMultipleKeys, keys.length, 'keys');
    const out: Buffer[] = [];
    for (const key of keys) out.push(await this.handleGetState(collection, key));
    return out;
  }

  /** A batched call is refused when this peer did not announce it, or beyond the announced size (0: no limit). */
  #checkBatch(call: string, offered: boolean, maxSize: number, size: number, unit: string): void {
    if (!offered) throw txError(this.#txId, `${call} is not offered by this peer`);
    if (maxSize > 0 && size > maxSize)
      throw txError(this.#txId, `${call} of ${size} ${unit}, at most ${maxSize}`);
  }

  /** WRITE_BATCH_STATE (Fabric 3.1): the records applied in order, each as its single call. */
  async handleWriteBatch(writes: readonly BatchedWrite[]): Promise<void> {
    const { useWriteBatch, maxSizeWriteBatch } = this.peerBatching;
    this.#checkBatch('WRITE_BATCH_STATE', useWriteBatch, maxSizeWriteBatch, writes.length, 'records');
    for (const write of writes) {
      if (write.type === 'put') await this.handlePutState(write.collection, write.key, write.value);
      else if (write.type === 'delete') await this.handleDeleteState(write.collection, write.key);
      else await this.handlePutStateMetadata(write.collection, write.key, write.metakey, write.value);
    }
  }

  async handleGetState(collection: string, key: string): Promise<Buffer> {
    this.#checkOpen(collection);
    const found = await this.#reader.get(key);
    this.#rwset.addRead(key, found ? found.version : null);
    return found ? Buffer.from(found.value) : Buffer.alloc(0);
  }

  handlePutState(collection: string, key: string, value: Uint8Array): Promise<void> {
    this.#checkWrite(collection, key);
    this.#rwset.addWrite(key, value);
    return Promise.resolve();
  }

  handleDeleteState(collection: string, key: string): Promise<void> {
    this.#checkWrite(collection, key);
    this.#rwset.addWrite(key, undefined);
    return Promise.resolve();
  }

  /** SetStateMetadata replaces the key's metadata with this one entry, as the peer's handler does. */
  handlePutStateMetadata(collection: string, key: string, metakey: string, value: Uint8Array): Promise<void> {
    this.#checkWrite(collection, key);
    this.#rwset.addMetadataWrite(key, { [metakey]: Uint8Array.from(value ?? []) });
    return Promise.resolve();
  }

  /** Reading metadata is a read dependency on the key. */
  async handleGetStateMetadata(collection: string, key: string): Promise<Record<string, Uint8Array>> {
    this.#checkOpen(collection);
    const found = await this.#reader.get(key);
    this.#rwset.addRead(key, found ? found.version : null);
    const out: Record<string, Uint8Array> = {};
    for (const [name, value] of Object.entries(found?.metadata ?? {})) out[name] = Uint8Array.from(value);
    return out;
  }

  async handleGetStateByRange(
    collection: string,
    startKey: string,
    endKey: string,
    _channelId?: string,
    _txId?: string,
    metadata?: Uint8Array,
  ): Promise<{ iterator: StateQueryIterator; metadata?: { bookmark: string; fetchedRecordsCount: number } }> {
    this.#checkOpen(collection);
    const paging = metadata ? peer.QueryMetadata.deserializeBinary(metadata) : undefined;
    if (paging) this.#checkBeforePaginatedQuery();
    const start = paging?.getBookmark() || startKey;
    const pageSize = paging?.getPagesize() ?? 0;
    const query = this.#openQuery(stateItems(this.#reader, start, endKey), {
      isPaginated: paging !== undefined,
      limit: pageSize > 0 && pageSize < TOTAL_QUERY_LIMIT ? pageSize : TOTAL_QUERY_LIMIT,
      range: { startKey: start, endKey, reads: [], exhausted: false },
    });
    const response = await this.#buildResponse(query);
    const iterator = new StateQueryIterator(this, '', this.#txId, response);
    const meta = response.getMetadata_asU8();
    if (meta.length === 0) return { iterator };
    const decoded = peer.QueryResponseMetadata.deserializeBinary(meta);
    return {
      iterator,
      metadata: { bookmark: decoded.getBookmark(), fetchedRecordsCount: decoded.getFetchedRecordsCount() },
    };
  }

  async handleGetHistoryForKey(key: string): Promise<HistoryQueryIterator> {
    this.#checkOpen('');
    const query = this.#openQuery(historyItems(this.#reader, key), {
      isPaginated: false,
      limit: TOTAL_QUERY_LIMIT,
    });
    return new HistoryQueryIterator(this, '', this.#txId, await this.#buildResponse(query));
  }

  async handleQueryStateNext(id: string): Promise<peer.QueryResponse> {
    const query = this.#queries.get(id);
    if (!query) throw txError(this.#txId, `query iterator not found for id ${id}`);
    return this.#buildResponse(query);
  }

  handleQueryStateClose(id: string): Promise<peer.QueryResponse> {
    const query = this.#queries.get(id);
    if (query) this.#closeQuery(query);
    const response = new peer.QueryResponse();
    response.setId(id);
    return Promise.resolve(response);
  }

  handleGetQueryResult(): Promise<never> {
    return Promise.reject(new Error('ExecuteQuery not supported for leveldb'));
  }

  handleGetPrivateDataHash(collection: string): Promise<never> {
    return Promise.reject(this.#noCollection(collection));
  }

  handlePurgeState(collection: string): Promise<never> {
    return Promise.reject(this.#noCollection(collection));
  }

  /** fabric-shim's stub passes `name` or `name/channel`; the shim turns a rejection into the caller's error. */
  async handleInvokeChaincode(
    chaincodeName: string,
    args: readonly (string | Uint8Array)[],
  ): Promise<InvokeResponse> {
    this.#checkOpen('');
    const [namespace = '', channel] = chaincodeName.split('/');
    const invoke = this.#options.invokeChaincode;
    if (!invoke || (channel !== undefined && channel !== this.#options.channelId)) {
      throw new Error(
        `chaincode-to-chaincode invocation of ${chaincodeName} is not offered by the embedded ledger`,
      );
    }
    return invoke(
      namespace,
      args.map((a) => (typeof a === 'string' ? Buffer.from(a, 'utf8') : Uint8Array.from(a))),
    );
  }

  #noCollection(collection: string): Error {
    return new Error(
      `collection config not defined for chaincode [${this.#chaincodeName}] (collection [${collection}])`,
    );
  }

  #checkOpen(collection: string): void {
    if (this.#done) throw txError(this.#txId, 'the transaction simulation has already completed');
    if (collection) throw this.#noCollection(collection);
  }

  #checkWrite(collection: string, key: string): void {
    this.#checkOpen(collection);
    if (this.#options.readOnly) {
      throw txError(
        this.#txId,
        `chaincode ${this.#chaincodeName} was called chaincode-to-chaincode and may only read (the embedded ledger offers read-only calls)`,
      );
    }
    if (this.#paginatedQueryPerformed) {
      throw txError(
        this.#txId,
        'unsuppored transaction. Transaction has already performed a paginated query. Writes are not allowed',
      );
    }
    if (typeof key !== 'string' || key.length === 0) throw new Error('key must not be an empty string');
    if (LONE_SURROGATE.test(key)) {
      throw new Error(`invalid key [${Buffer.from(key).toString('hex')}], must be a UTF-8 string`);
    }
    this.#writePerformed = true;
  }

  #checkBeforePaginatedQuery(): void {
    if (this.#writePerformed) {
      throw txError(
        this.#txId,
        'unsuppored transaction. Paginated queries are supported only in a read-only transaction',
      );
    }
    this.#paginatedQueryPerformed = true;
  }

  #openQuery(
    items: AsyncGenerator<QueryItem>,
    options: Pick<OpenQuery, 'isPaginated' | 'limit' | 'range'>,
  ): OpenQuery {
    const id = `${this.#txId}:${this.#nextQueryId++}`;
    const query: OpenQuery = { id, source: items, returned: 0, ...options };
    this.#queries.set(id, query);
    return query;
  }

  async #pull(query: OpenQuery): Promise<QueryItem | undefined> {
    if (query.lookahead) {
      const item = query.lookahead;
      query.lookahead = undefined;
      return item;
    }
    const next = await query.source.next();
    if (next.done) {
      if (query.range) query.range.exhausted = true;
      return undefined;
    }
    if (query.range && next.value.kind === 'state') {
      query.range.reads.push({ key: next.value.kv.key, version: next.value.kv.version });
      query.range.lastKey = next.value.kv.key;
    }
    return next.value;
  }

  /** QueryResponseGenerator.BuildQueryResponse: batches of 100 with look-ahead, or one page. */
  async #buildResponse(query: OpenQuery): Promise<peer.QueryResponse> {
    const batch: QueryItem[] = [];
    for (;;) {
      if (query.returned >= query.limit) return this.#finalResponse(query, batch);
      const item = await this.#pull(query);
      if (!item) return this.#finalResponse(query, batch);
      if (!query.isPaginated && batch.length === QUERY_BATCH_SIZE) {
        query.lookahead = item;
        return this.#response(query, batch, true);
      }
      batch.push(item);
      query.returned++;
    }
  }

  async #finalResponse(query: OpenQuery, batch: QueryItem[]): Promise<peer.QueryResponse> {
    const response = this.#response(query, batch, false);
    if (query.isPaginated) {
      // LevelDB's bookmark: the key of the next record, '' when there is none (a peek, not a read)
      const peek = query.range?.exhausted ? undefined : await query.source.next();
      const bookmark = peek && !peek.done && peek.value.kind === 'state' ? peek.value.kv.key : '';
      const meta = new peer.QueryResponseMetadata();
      meta.setFetchedRecordsCount(query.returned);
      meta.setBookmark(bookmark);
      response.setMetadata(meta.serializeBinary());
    }
    this.#closeQuery(query);
    return response;
  }

  #response(query: OpenQuery, batch: QueryItem[], hasMore: boolean): peer.QueryResponse {
    const response = new peer.QueryResponse();
    response.setResultsList(batch.map((item) => toResultBytes(item, this.#chaincodeName)));
    response.setHasMore(hasMore);
    response.setId(query.id);
    return response;
  }

  #closeQuery(query: OpenQuery): void {
    if (!this.#queries.delete(query.id)) return;
    void query.source.return?.(undefined);
    const range = query.range;
    if (!range) return;
    this.#rwset.addRangeQuery({
      startKey: range.startKey,
      endKey: range.exhausted || range.lastKey === undefined ? range.endKey : range.lastKey,
      itrExhausted: range.exhausted,
      reads: range.reads,
    });
  }
}

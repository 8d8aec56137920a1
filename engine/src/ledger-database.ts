/**
 * The embedded ledger's SQLite file (`<dataDir>/ledger/ledger.sqlite`, WAL): blocks, transactions, the
 * transaction-by-id index, world state and key history. A block, its transactions, its state updates and its
 * history entries are written in ONE SQLite transaction, so after a crash the file holds every block up to some
 * number and the state they produce. The transactions' envelopes (the canonical texts that the block's data hash
 * covers) are in the block file beside it (`ledger.blocks`, `block-file.ts`), appended and synced before that
 * transaction commits; a ledger made before the block file keeps its older envelopes in the table.
 *
 * Keys are stored as BLOBs of their UTF-8 bytes: SQLite compares BLOBs with memcmp, which is the UTF-8 byte
 * order LevelDB (and so Fabric's range queries) use.
 */
import Database from 'better-sqlite3';
import { BlockFile, BlockFileError, blockFilePath, type EnvelopeLocation } from './block-file';
import { type StateMetadata, type TxTimestamp, type VersionedKV, type VersionedValue } from './semantics';
import { NO_LAPS, type StageBudget } from './stage-budget';

export type Synchronous = 'NORMAL' | 'FULL';

export interface DatabaseOptions {
  readonly readonly?: boolean;
  /** SQLite `synchronous` in WAL mode: NORMAL (default; durable against process crashes) or FULL. */
  readonly synchronous?: Synchronous;
}

export interface StoredBlock {
  readonly number: number;
  readonly hash: string;
  /** Canonical JSON of the header. */
  readonly header: string;
  /** JSON of the metadata (orderer signature, validation codes, commit hash). */
  readonly metadata: string;
  readonly txCount: number;
}

export interface StoredTransaction {
  readonly blockNumber: number;
  readonly txIndex: number;
  readonly txId: string;
  readonly validationCode: string;
  /** Canonical JSON of the envelope: the Merkle leaf. */
  readonly envelope: string;
  readonly eventName: string | null;
  readonly eventPayload: Uint8Array | null;
  /**
   * The chaincode the signed proposal invoked (null for a configuration transaction), kept beside the envelope
   * for event reads; when absent, `commitBlock` reads it from the envelope.
   */
  readonly chaincodeName?: string | null;
}

export interface StateWrite {
  readonly key: string;
  /** null deletes the key. */
  readonly value: Uint8Array | null;
  readonly metadata: StateMetadata | null;
  readonly blockNum: number;
  readonly txNum: number;
}

export interface HistoryRow {
  readonly blockNum: number;
  readonly txNum: number;
  readonly txId: string;
  readonly isDelete: boolean;
  readonly timestamp: TxTimestamp;
}

export interface HistoryWrite extends HistoryRow {
  readonly key: string;
}

/** 2: the envelopes in the block file (`envelope_at`, `envelope_bytes`; `chaincode_name`). */
const SCHEMA_VERSION = 2;

/** The page size of a new ledger file (see SCHEMA's note). */
const PAGE_SIZE = 4096;

// Rowid tables for the large rows (state values, envelopes), which WITHOUT ROWID stores poorly (measured about
// 1.5x faster inserts); WITHOUT ROWID for the small index-like ones. The history table holds no values: as in
// Fabric's history database, an entry points at the transaction whose write set has the value (measured 25-30%
// faster commits of batched milestones). 4 KiB pages (SQLite's default), set before the first table is created:
// each record inserts into two random places (the state key index, the history key), so a block dirties about two
// pages per record it writes, and the WAL and the checkpoint write each whole page. Against the 16 KiB pages a
// ledger had before (kept by a ledger made with them: the page size is the file's), measured for issue 16: 24 KB
// written per single-record transaction instead of 36-60 KB, 4.1 KB per milestone at 500 per transaction instead
// of 4.3-4.6 KB, with no difference in commit CPU or verify-chain time that this machine could resolve.
const SCHEMA = `
CREATE TABLE IF NOT EXISTS blocks (
  number INTEGER PRIMARY KEY,
  hash TEXT NOT NULL,
  header TEXT NOT NULL,
  metadata TEXT NOT NULL,
  tx_count INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS transactions (
  block_number INTEGER NOT NULL,
  tx_index INTEGER NOT NULL,
  tx_id TEXT NOT NULL,
  validation_code TEXT NOT NULL,
  envelope TEXT NOT NULL,
  event_name TEXT,
  event_payload BLOB,
  envelope_at INTEGER,
  envelope_bytes INTEGER,
  chaincode_name TEXT,
  PRIMARY KEY (block_number, tx_index)
);
CREATE TABLE IF NOT EXISTS tx_by_id (
  tx_id TEXT PRIMARY KEY,
  block_number INTEGER NOT NULL,
  tx_index INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS state (
  key BLOB PRIMARY KEY,
  value BLOB NOT NULL,
  block_num INTEGER NOT NULL,
  tx_num INTEGER NOT NULL,
  metadata TEXT
);
CREATE TABLE IF NOT EXISTS history (
  key BLOB NOT NULL,
  block_num INTEGER NOT NULL,
  tx_num INTEGER NOT NULL,
  tx_id TEXT NOT NULL,
  is_delete INTEGER NOT NULL,
  ts_seconds INTEGER NOT NULL,
  ts_nanos INTEGER NOT NULL,
  PRIMARY KEY (key, block_num, tx_num)
) WITHOUT ROWID;
`;

interface StateRowRaw {
  key: Buffer;
  value: Buffer;
  block_num: number;
  tx_num: number;
  metadata: string | null;
}

interface HistoryRowRaw {
  block_num: number;
  tx_num: number;
  tx_id: string;
  is_delete: number;
  ts_seconds: number;
  ts_nanos: number;
}

interface TransactionRowRaw {
  block_number: number;
  tx_index: number;
  tx_id: string;
  validation_code: string;
  /** '' when the envelope is in the block file (`envelope_at`, `envelope_bytes`). */
  envelope: string;
  event_name: string | null;
  event_payload: Buffer | null;
  envelope_at: number | null;
  envelope_bytes: number | null;
}

interface BlockRowRaw {
  number: number;
  hash: string;
  header: string;
  metadata: string;
  tx_count: number;
}

const keyBytes = (key: string): Buffer => Buffer.from(key, 'utf8');

/** Committed blocks kept in memory for the followers that read them next (see `LedgerDatabase.#recent`). */
const RECENT_BLOCKS = 4;

/** Most keys one `IN (...)` statement takes. */
const IN_LIMIT = 512;

/** Placeholders a statement for `count` values has: the next power of two, so a few statements serve all sizes. */
function statementSize(count: number): number {
  let size = 1;
  while (size < count) size *= 2;
  return Math.min(size, IN_LIMIT);
}

const placeholders = (count: number): string => new Array<string>(count).fill('?').join(',');

/** `values` padded to its statement's size by repeating the first value (IN ignores duplicates). */
function padded<T>(values: readonly T[]): T[] {
  const size = statementSize(values.length);
  const out = [...values];
  while (out.length < size) out.push(values[0]!);
  return out;
}

function encodeMetadata(metadata: StateMetadata | null): string | null {
  if (!metadata || Object.keys(metadata).length === 0) return null;
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(metadata)) out[name] = Buffer.from(value).toString('base64');
  return JSON.stringify(out);
}

function decodeMetadata(text: string | null): StateMetadata | undefined {
  if (text === null) return undefined;
  const out: Record<string, Uint8Array> = {};
  for (const [name, value] of Object.entries(JSON.parse(text) as Record<string, string>)) {
    out[name] = new Uint8Array(Buffer.from(value, 'base64'));
  }
  return out;
}

function toVersioned(row: StateRowRaw): VersionedValue {
  const metadata = decodeMetadata(row.metadata);
  const base = { value: new Uint8Array(row.value), version: { blockNum: row.block_num, txNum: row.tx_num } };
  return metadata ? { ...base, metadata } : base;
}

function toBlock(row: BlockRowRaw): StoredBlock {
  return {
    number: row.number,
    hash: row.hash,
    header: row.header,
    metadata: row.metadata,
    txCount: row.tx_count,
  };
}

/**
 * A transaction as a read from disk gives it back: its own copy of the event payload (the only mutable part),
 * without the chaincode name its writer passed along (a column of its own, read by event reads only).
 */
function copyOfTransaction(tx: StoredTransaction): StoredTransaction {
  const { chaincodeName: _written, ...stored } = tx;
  return { ...stored, eventPayload: tx.eventPayload && new Uint8Array(tx.eventPayload) };
}

function toTransaction(row: TransactionRowRaw, envelope: string): StoredTransaction {
  return {
    blockNumber: row.block_number,
    txIndex: row.tx_index,
    txId: row.tx_id,
    validationCode: row.validation_code,
    envelope,
    eventName: row.event_name,
    eventPayload: row.event_payload ? new Uint8Array(row.event_payload) : null,
  };
}

/** The chaincode a transaction's envelope invoked, read from its text (when its writer did not say). */
function chaincodeOfEnvelope(envelope: string): string | null {
  try {
    const name = (JSON.parse(envelope) as { proposal?: { chaincode?: unknown } }).proposal?.chaincode;
    return typeof name === 'string' ? name : null;
  } catch {
    return null;
  }
}

export class LedgerDatabase {
  readonly #db: Database.Database;
  readonly #statements: ReturnType<typeof prepare>;
  /** `key IN (...)` statements by number of placeholders (powers of two up to IN_LIMIT). */
  readonly #stateIn = new Map<number, Database.Statement>();
  readonly #txIdIn = new Map<number, Database.Statement>();
  /**
   * The last blocks this connection committed, as written: the block followers (the chain index, live feeds)
   * read each new block right after its commit, and find it here instead of reading it back.
   */
  readonly #recent = new Map<number, { block: StoredBlock; transactions: readonly StoredTransaction[] }>();
  readonly #blockFile: string;
  /** The envelopes' file: undefined on a read-only connection of a ledger that had none when it opened. */
  #blocks: BlockFile | undefined;

  private constructor(
    db: Database.Database,
    private readonly readonly: boolean,
    file: string,
  ) {
    this.#db = db;
    this.#statements = prepare(db);
    const end = this.#committedEnd();
    this.#blockFile = blockFilePath(file);
    this.#blocks = readonly
      ? BlockFile.openForReading(this.#blockFile, end)
      : BlockFile.openForWriting(this.#blockFile, end);
  }

  static open(file: string, options: DatabaseOptions = {}): LedgerDatabase {
    const db = new Database(file, options.readonly ? { readonly: true, fileMustExist: true } : {});
    if (!options.readonly) {
      db.pragma(`page_size = ${PAGE_SIZE}`); // takes effect only when the file is created
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
      migrate(db);
    }
    db.pragma('cache_size = -65536');
    db.pragma('temp_store = MEMORY'); // statement journals in memory, not in files under /var/tmp
    try {
      return new LedgerDatabase(db, options.readonly === true, file);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  /** The end of the envelopes committed transactions name in the block file (the last one's end). */
  #committedEnd(): number {
    const row = this.#statements.lastEnvelope.get() as
      { envelope_at: number | null; envelope_bytes: number | null } | undefined;
    return row?.envelope_at == null ? 0 : row.envelope_at + (row.envelope_bytes ?? 0);
  }

  /** A row's envelope: from the block file, or the row's own text (a ledger's envelopes from before the file). */
  #envelopeOf(row: Pick<TransactionRowRaw, 'envelope' | 'envelope_at' | 'envelope_bytes'>): string {
    if (row.envelope_at === null) return row.envelope;
    // a read-only connection opened before the writer made the file
    this.#blocks ??= BlockFile.openForReading(this.#blockFile, 0);
    if (!this.#blocks)
      throw new BlockFileError(`${this.#blockFile} is missing: it holds the ledger's envelopes`);
    return this.#blocks.read({ at: row.envelope_at, bytes: row.envelope_bytes ?? 0 });
  }

  #toTransaction(row: TransactionRowRaw): StoredTransaction {
    return toTransaction(row, this.#envelopeOf(row));
  }

  /** The `synchronous` setting in force (1 = NORMAL, 2 = FULL). */
  synchronousLevel(): number {
    return this.#db.pragma('synchronous', { simple: true }) as number;
  }

  height(): number {
    const row = this.#statements.lastBlockNumber.get() as { n: number | null };
    return row.n === null ? 0 : row.n + 1;
  }

  block(number: number): StoredBlock | undefined {
    const recent = this.#recent.get(number);
    if (recent) return recent.block;
    const row = this.#statements.block.get(number) as BlockRowRaw | undefined;
    return row && toBlock(row);
  }

  /** Up to `limit` blocks from `from` on, in order. */
  blocksFrom(from: number, limit: number): StoredBlock[] {
    return (this.#statements.blocksFrom.all(from, limit) as BlockRowRaw[]).map(toBlock);
  }

  transactionsOfBlock(number: number): StoredTransaction[] {
    const recent = this.#recent.get(number);
    if (recent) return recent.transactions.map(copyOfTransaction);
    return (this.#statements.transactionsOfBlock.all(number) as TransactionRowRaw[]).map((row) =>
      this.#toTransaction(row),
    );
  }

  /** Transactions of blocks `from`..`to` inclusive, in order. */
  transactionsOfBlocks(from: number, to: number): StoredTransaction[] {
    return (this.#statements.transactionsOfBlocks.all(from, to) as TransactionRowRaw[]).map((row) =>
      this.#toTransaction(row),
    );
  }

  /**
   * Chaincode events of valid transactions in blocks `from`..`to`, in order, with the chaincode namespace the
   * transaction invoked (no envelope text loaded).
   */
  eventsOfBlocks(
    from: number,
    to: number,
  ): (Omit<StoredTransaction, 'envelope'> & { readonly chaincodeName: string | null })[] {
    type EventRow = Omit<TransactionRowRaw, 'envelope'> & { chaincode_name: string | null };
    return (this.#statements.eventsOfBlocks.all(from, to) as EventRow[]).map((row) => ({
      ...toTransaction({ ...row, envelope: '' }, ''),
      chaincodeName: row.chaincode_name,
    }));
  }

  transactionById(txId: string): StoredTransaction | undefined {
    const row = this.#statements.transactionById.get(txId) as TransactionRowRaw | undefined;
    return row && this.#toTransaction(row);
  }

  /** The envelope text of the transaction at (block, index), or undefined. */
  envelopeAt(blockNumber: number, txIndex: number): string | undefined {
    const row = this.#statements.envelopeAt.get(blockNumber, txIndex) as
      Pick<TransactionRowRaw, 'envelope' | 'envelope_at' | 'envelope_bytes'> | undefined;
    return row && this.#envelopeOf(row);
  }

  hasTransaction(txId: string): boolean {
    return this.#statements.hasTxId.get(txId) !== undefined;
  }

  getState(key: string): VersionedValue | undefined {
    this.#sharedRead();
    const row = this.#statements.getState.get(keyBytes(key)) as StateRowRaw | undefined;
    return row && toVersioned(row);
  }

  /**
   * Point reads of many keys in a few statements (`key IN (...)` of up to {@link IN_LIMIT} keys each, in one
   * read transaction): an entry for every key, undefined when absent. Far cheaper than one `getState` each,
   * which pays a statement and a WAL read transaction per key.
   */
  getStates(keys: readonly string[]): Map<string, VersionedValue | undefined> {
    const distinct = [...new Set(keys)];
    if (distinct.length <= IN_LIMIT) {
      this.#sharedRead();
      return this.#readStates(distinct);
    }
    return this.#readStatesAtOnce(distinct);
  }

  /** Reads `keys` (distinct) in statements of up to IN_LIMIT keys. */
  #readStates(keys: readonly string[]): Map<string, VersionedValue | undefined> {
    const out = new Map<string, VersionedValue | undefined>();
    const encoded = keys.map(keyBytes);
    for (let from = 0; from < encoded.length; from += IN_LIMIT) {
      const chunk = encoded.slice(from, from + IN_LIMIT);
      const rows = this.#inStatement(chunk.length).all(...padded(chunk)) as StateRowRaw[];
      // matched by the UTF-8 bytes, which is what the keys are stored as
      const found = new Map(rows.map((row) => [row.key.toString('latin1'), row]));
      chunk.forEach((bytes, i) => {
        const row = found.get(bytes.toString('latin1'));
        out.set(keys[from + i]!, row && toVersioned(row));
      });
    }
    return out;
  }

  /** Several statements in one read transaction: one consistent state. */
  readonly #readStatesAtOnce = (keys: readonly string[]): Map<string, VersionedValue | undefined> =>
    this.#db.transaction(() => this.#readStates(keys))();

  /** The ids among `txIds` that a stored transaction already has. */
  knownTransactions(txIds: readonly string[]): Set<string> {
    const out = new Set<string>();
    for (let from = 0; from < txIds.length; from += IN_LIMIT) {
      const chunk = txIds.slice(from, from + IN_LIMIT);
      const size = statementSize(chunk.length);
      let statement = this.#txIdIn.get(size);
      if (!statement) {
        statement = this.#db.prepare(`SELECT tx_id FROM tx_by_id WHERE tx_id IN (${placeholders(size)})`);
        this.#txIdIn.set(size, statement);
      }
      for (const row of statement.all(...padded(chunk)) as { tx_id: string }[]) out.add(row.tx_id);
    }
    return out;
  }

  /**
   * On a read-only connection (an endorsement worker's), the state reads of one event-loop turn share one read
   * transaction, ended by setImmediate: each read then costs a statement, not also a WAL read transaction of its
   * own. They see committed state as of the turn's first read, as if made then; MVCC at commit catches any
   * change since, as for every simulation read; a new request ends it first (`endSharedRead`), so a request
   * never reads older state than was committed before it arrived. The writer's connection never does this: its reads must not
   * hold a transaction that a block commit would join.
   */
  /** Ends the shared read transaction, if any: the next read sees the latest commit (call on each new request). */
  endSharedRead(): void {
    if (this.readonly && this.#db.inTransaction) this.#db.exec('COMMIT');
  }

  #sharedRead(): void {
    if (!this.readonly || this.#db.inTransaction) return;
    this.#db.exec('BEGIN');
    setImmediate(() => {
      if (this.#db.open && this.#db.inTransaction) this.#db.exec('COMMIT');
    });
  }

  #inStatement(count: number): Database.Statement {
    const size = statementSize(count);
    let statement = this.#stateIn.get(size);
    if (!statement) {
      statement = this.#db.prepare(
        `SELECT key, value, block_num, tx_num, metadata FROM state WHERE key IN (${placeholders(size)})`,
      );
      this.#stateIn.set(size, statement);
    }
    return statement;
  }

  /**
   * Up to `limit` keys of [startKey, endKey) after `afterKey` (exclusive; undefined: from startKey), in UTF-8
   * byte order; endKey '' means unbounded.
   */
  statePage(startKey: string, endKey: string, afterKey: string | undefined, limit: number): VersionedKV[] {
    this.#sharedRead();
    const lower = keyBytes(afterKey ?? startKey);
    const rows = (
      endKey === ''
        ? afterKey === undefined
          ? this.#statements.rangeOpenFrom.all(lower, limit)
          : this.#statements.rangeOpenAfter.all(lower, limit)
        : afterKey === undefined
          ? this.#statements.rangeFrom.all(lower, keyBytes(endKey), limit)
          : this.#statements.rangeAfter.all(lower, keyBytes(endKey), limit)
    ) as StateRowRaw[];
    return rows.map((row) => ({ key: row.key.toString('utf8'), ...toVersioned(row) }));
  }

  /** Up to `limit` history entries of `key`, newest first, older than (blockNum, txNum) when given. */
  historyPage(
    key: string,
    before: { blockNum: number; txNum: number } | undefined,
    limit: number,
  ): HistoryRow[] {
    const rows = (
      before
        ? this.#statements.historyBefore.all(keyBytes(key), before.blockNum, before.txNum, limit)
        : this.#statements.historyLatest.all(keyBytes(key), limit)
    ) as HistoryRowRaw[];
    return rows.map((row) => ({
      blockNum: row.block_num,
      txNum: row.tx_num,
      txId: row.tx_id,
      isDelete: row.is_delete === 1,
      timestamp: { seconds: row.ts_seconds, nanos: row.ts_nanos },
    }));
  }

  /**
   * Writes a block with its transactions, state updates and history entries atomically; with a `budget`, the
   * CPU of each part is added to it (`commit.block`, `commit.state`, `commit.history`, and `commit.sqlite` for
   * SQLite's begin and commit).
   */
  commitBlock(
    block: StoredBlock,
    transactions: readonly StoredTransaction[],
    state: readonly StateWrite[],
    history: readonly HistoryWrite[],
    budget?: StageBudget,
  ): void {
    const lap = budget?.laps() ?? NO_LAPS;
    // the envelopes first, synced: a commit that survives names only bytes on disk (block-file.ts)
    const locations =
      transactions.length > 0 ? this.#writer().append(transactions.map((tx) => tx.envelope)) : [];
    lap('commit.envelopes');
    this.#db.transaction(() => {
      const s = this.#statements;
      lap('commit.sqlite');
      s.insertBlock.run(block.number, block.hash, block.header, block.metadata, block.txCount);
      transactions.forEach((tx, i) => this.#insertTransaction(tx, locations[i] as EnvelopeLocation));
      lap('commit.block');
      for (const w of state) {
        if (w.value === null) s.deleteState.run(keyBytes(w.key));
        else s.upsertState.run(keyBytes(w.key), w.value, w.blockNum, w.txNum, encodeMetadata(w.metadata));
      }
      lap('commit.state');
      for (const h of history) {
        const { seconds, nanos } = h.timestamp;
        s.insertHistory.run(keyBytes(h.key), h.blockNum, h.txNum, h.txId, h.isDelete ? 1 : 0, seconds, nanos);
      }
      lap('commit.history');
    })();
    lap('commit.sqlite');
    const last = locations[locations.length - 1];
    if (last) this.#writer().committed(last.at + last.bytes);
    this.#recent.set(block.number, { block, transactions });
    for (const old of this.#recent.keys()) {
      if (this.#recent.size <= RECENT_BLOCKS) break;
      this.#recent.delete(old);
    }
  }

  #insertTransaction(tx: StoredTransaction, envelope: EnvelopeLocation): void {
    const s = this.#statements;
    (s.insertTransaction as Database.Statement).run(
      tx.blockNumber,
      tx.txIndex,
      tx.txId,
      tx.validationCode,
      '',
      tx.eventName,
      tx.eventPayload,
      envelope.at,
      envelope.bytes,
      tx.chaincodeName === undefined ? chaincodeOfEnvelope(tx.envelope) : tx.chaincodeName,
    );
    s.insertTxId.run(tx.txId, tx.blockNumber, tx.txIndex);
  }

  #writer(): BlockFile {
    if (this.readonly || !this.#blocks) throw new Error('the ledger database is open for reading only');
    return this.#blocks;
  }

  /** Runs `PRAGMA <pragma>` on the connection (settings only: `wal_autocheckpoint = N`, ...). */
  pragma(pragma: string): void {
    this.#db.pragma(pragma);
  }

  /** The size of the file's pages, in bytes. */
  pageSize(): number {
    return this.#db.pragma('page_size', { simple: true }) as number;
  }

  /** Runs a WAL checkpoint (TRUNCATE) so the WAL file does not grow without bound. */
  checkpoint(): void {
    this.#db.pragma('wal_checkpoint(TRUNCATE)');
  }

  close(): void {
    this.#db.close();
    this.#blocks?.close();
  }
}

function migrate(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    throw new Error(
      `ledger database schema ${version} is newer than this hub understands (${SCHEMA_VERSION})`,
    );
  }
  if (version < SCHEMA_VERSION) {
    db.transaction(() => {
      if (version === 1) {
        // a ledger from before the block file: its envelopes stay in the table, new ones go to the file
        for (const column of ['envelope_at INTEGER', 'envelope_bytes INTEGER', 'chaincode_name TEXT'])
          db.exec(`ALTER TABLE transactions ADD COLUMN ${column}`);
      } else {
        db.exec(SCHEMA);
      }
      db.pragma(`user_version = ${SCHEMA_VERSION}`);
    })();
  }
}

function prepare(db: Database.Database) {
  const stateColumns = 'key, value, block_num, tx_num, metadata';
  const historyColumns = 'block_num, tx_num, tx_id, is_delete, ts_seconds, ts_nanos';
  const hasSchema = db.prepare("SELECT name FROM sqlite_master WHERE name = 'blocks'").get() !== undefined;
  if (!hasSchema) throw new Error('the ledger database has no schema (was it ever opened for writing?)');
  // a read-only connection of a ledger from before the block file (schema 1, not opened for writing since)
  const located = db
    .prepare("SELECT 1 FROM pragma_table_info('transactions') WHERE name = 'envelope_at'")
    .get();
  const location = located ? 'envelope_at, envelope_bytes' : 'NULL AS envelope_at, NULL AS envelope_bytes';
  const txColumns = `block_number, tx_index, tx_id, validation_code, envelope, event_name, event_payload, ${location}`;
  const chaincodeName = located
    ? "CASE WHEN envelope_at IS NULL THEN json_extract(envelope, '$.proposal.chaincode') ELSE chaincode_name END"
    : "json_extract(envelope, '$.proposal.chaincode')";
  return {
    lastBlockNumber: db.prepare('SELECT max(number) AS n FROM blocks'),
    block: db.prepare('SELECT * FROM blocks WHERE number = ?'),
    blocksFrom: db.prepare('SELECT * FROM blocks WHERE number >= ? ORDER BY number LIMIT ?'),
    transactionsOfBlock: db.prepare(
      `SELECT ${txColumns} FROM transactions WHERE block_number = ? ORDER BY tx_index`,
    ),
    transactionsOfBlocks: db.prepare(
      `SELECT ${txColumns} FROM transactions WHERE block_number BETWEEN ? AND ? ORDER BY block_number, tx_index`,
    ),
    eventsOfBlocks: db.prepare(
      `SELECT block_number, tx_index, tx_id, validation_code, event_name, event_payload, ${location},
              ${chaincodeName} AS chaincode_name
       FROM transactions
       WHERE block_number BETWEEN ? AND ? AND event_name IS NOT NULL AND validation_code = 'VALID'
       ORDER BY block_number, tx_index`,
    ),
    transactionById: db.prepare(
      `SELECT t.block_number, t.tx_index, t.tx_id, t.validation_code, t.envelope, t.event_name, t.event_payload,
              ${located ? 't.envelope_at, t.envelope_bytes' : location}
       FROM tx_by_id i JOIN transactions t ON t.block_number = i.block_number AND t.tx_index = i.tx_index
       WHERE i.tx_id = ?`,
    ),
    hasTxId: db.prepare('SELECT 1 FROM tx_by_id WHERE tx_id = ?'),
    getState: db.prepare(`SELECT ${stateColumns} FROM state WHERE key = ?`),
    rangeFrom: db.prepare(
      `SELECT ${stateColumns} FROM state WHERE key >= ? AND key < ? ORDER BY key LIMIT ?`,
    ),
    rangeAfter: db.prepare(
      `SELECT ${stateColumns} FROM state WHERE key > ? AND key < ? ORDER BY key LIMIT ?`,
    ),
    rangeOpenFrom: db.prepare(`SELECT ${stateColumns} FROM state WHERE key >= ? ORDER BY key LIMIT ?`),
    rangeOpenAfter: db.prepare(`SELECT ${stateColumns} FROM state WHERE key > ? ORDER BY key LIMIT ?`),
    historyLatest: db.prepare(
      `SELECT ${historyColumns} FROM history WHERE key = ? ORDER BY block_num DESC, tx_num DESC LIMIT ?`,
    ),
    historyBefore: db.prepare(
      `SELECT ${historyColumns} FROM history WHERE key = ? AND (block_num, tx_num) < (?, ?)
       ORDER BY block_num DESC, tx_num DESC LIMIT ?`,
    ),
    insertBlock: db.prepare(
      'INSERT INTO blocks (number, hash, header, metadata, tx_count) VALUES (?, ?, ?, ?, ?)',
    ),
    // prepared on a writer's connection only (migrated: the columns exist)
    insertTransaction: located
      ? db.prepare(
          `INSERT INTO transactions (${txColumns}, chaincode_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
      : undefined,
    insertTxId: db.prepare('INSERT OR IGNORE INTO tx_by_id (tx_id, block_number, tx_index) VALUES (?, ?, ?)'),
    upsertState: db.prepare(
      `INSERT INTO state (${stateColumns}) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, block_num = excluded.block_num,
       tx_num = excluded.tx_num, metadata = excluded.metadata`,
    ),
    deleteState: db.prepare('DELETE FROM state WHERE key = ?'),
    insertHistory: db.prepare(`INSERT INTO history (key, ${historyColumns}) VALUES (?, ?, ?, ?, ?, ?, ?)`),
    envelopeAt: db.prepare(
      `SELECT envelope, ${location} FROM transactions WHERE block_number = ? AND tx_index = ?`,
    ),
    lastEnvelope: db.prepare(
      `SELECT ${location} FROM transactions ORDER BY block_number DESC, tx_index DESC LIMIT 1`,
    ),
  };
}

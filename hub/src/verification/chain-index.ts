/**
 * The hub's index of what is on the chain: every anchored milestone, certificate (with its revocation) and
 * credit evaluation, every recognition, found by commitment, document digest, project and credit code, with
 * the transaction and block that recorded it. It is derived from committed blocks only (see
 * `chain-indexer.ts`) and can be deleted at any time: it is rebuilt from block 0. It lives in its own SQLite
 * file, `<dataDir>/hub/chain-index.sqlite`, so that verification and the read routes answer in microseconds
 * instead of running a chaincode query (milliseconds) per request. Proofs never rely on it: bundles are built
 * from the blocks themselves.
 *
 * `anchors` holds the current version of each key (a correction, 更正, replaces the row); `anchor_versions`
 * keeps each superseded version's anchoring (transaction, block, anchor) with the version, transaction and
 * block that superseded it, so that any version can be proven, found by its commitment, and the status tree
 * can say which version superseded which. Only corrections write there: a first version costs nothing more.
 * An index written before `anchor_versions` existed is emptied and rebuilt from block 0 when opened, so that it
 * holds the versions of every block.
 *
 * Every read a request makes is a lookup by key or a range of one block, never a pass over every anchor: by hash
 * and by project through two-level indexes (`anchor-hashes.ts`, `project-anchors.ts`), which the writer appends
 * to instead of writing a random page per anchor; by transaction through the rows of its block; the counts
 * `stats()` reports are kept by the writer (`chain-counts.ts`).
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  type CreditLevel,
  type Decision,
  type DepartmentCode,
  type RecognitionOutcome,
  type RecognitionSubjectType,
  type RegionCode,
  type StageCode,
} from '@approval-ledger/protocol';
import { type BlockSummary, type RecognitionState } from '@approval-ledger/protocol/api';
import Database from 'better-sqlite3';
import { SQLITE_MMAP_BYTES } from '../sqlite/mmap-size';
import { WalCheckpointer, writerAutoCheckpointPragma } from '../sqlite/wal-checkpointer';
import { RecentKeys } from './recent-keys';
import { AnchorHashes, ANCHOR_HASHES_SCHEMA, type HashMatch } from './anchor-hashes';
import { ChainCounts, COUNTS_SCHEMA } from './chain-counts';
import { ProjectAnchors, PROJECT_ANCHORS_SCHEMA } from './project-anchors';

export type AnchorKind = 'milestone' | 'certificate' | 'credit';

/** A name for search (project, applicant, holder) and the project it belongs to. */
export interface IndexName {
  readonly projectCode: string;
  readonly name: string;
}

/** One anchored record as the chain holds it. */
export interface IndexedAnchor {
  readonly kind: AnchorKind;
  /** Milestone id, certificate number, credit evaluation id. */
  readonly key: string;
  readonly commitment: string;
  readonly region: RegionCode;
  readonly dept: DepartmentCode | null;
  readonly projectCode: string | null;
  /** Applicant (milestone), holder (certificate) or evaluated enterprise (credit). */
  readonly uscc: string | null;
  readonly stage: StageCode | null;
  /** A milestone's decision, a credit evaluation's level. */
  readonly decision: Decision | CreditLevel | null;
  /** decidedAt / issuedAt / evaluatedAt, as written. */
  readonly decidedAt: string | null;
  readonly validFrom: string | null;
  readonly validUntil: string | null;
  readonly txId: string;
  readonly blockNumber: number;
  readonly txIndex: number;
  /** The proposal time of the recording transaction (ISO UTC). */
  readonly recordedAt: string;
  readonly revokedAt: string | null;
  readonly revocationReason: string | null;
  readonly revocationTxId: string | null;
  readonly revocationBlock: number | null;
  /** The anchor exactly as submitted (canonical JSON). */
  readonly anchorJson: string;
  readonly documentDigests: string[];
  /** MSP IDs of the organisations that endorsed the recording transaction. */
  readonly endorsers: string[];
  /** MSP ID of the submitting client. */
  readonly creator: string | null;
}

/** One version of a milestone or certificate, as the transaction that anchored it recorded it. */
export interface IndexedVersion {
  readonly kind: AnchorKind;
  readonly key: string;
  readonly version: number;
  readonly commitment: string;
  readonly txId: string;
  readonly blockNumber: number;
  readonly txIndex: number;
  readonly recordedAt: string;
  /** The anchor exactly as submitted (canonical JSON). */
  readonly anchorJson: string;
  /** The next version, which superseded this one, and where it was anchored; null for the current version. */
  readonly supersededBy: { readonly version: number; readonly txId: string; readonly block: number } | null;
}

/** A committed block, summarised: the API's block summary (records: new anchors; time: latest proposal). */
export type IndexedBlock = BlockSummary;

export interface IndexedRecognition {
  readonly id: string;
  readonly subjectType: RecognitionSubjectType;
  readonly subjectId: string;
  readonly sourceRegion: RegionCode;
  readonly targetRegion: RegionCode;
  /** PENDING | RECOGNISED | REJECTED (SOURCE_REVOKED is derived from the subject's revocation). */
  readonly outcome: RecognitionState;
  readonly requestTxId: string;
  readonly requestedAt: string;
  readonly decisionTxId: string | null;
  readonly decidedAt: string | null;
  readonly requestJson: string;
  readonly decisionJson: string | null;
}

/** Where a page of milestone facts ends. */
export interface MilestoneCursor {
  readonly projectCode: string;
  readonly decidedAt: string;
  readonly key: string;
}

/** One milestone for stage statistics. */
export interface MilestoneFact {
  readonly projectCode: string;
  readonly stage: string;
  readonly dept: string;
  readonly decision: string;
  readonly decidedAt: string;
}

export interface ChainStats {
  readonly milestones: number;
  readonly certificates: number;
  readonly revokedCertificates: number;
  readonly credits: number;
  readonly projects: number;
  readonly recognitions: number;
  readonly byRegion: Readonly<Record<string, number>>;
  /** Anchored records by department (records without one, such as credit events, are not counted). */
  readonly byDept: Readonly<Record<string, number>>;
}

type Row = Record<string, unknown>;

/**
 * `anchors` is a rowid table: its rows (about 1 KB: the anchor's JSON, documents, endorsers) are appended in block
 * order, and (kind, key) is a unique index of small entries. Clustered on (kind, key) (WITHOUT ROWID, until
 * 2026-12), every anchor went into the leaf of its random key, among rows so large that a leaf held three and
 * split every other insert. Measured for issue 16 (500,000 anchors with random keys, 145 per block, one
 * process): 66 µs and 41.6 KB written per anchor at the last 100,000 against 96 µs and 72.7 KB. An index made
 * with the clustered table is rebuilt in place when opened (`rowidAnchorsFrom`).
 */
const ANCHORS_TABLE = `
CREATE TABLE IF NOT EXISTS anchors (
  kind TEXT NOT NULL, key TEXT NOT NULL, commitment TEXT NOT NULL, region TEXT NOT NULL, dept TEXT,
  project_code TEXT, uscc TEXT, stage TEXT, decision TEXT, decided_at TEXT, valid_from TEXT, valid_until TEXT,
  tx_id TEXT NOT NULL, block_number INTEGER NOT NULL, tx_index INTEGER NOT NULL, recorded_at TEXT NOT NULL,
  revoked_at TEXT, revocation_reason TEXT, revocation_tx_id TEXT, revocation_block INTEGER,
  anchor_json TEXT NOT NULL, documents TEXT NOT NULL, endorsers TEXT NOT NULL, creator TEXT,
  UNIQUE (kind, key)
);
`;

/** Every column of `anchors`, in table order. */
const ANCHOR_COLUMNS =
  'kind, key, commitment, region, dept, project_code, uscc, stage, decision, decided_at, valid_from, ' +
  'valid_until, tx_id, block_number, tx_index, recorded_at, revoked_at, revocation_reason, revocation_tx_id, ' +
  'revocation_block, anchor_json, documents, endorsers, creator';

/**
 * The indexes on `anchors` (dropped with the clustered table when it is rebuilt). `ix_anchors_commitment` is
 * made no more: lookups by hash go through `anchor-hashes.ts`; nor `ix_anchors_project_time`: a project's anchors
 * go through `project-anchors.ts`; nor `ix_anchors_uscc`: projects by credit code go through `applicants`, one
 * row per (credit code, project) where the index had an entry per anchor on a random key (a project's anchors
 * share their applicant, so after a project's first anchor the insert writes nothing).
 */
const ANCHOR_INDEXES = [
  'ix_anchors_commitment',
  'ix_anchors_project_time',
  'ix_anchors_uscc',
  'ix_anchors_revoking',
  'ix_anchors_block',
  'ix_anchors_revocation',
];

const SCHEMA = `${ANCHORS_TABLE}
DROP INDEX IF EXISTS ix_anchors_project;
CREATE TABLE IF NOT EXISTS applicants (
  uscc TEXT NOT NULL, project_code TEXT NOT NULL, PRIMARY KEY (uscc, project_code)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS ix_anchors_revoking ON anchors (project_code)
  WHERE kind = 'milestone' AND decision = 'REVOKED';
CREATE INDEX IF NOT EXISTS ix_anchors_block ON anchors (block_number, tx_index);
CREATE INDEX IF NOT EXISTS ix_anchors_revocation ON anchors (revocation_block) WHERE revocation_block IS NOT NULL;
CREATE TABLE IF NOT EXISTS recognitions (
  id TEXT PRIMARY KEY, subject_type TEXT NOT NULL, subject_id TEXT NOT NULL, source_region TEXT NOT NULL,
  target_region TEXT NOT NULL, outcome TEXT NOT NULL, request_tx_id TEXT NOT NULL, requested_at TEXT NOT NULL,
  decision_tx_id TEXT, decided_at TEXT, request_json TEXT NOT NULL, decision_json TEXT
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS ix_recognitions_subject ON recognitions (subject_type, subject_id);
CREATE TABLE IF NOT EXISTS names (
  project_code TEXT NOT NULL, name TEXT NOT NULL, PRIMARY KEY (name, project_code)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS blocks (
  number INTEGER PRIMARY KEY, hash TEXT NOT NULL, previous_hash TEXT NOT NULL, data_hash TEXT NOT NULL,
  tx_count INTEGER NOT NULL, valid_tx_count INTEGER NOT NULL, records INTEGER NOT NULL, time TEXT, signers TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS anchor_versions (
  kind TEXT NOT NULL, key TEXT NOT NULL, version INTEGER NOT NULL, commitment TEXT NOT NULL, tx_id TEXT NOT NULL,
  block_number INTEGER NOT NULL, tx_index INTEGER NOT NULL, recorded_at TEXT NOT NULL, anchor_json TEXT NOT NULL,
  superseded_by INTEGER NOT NULL, superseded_tx_id TEXT NOT NULL, superseded_block INTEGER NOT NULL,
  PRIMARY KEY (kind, key, version)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS ix_anchor_versions_commitment ON anchor_versions (commitment);
${ANCHOR_HASHES_SCHEMA}${PROJECT_ANCHORS_SCHEMA}${COUNTS_SCHEMA}`;

/**
 * (credit code, project) pairs a `ChainIndex` remembers as written, per generation of `RecentKeys`: a project's
 * anchors share its applicant, so after its first anchor each would be an `INSERT OR IGNORE` that finds the row.
 * At most twice 65,536 pairs: 24 MB of the writer thread's heap once full.
 */
const APPLICANTS_REMEMBERED = 65_536;

/** The key of a (credit code, project) pair in `#applicants`. */
const applicantPair = (uscc: string, projectCode: string): string => `${uscc}\u0000${projectCode}`;

/** Projects `milestoneFacts` reads from `projects` at a time. */
const PROJECTS_PER_READ = 64;

/** The tables a rebuild empties (everything derived from blocks). */
const DERIVED_TABLES = ['anchors', 'recognitions', 'blocks', 'anchor_versions', 'applicants', 'counts'];

export function chainIndexPath(dataDir: string): string {
  return join(dataDir, 'hub', 'chain-index.sqlite');
}

export class ChainIndex {
  readonly #db: Database.Database;
  readonly #statements = new Map<string, Database.Statement>();
  /** WAL checkpoints in a worker thread: the indexer's commits never copy the WAL on the main thread. */
  readonly #checkpointer: WalCheckpointer | undefined;

  /** `kind|id` of every subject with a recognition: most lookups need no query. */
  readonly #recognised = new Set<string>();
  /**
   * Projects with a REVOKED milestone, and whether any version was ever superseded: both are rare, and
   * verification asks about them for every hash (measured: 2-6 µs of its ~60 per request at 100,000-1,000,000
   * records). Like `#recognised`, each may hold more than the tables (an `applyBlock` rolled back), never less:
   * a yes still asks the table.
   */
  readonly #revokingProjects = new Set<string>();
  #versioned: boolean;
  /** Lookups by commitment and document digest (the log and the main level, `anchor-hashes.ts`). */
  readonly #hashes: AnchorHashes;
  /** A project's anchors (the log and the main level, `project-anchors.ts`) and the set of projects. */
  readonly #projects: ProjectAnchors;
  /** What `stats()` reads, kept per block by the writer. */
  readonly #counts: ChainCounts;
  /** Depth of `inOneTransaction` calls: inside one, blocks leave the merges to their end. */
  #batching = 0;
  /**
   * (credit code, project) pairs known to be in `applicants`, so that a project's later anchors skip their
   * `INSERT OR IGNORE`: only pairs a committed transaction wrote (`#applicantsPending` holds those of the open
   * one until it commits, and is dropped if it fails), never one a correction has since taken away.
   */
  readonly #applicants = new RecentKeys(APPLICANTS_REMEMBERED);
  #applicantsPending: string[] = [];

  private constructor(
    db: Database.Database,
    checkpointer: WalCheckpointer | undefined,
    hashes: { readonly minLogEntries?: number; readonly announcedWrites?: boolean },
  ) {
    this.#db = db;
    this.#checkpointer = checkpointer;
    this.#hashes = new AnchorHashes(db, hashes);
    this.#projects = new ProjectAnchors(db, hashes);
    this.#counts = new ChainCounts(db);
    for (const row of this.#all('SELECT DISTINCT subject_type, subject_id FROM recognitions', [])) {
      this.#recognised.add(`${String(row.subject_type)}|${String(row.subject_id)}`);
    }
    const revoking = this.#all(
      "SELECT DISTINCT project_code FROM anchors WHERE kind = 'milestone' AND decision = 'REVOKED'",
      [],
    );
    for (const row of revoking) this.#revokingProjects.add(String(row.project_code));
    this.#versioned = this.#get('SELECT 1 AS v FROM anchor_versions LIMIT 1', []) !== undefined;
  }

  /**
   * Opens (creating or converting) the index at `file`. `checkpoints: false` opens a second connection to a file
   * whose first connection runs its WAL checkpointer (the writer thread's, `chain-index-writer.ts`).
   */
  static open(
    file: string,
    options: {
      readonly checkpoints?: boolean;
      /**
       * The smallest log of a partition that is merged into its main level, in the hash and project indexes
       * (`two-level-index.ts`; tests make it small).
       */
      readonly minHashLogEntries?: number;
      /**
       * Whoever opens it calls `writesCommitted()` after every commit another connection makes to the file (the
       * hub's chain indexer does, for its writer thread): lookups by hash read the log's new rows only then.
       * Without it (the default) every lookup reads them.
       */
      readonly announcedWrites?: boolean;
    } = {},
  ): ChainIndex {
    mkdirSync(dirname(file), { recursive: true });
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('cache_size = -32768');
    db.pragma('temp_store = MEMORY'); // statement journals in memory, not in files under /var/tmp
    // reads through a memory map (verification's random lookups): no read() call and copy per page
    db.pragma(`mmap_size = ${SQLITE_MMAP_BYTES}`);
    const versioned = db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'anchor_versions'")
      .get();
    db.transaction(() => {
      const usccIndexed = hasIndex(db, 'ix_anchors_uscc');
      const projectsMade = hasTable(db, 'projects');
      const counted = hasTable(db, 'counts');
      const clustered = rowidAnchorsFrom(db);
      db.exec(SCHEMA);
      if (clustered) {
        db.exec(`INSERT INTO anchors (${ANCHOR_COLUMNS}) SELECT ${ANCHOR_COLUMNS} FROM ${clustered}
                 ORDER BY block_number, tx_index, kind, key`);
        db.exec(`DROP TABLE ${clustered}`);
      }
      if (usccIndexed) applicantsFromAnchors(db);
      // entries name anchors' rowids: made anew for an index without them, and for anchors copied anew
      if (!projectsMade || clustered) ProjectAnchors.migrate(db);
      if (!counted) ChainCounts.fill(db);
      AnchorHashes.migrate(db);
    })();
    if (!versioned) rebuildFromGenesis(db);
    const hashes = { minLogEntries: options.minHashLogEntries, announcedWrites: options.announcedWrites };
    if (file === ':memory:') return new ChainIndex(db, undefined, hashes);
    db.pragma(writerAutoCheckpointPragma(db.pragma('page_size', { simple: true }) as number));
    const checkpointer = options.checkpoints === false ? undefined : WalCheckpointer.start(file);
    return new ChainIndex(db, checkpointer, hashes);
  }

  /** The next block to index (0 for an empty index). */
  get nextBlock(): number {
    const row = this.#get('SELECT value FROM meta WHERE key = ?', ['nextBlock']);
    return row ? Number(row.value) : 0;
  }

  /** Applies one block's changes and moves the cursor past it, atomically. */
  applyBlock(block: IndexedBlock, changes: IndexChanges): void {
    const blockNumber = block.number;
    this.#writeTransaction(() => {
      this.#counts.reset();
      this.#run(
        `INSERT OR REPLACE INTO blocks (number, hash, previous_hash, data_hash, tx_count, valid_tx_count, records, time, signers)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          block.number,
          block.hash,
          block.previousHash,
          block.dataHash,
          block.txCount,
          block.validTxCount,
          changes.anchors.length,
          block.time,
          JSON.stringify(block.signers),
        ],
      );
      for (const anchor of changes.anchors) this.#insertAnchor(anchor);
      for (const r of changes.revocations) this.#revoke(r);
      for (const r of changes.recognitions) {
        this.#upsertRecognition(r);
        this.#recognised.add(`${r.subjectType}|${r.subjectId}`);
      }
      for (const d of changes.decisions) this.#decide(d);
      this.#counts.flush();
      this.#run(
        'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
        ['nextBlock', String(blockNumber + 1)],
      );
      // one merge of each index a transaction: in inOneTransaction, once after all its blocks
      if (this.#batching === 0) this.#mergeIfDue();
    });
  }

  /**
   * Runs `work` (applyBlock and addNames calls) in one SQLite transaction: the writer thread commits the blocks
   * and names queued while it was busy together, so a page they share is written once.
   */
  inOneTransaction(work: () => void): void {
    this.#writeTransaction(() => {
      this.#batching++;
      try {
        work();
      } finally {
        this.#batching--;
      }
      if (this.#batching === 0) this.#mergeIfDue();
    });
  }

  /**
   * Runs `work` in a transaction (a savepoint inside another). Once the outermost one has committed, the
   * applicants it wrote are known; if any level fails, none written since the last commit is (a pair forgotten
   * so only costs its `INSERT OR IGNORE` again).
   */
  #writeTransaction(work: () => void): void {
    const outermost = !this.#db.inTransaction;
    try {
      this.#db.transaction(work)();
    } catch (error) {
      this.#applicantsPending = [];
      throw error;
    }
    if (!outermost) return;
    for (const pair of this.#applicantsPending) this.#applicants.add(pair);
    this.#applicantsPending = [];
  }

  #mergeIfDue(): void {
    this.#hashes.mergeIfDue();
    this.#projects.mergeIfDue();
  }

  /**
   * Takes in what another connection is about to write (`changes` of a block the writer thread applies): the
   * in-memory sets of recognised subjects, revoking projects and whether any version was superseded grow
   * before the rows are visible here, as they may hold more than the tables but never less. `laterVersions`:
   * the block may supersede a version (block-changes.ts `expectedChanges`, which reads only some transactions).
   */
  expect(changes: IndexChanges, laterVersions = false): void {
    if (laterVersions) this.#versioned = true;
    for (const r of changes.recognitions) this.#recognised.add(`${r.subjectType}|${r.subjectId}`);
    for (const a of changes.anchors) {
      if (a.kind === 'milestone' && a.decision === 'REVOKED' && a.projectCode !== null)
        this.#revokingProjects.add(a.projectCode);
      // any "version" that is not 1, at any depth (no parse per anchor): a yes too many only costs a query
      if (!this.#versioned && LATER_VERSION.test(a.anchorJson)) this.#versioned = true;
    }
  }

  /** Another connection committed writes to the file (see `open`'s `announcedWrites`). */
  writesCommitted(): void {
    this.#hashes.writesCommitted();
    this.#projects.writesCommitted();
  }

  /** Remembers names (project, applicant, holder) for search; fed by ingest from the off-chain records. */
  addNames(entries: readonly IndexName[]): void {
    this.#db.transaction(() => {
      for (const e of entries)
        this.#run('INSERT OR IGNORE INTO names (project_code, name) VALUES (?, ?)', [e.projectCode, e.name]);
    })();
  }

  /**
   * Anchors whose commitment, or one of whose documents, has this SHA-256: the commitment's first, then the
   * documents', each in (kind, key) order.
   */
  byHash(sha256: string): { anchor: IndexedAnchor; matchedBy: 'commitment' | 'document' }[] {
    return this.#hashed(sha256, () => true).map(({ anchor, byDocument }) => ({
      anchor,
      matchedBy: byDocument ? 'document' : 'commitment',
    }));
  }

  byCommitment(commitment: string): IndexedAnchor[] {
    return this.#hashed(commitment, (entry) => !entry.byDocument).map((found) => found.anchor);
  }

  byDocument(sha256: string): IndexedAnchor[] {
    return this.#hashed(sha256, (entry) => entry.byDocument).map((found) => found.anchor);
  }

  /**
   * The anchors the hash entries name, each (anchor, commitment or document) once, in that order. A commitment
   * entry counts while it is the anchor's current commitment (a correction replaces it; `supersededByCommitment`
   * finds the older ones); a document entry counts while the anchor exists, as `anchor_documents`' rows did.
   */
  #hashed(
    sha256: string,
    wanted: (match: HashMatch) => boolean,
  ): { anchor: IndexedAnchor; byDocument: boolean }[] {
    const matches = this.#hashes
      .lookup(sha256)
      .filter((m) => wanted(m) && (m.byDocument || m.row.commitment === sha256));
    const order = (m: HashMatch): string =>
      `${m.byDocument ? 1 : 0}\u0000${String(m.row.kind)}\u0000${String(m.row.key)}`;
    if (matches.length > 1) matches.sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
    const found = matches.filter((m, i) => i === 0 || order(m) !== order(matches[i - 1] as HashMatch));
    return found.map(({ row, byDocument }) => ({ anchor: toAnchor(row), byDocument }));
  }

  get(kind: AnchorKind, key: string): IndexedAnchor | undefined {
    const row = this.#get('SELECT * FROM anchors WHERE kind = ? AND key = ?', [kind, key]);
    return row && toAnchor(row);
  }

  byProject(projectCode: string): IndexedAnchor[] {
    return this.#projects.rows(projectCode, '', {}).map(toAnchor);
  }

  /**
   * The REVOKED milestones of a project, from a partial index that holds only those: answering "none" (the
   * common case, asked on every verification of a milestone) reads no anchor row.
   */
  revokingMilestones(projectCode: string): IndexedAnchor[] {
    if (!this.#revokingProjects.has(projectCode)) return [];
    return this.#all(
      `SELECT * FROM anchors WHERE project_code = ? AND kind = 'milestone' AND decision = 'REVOKED'
       ORDER BY decided_at, key`,
      [projectCode],
    ).map(toAnchor);
  }

  /** Certificates whose revocation is indexed, in key order (the status tree's source of REVOKED certificates). */
  revokedCertificates(): IndexedAnchor[] {
    // through the revoked rows only: given `kind = ?`, the planner would take the (kind, key) index and read
    // every certificate's row (at each checkpoint, which asks for its status entries)
    return this.#all(
      `SELECT * FROM anchors INDEXED BY ix_anchors_revocation
       WHERE kind = 'certificate' AND revocation_block IS NOT NULL ORDER BY key`,
      [],
    ).map(toAnchor);
  }

  /** Every anchored version of a key, oldest first, the current one last. */
  versions(kind: AnchorKind, key: string): IndexedVersion[] {
    const current = this.get(kind, key);
    if (!current) return [];
    const superseded = this.#all(
      'SELECT * FROM anchor_versions WHERE kind = ? AND key = ? ORDER BY version',
      [kind, key],
    ).map(toVersion);
    return [...superseded, currentVersion(current)];
  }

  /** One anchored version of a key. */
  version(kind: AnchorKind, key: string, version: number): IndexedVersion | undefined {
    const current = this.get(kind, key);
    if (current && versionOfJson(current.anchorJson) === version) return currentVersion(current);
    const row = this.#get('SELECT * FROM anchor_versions WHERE kind = ? AND key = ? AND version = ?', [
      kind,
      key,
      version,
    ]);
    return row && toVersion(row);
  }

  /** Superseded versions whose commitment is this hash (an older version asked about by its commitment). */
  supersededByCommitment(commitment: string): IndexedVersion[] {
    if (!this.#versioned) return [];
    return this.#all('SELECT * FROM anchor_versions WHERE commitment = ?', [commitment]).map(toVersion);
  }

  /** The versions superseded by a version recorded in a block below `size` (the SUPERSEDED status entries). */
  supersededVersions(size: number): IndexedVersion[] {
    return this.#all('SELECT * FROM anchor_versions WHERE superseded_block < ? ORDER BY kind, key, version', [
      size,
    ]).map(toVersion);
  }

  /** Projects with at least one REVOKED milestone (from the partial index of those). */
  projectsWithRevokingMilestones(): string[] {
    return this.#all(
      `SELECT DISTINCT project_code FROM anchors WHERE kind = 'milestone' AND decision = 'REVOKED'
       AND project_code IS NOT NULL ORDER BY project_code`,
      [],
    ).map((row) => String(row.project_code));
  }

  recognitionsOf(subjectType: string, subjectId: string): IndexedRecognition[] {
    if (!this.#recognised.has(`${subjectType}|${subjectId}`)) return [];
    return this.#all('SELECT * FROM recognitions WHERE subject_type = ? AND subject_id = ? ORDER BY id', [
      subjectType,
      subjectId,
    ]).map(toRecognition);
  }

  /** Recognitions by source and target region (either may be undefined for any), in id order. */
  recognitionsWhere(source: string | undefined, target: string | undefined): IndexedRecognition[] {
    return this.#all(
      'SELECT * FROM recognitions WHERE (? IS NULL OR source_region = ?) AND (? IS NULL OR target_region = ?) ORDER BY id',
      [source ?? null, source ?? null, target ?? null, target ?? null],
    ).map(toRecognition);
  }

  recognition(id: string): IndexedRecognition | undefined {
    const row = this.#get('SELECT * FROM recognitions WHERE id = ?', [id]);
    return row && toRecognition(row);
  }

  /** Project codes matching a code prefix, a credit code, or a (project, applicant, holder) name fragment. */
  searchProjects(query: string, limit: number): string[] {
    const like = `%${query.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
    const rows = this.#all(
      `SELECT project_code FROM (
         SELECT project_code FROM projects WHERE project_code LIKE ? ESCAPE '\\'
         UNION SELECT project_code FROM applicants WHERE uscc = ?
         UNION SELECT DISTINCT project_code FROM names WHERE name LIKE ? ESCAPE '\\'
       ) ORDER BY project_code DESC LIMIT ?`,
      [`${query.replace(/[%_\\]/g, (c) => `\\${c}`)}%`, query.toUpperCase(), like, limit],
    );
    return rows.map((r) => String(r.project_code));
  }

  /**
   * One page of milestones in (project, decision time, id) order after `after`, for stage statistics: callers
   * page through, yielding between pages, so a pass over a million milestones never blocks the hub. Projects
   * come from `projects` in code order, each one's milestones from its entries (`project-anchors.ts`).
   */
  milestoneFacts(
    after: MilestoneCursor | undefined,
    limit: number,
  ): { facts: MilestoneFact[]; next?: MilestoneCursor } {
    const facts: MilestoneFact[] = [];
    let last: Row | undefined;
    let from = after?.projectCode ?? '';
    let inclusive = true;
    for (;;) {
      const codes = this.#all(
        `SELECT project_code FROM projects WHERE project_code ${inclusive ? '>=' : '>'} ? ORDER BY project_code
         LIMIT ${PROJECTS_PER_READ}`,
        [from],
      ).map((row) => String(row.project_code));
      for (const code of codes) {
        for (const row of this.#milestonesOf(code, after, limit - facts.length)) {
          facts.push({
            projectCode: code,
            stage: String(row.stage),
            dept: String(row.dept),
            decision: String(row.decision),
            decidedAt: String(row.decided_at),
          });
          last = row;
        }
        if (facts.length === limit && last !== undefined)
          return {
            facts,
            next: { projectCode: code, decidedAt: String(last.decided_at), key: String(last.key) },
          };
      }
      if (codes.length < PROJECTS_PER_READ) return { facts };
      from = codes[codes.length - 1] as string;
      inclusive = false;
    }
  }

  /** A project's milestones in (decision time, key) order, after the cursor's when it is in that project. */
  #milestonesOf(code: string, after: MilestoneCursor | undefined, limit: number): Row[] {
    if (after === undefined || code !== after.projectCode)
      return this.#projects.rows(code, "AND a.kind = 'milestone'", {}, limit);
    return this.#projects.rows(
      code,
      "AND a.kind = 'milestone' AND (a.decided_at, a.key) > (@decidedAt, @key)",
      { decidedAt: after.decidedAt, key: after.key },
      limit,
    );
  }

  /** Anchors in key order after `after`, for reconciliation passes. */
  page(after: { kind: string; key: string } | undefined, limit: number): IndexedAnchor[] {
    const rows = after
      ? this.#all('SELECT * FROM anchors WHERE (kind, key) > (?, ?) ORDER BY kind, key LIMIT ?', [
          after.kind,
          after.key,
          limit,
        ])
      : this.#all('SELECT * FROM anchors ORDER BY kind, key LIMIT ?', [limit]);
    return rows.map(toAnchor);
  }

  /** Blocks below `before` (default: all), newest first. */
  blocks(before: number | undefined, limit: number): IndexedBlock[] {
    const rows =
      before === undefined
        ? this.#all('SELECT * FROM blocks ORDER BY number DESC LIMIT ?', [limit])
        : this.#all('SELECT * FROM blocks WHERE number < ? ORDER BY number DESC LIMIT ?', [before, limit]);
    return rows.map(toBlock);
  }

  /**
   * Anchors recorded or revoked by one transaction of block `blockNumber`, in key order: the rows of that block
   * (`ix_anchors_block`, appended to in block order) and the revocations it recorded (`ix_anchors_revocation`,
   * of revoked rows only). Until 2026-12 this read every anchor, as no index held a transaction's id.
   */
  byTransaction(txId: string, blockNumber: number): IndexedAnchor[] {
    return this.#all(
      `SELECT * FROM anchors WHERE (block_number = ? AND tx_id = ?) OR (revocation_block = ? AND revocation_tx_id = ?)
       ORDER BY key`,
      [blockNumber, txId, blockNumber, txId],
    ).map(toAnchor);
  }

  /** The counts of what is indexed (kept by the writer per block, `chain-counts.ts`: no anchor is read). */
  stats(): ChainStats {
    const counts = this.#counts.read();
    return {
      milestones: counts.byKind.milestone ?? 0,
      certificates: counts.byKind.certificate ?? 0,
      revokedCertificates: counts.revokedCertificates,
      credits: counts.byKind.credit ?? 0,
      projects: counts.projects,
      recognitions: Number(this.#get('SELECT COUNT(*) AS n FROM recognitions', [])?.n ?? 0),
      byRegion: counts.byRegion,
      byDept: counts.byDept,
    };
  }

  close(): void {
    // the worker finishes its current checkpoint and closes its own connection
    void this.#checkpointer?.close();
    this.#db.close();
  }

  // ------------------------------------------------------------------------------------------ writes

  /**
   * A new key is inserted; an existing one is replaced by a version recorded later (a correction, or the same
   * version again) but for its region and department, and a later version keeps the one it replaces as
   * superseded by it (`anchor_versions`); revocation stays. The counts, project entries and applicant pairs
   * follow what was written.
   */
  #insertAnchor(a: IndexedAnchor): void {
    if (a.kind === 'milestone' && a.decision === 'REVOKED' && a.projectCode !== null)
      this.#revokingProjects.add(a.projectCode);
    // the columns after (kind, key, commitment, region, dept), in table order: the insert and the update both
    // write them (an update keeps kind, region and department)
    const rest = [
      a.projectCode,
      a.uscc,
      a.stage,
      a.decision,
      a.decidedAt,
      a.validFrom,
      a.validUntil,
      a.txId,
      a.blockNumber,
      a.txIndex,
      a.recordedAt,
      a.anchorJson,
      JSON.stringify(a.documentDigests),
      JSON.stringify(a.endorsers),
      a.creator,
    ];
    // not `RETURNING rowid`: SQLite runs a RETURNING statement to its end into a temporary table before the
    // first row comes back, about 3 µs more per insert of this table (14.6 against 11.2 µs of CPU per row,
    // medians of 5 alternating runs of 100,000 rows in transactions of 500); the insert's change count and
    // rowid say the same
    const inserted = this.#insert(
      `INSERT INTO anchors (kind, key, commitment, region, dept, project_code, uscc, stage, decision,
         decided_at, valid_from, valid_until, tx_id, block_number, tx_index, recorded_at, anchor_json, documents,
         endorsers, creator)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (kind, key) DO NOTHING`,
      [a.kind, a.key, a.commitment, a.region, a.dept, ...rest],
    );
    this.#hashes.add(a.commitment, a.kind, a.key, false);
    for (const digest of new Set(a.documentDigests)) this.#hashes.add(digest, a.kind, a.key, true);
    if (inserted !== undefined) {
      this.#counts.anchor(a);
      this.#indexProjectOf(a, inserted, undefined);
      return;
    }
    const current = this.get(a.kind, a.key) as IndexedAnchor;
    this.#keepSuperseded(a, current);
    const updated = this.#get(
      `UPDATE anchors SET commitment = ?, project_code = ?, uscc = ?, stage = ?, decision = ?,
         decided_at = ?, valid_from = ?, valid_until = ?, tx_id = ?, block_number = ?, tx_index = ?, recorded_at = ?,
         anchor_json = ?, documents = ?, endorsers = ?, creator = ?
       WHERE kind = ? AND key = ? AND (? > block_number OR (? = block_number AND ? >= tx_index))
       RETURNING rowid`,
      [a.commitment, ...rest, a.kind, a.key, a.blockNumber, a.blockNumber, a.txIndex],
    );
    // recorded before the version indexed: nothing changes; else the row keeps its kind, region and department
    // (what it is counted under)
    if (updated !== undefined) this.#indexProjectOf(a, Number(updated.rowid), current);
  }

  /**
   * The project entry and the (credit code, project) pair of an anchor written as `anchors` row `rowid`, and
   * those of the version it replaced that no anchor has any more. A correction within its project keeps the
   * entry its first version made (the entry names the row, whatever its time).
   */
  #indexProjectOf(a: IndexedAnchor, rowid: number, replaced: IndexedAnchor | undefined): void {
    if (
      a.projectCode !== null &&
      replaced?.projectCode !== a.projectCode &&
      this.#projects.add(a.projectCode, rowid)
    )
      this.#counts.project(1);
    if (a.uscc !== null && a.projectCode !== null) {
      const pair = applicantPair(a.uscc, a.projectCode);
      if (!this.#applicants.has(pair)) {
        this.#run('INSERT OR IGNORE INTO applicants (uscc, project_code) VALUES (?, ?)', [
          a.uscc,
          a.projectCode,
        ]);
        this.#applicantsPending.push(pair);
      }
    }
    if (replaced) this.#forgetReplaced(a, replaced);
  }

  /** What a correction left behind: its old project, and its old (credit code, project) pair, if no anchor has them. */
  #forgetReplaced(a: IndexedAnchor, replaced: IndexedAnchor): void {
    if (
      replaced.projectCode !== null &&
      replaced.projectCode !== a.projectCode &&
      this.#projects.forgetIfEmpty(replaced.projectCode)
    )
      this.#counts.project(-1);
    if (replaced.uscc !== a.uscc || replaced.projectCode !== a.projectCode)
      this.#forgetApplicant(replaced.uscc, replaced.projectCode);
  }

  /** A correction moved an anchor off (uscc, project): the pair goes unless another anchor still has it. */
  #forgetApplicant(uscc: string | null, projectCode: string | null): void {
    if (uscc === null || projectCode === null) return;
    if (this.#projects.rows(projectCode, 'AND a.uscc = @uscc', { uscc }, 1).length === 0) {
      this.#run('DELETE FROM applicants WHERE uscc = ? AND project_code = ?', [uscc, projectCode]);
      const pair = applicantPair(uscc, projectCode);
      this.#applicants.delete(pair);
      this.#applicantsPending = this.#applicantsPending.filter((p) => p !== pair);
    }
  }

  /** Before a later version replaces the current one, keeps the current one as superseded by it. */
  #keepSuperseded(a: IndexedAnchor, current: IndexedAnchor): void {
    const version = versionOfJson(a.anchorJson);
    if (versionOfJson(current.anchorJson) >= version) return;
    this.#versioned = true;
    this.#run(
      `INSERT OR IGNORE INTO anchor_versions (kind, key, version, commitment, tx_id, block_number, tx_index,
         recorded_at, anchor_json, superseded_by, superseded_tx_id, superseded_block)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        current.kind,
        current.key,
        versionOfJson(current.anchorJson),
        current.commitment,
        current.txId,
        current.blockNumber,
        current.txIndex,
        current.recordedAt,
        current.anchorJson,
        version,
        a.txId,
        a.blockNumber,
      ],
    );
  }

  #revoke(r: IndexedRevocation): void {
    const revoked = this.#prepare(
      `UPDATE anchors SET revoked_at = ?, revocation_reason = ?, revocation_tx_id = ?, revocation_block = ?
       WHERE kind = 'certificate' AND key = ? AND revoked_at IS NULL`,
    ).run(r.revokedAt, r.reason, r.txId, r.blockNumber, r.number);
    if (revoked.changes === 1) this.#counts.revoked();
  }

  #upsertRecognition(
    r: Omit<IndexedRecognition, 'decisionTxId' | 'decidedAt' | 'decisionJson' | 'outcome'>,
  ): void {
    this.#run(
      `INSERT OR IGNORE INTO recognitions (id, subject_type, subject_id, source_region, target_region, outcome,
         request_tx_id, requested_at, request_json) VALUES (?, ?, ?, ?, ?, 'PENDING', ?, ?, ?)`,
      [
        r.id,
        r.subjectType,
        r.subjectId,
        r.sourceRegion,
        r.targetRegion,
        r.requestTxId,
        r.requestedAt,
        r.requestJson,
      ],
    );
  }

  #decide(d: IndexedDecision): void {
    this.#run(
      'UPDATE recognitions SET outcome = ?, decision_tx_id = ?, decided_at = ?, decision_json = ? WHERE id = ?',
      [d.outcome, d.txId, d.decidedAt, d.decisionJson, d.id],
    );
  }

  #prepare(sql: string): Database.Statement {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  #run(sql: string, params: unknown[]): void {
    this.#prepare(sql).run(...params);
  }

  /**
   * Runs an `INSERT ... ON CONFLICT DO NOTHING` of one row: the new row's rowid, or undefined when the conflict
   * left the table as it was (no triggers on these tables, so one change is the row itself).
   */
  #insert(sql: string, params: unknown[]): number | undefined {
    const { changes, lastInsertRowid } = this.#prepare(sql).run(...params);
    return changes === 1 ? Number(lastInsertRowid) : undefined;
  }

  #get(sql: string, params: unknown[]): Row | undefined {
    return this.#prepare(sql).get(...params) as Row | undefined;
  }

  #all(sql: string, params: unknown[]): Row[] {
    return this.#prepare(sql).all(...params) as Row[];
  }
}

export interface IndexedRevocation {
  readonly number: string;
  readonly revokedAt: string;
  readonly reason: string;
  readonly txId: string;
  readonly blockNumber: number;
}

export interface IndexedDecision {
  readonly id: string;
  readonly outcome: RecognitionOutcome;
  readonly txId: string;
  readonly decidedAt: string;
  readonly decisionJson: string;
}

export interface IndexChanges {
  readonly anchors: readonly IndexedAnchor[];
  readonly revocations: readonly IndexedRevocation[];
  readonly recognitions: readonly Omit<
    IndexedRecognition,
    'decisionTxId' | 'decidedAt' | 'decisionJson' | 'outcome'
  >[];
  readonly decisions: readonly IndexedDecision[];
}

/**
 * An index made when `anchors` was clustered on (kind, key) (WITHOUT ROWID): its table is renamed aside and its
 * indexes dropped, for `open` to copy the rows into the rowid table SCHEMA makes, in block order, and drop it,
 * all in one transaction. Returns the name it was renamed to, or nothing when there is nothing to rebuild.
 */
function rowidAnchorsFrom(db: Database.Database): string | undefined {
  const table = db
    .prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'anchors'")
    .get() as { sql: string } | undefined;
  if (!table || !/WITHOUT\s+ROWID/i.test(table.sql)) return undefined;
  const aside = 'anchors_clustered';
  for (const index of ANCHOR_INDEXES) db.exec(`DROP INDEX IF EXISTS ${index}`);
  db.exec(`ALTER TABLE anchors RENAME TO ${aside}`);
  return aside;
}

function hasIndex(db: Database.Database, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?").get(name) !== undefined;
}

function hasTable(db: Database.Database, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

/**
 * An index made before `applicants` (until 2026-12) found projects by credit code through `ix_anchors_uscc`, an
 * entry per anchor: its pairs are copied into `applicants` and the index dropped, in `open`'s transaction.
 */
function applicantsFromAnchors(db: Database.Database): void {
  db.exec(`INSERT OR IGNORE INTO applicants (uscc, project_code)
           SELECT uscc, project_code FROM anchors WHERE uscc IS NOT NULL AND project_code IS NOT NULL`);
  db.exec('DROP INDEX IF EXISTS ix_anchors_uscc');
}

/** Empties what blocks derive and moves the cursor back to block 0: the indexer re-reads the chain. */
function rebuildFromGenesis(db: Database.Database): void {
  db.transaction(() => {
    for (const table of DERIVED_TABLES) db.exec(`DELETE FROM ${table}`);
    AnchorHashes.clear(db);
    ProjectAnchors.clear(db);
    db.prepare("DELETE FROM meta WHERE key = 'nextBlock'").run();
  })();
}

/** A `"version"` member of JSON text whose value is not exactly 1 (or has a space before it: a yes too many). */
export const LATER_VERSION = /"version":(?!1[,}])/;

/**
 * The version an anchor names (1 when none: every record before corrections, and every first version). Only a
 * correction's anchor has a `version` key, so the common case is told without parsing (the indexer asks per anchor).
 */
export function versionOfJson(anchorJson: string): number {
  if (!anchorJson.includes('"version"')) return 1;
  const parsed = JSON.parse(anchorJson) as { version?: unknown };
  return typeof parsed.version === 'number' ? parsed.version : 1;
}

// The index holds what the chaincode accepted (validated anchors and requests): its codes are read back as such.
const text = (v: unknown): string | null =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null;

function toAnchor(row: Row): IndexedAnchor {
  return {
    kind: row.kind as AnchorKind,
    key: String(row.key),
    commitment: String(row.commitment),
    region: String(row.region) as RegionCode,
    dept: text(row.dept) as DepartmentCode | null,
    projectCode: text(row.project_code),
    uscc: text(row.uscc),
    stage: text(row.stage) as StageCode | null,
    decision: text(row.decision) as IndexedAnchor['decision'],
    decidedAt: text(row.decided_at),
    validFrom: text(row.valid_from),
    validUntil: text(row.valid_until),
    txId: String(row.tx_id),
    blockNumber: Number(row.block_number),
    txIndex: Number(row.tx_index),
    recordedAt: String(row.recorded_at),
    revokedAt: text(row.revoked_at),
    revocationReason: text(row.revocation_reason),
    revocationTxId: text(row.revocation_tx_id),
    revocationBlock: row.revocation_block === null ? null : Number(row.revocation_block),
    anchorJson: String(row.anchor_json),
    documentDigests: JSON.parse(String(row.documents)) as string[],
    endorsers: JSON.parse(String(row.endorsers)) as string[],
    creator: text(row.creator),
  };
}

function toVersion(row: Row): IndexedVersion {
  return {
    kind: row.kind as AnchorKind,
    key: String(row.key),
    version: Number(row.version),
    commitment: String(row.commitment),
    txId: String(row.tx_id),
    blockNumber: Number(row.block_number),
    txIndex: Number(row.tx_index),
    recordedAt: String(row.recorded_at),
    anchorJson: String(row.anchor_json),
    supersededBy: {
      version: Number(row.superseded_by),
      txId: String(row.superseded_tx_id),
      block: Number(row.superseded_block),
    },
  };
}

function currentVersion(a: IndexedAnchor): IndexedVersion {
  return {
    kind: a.kind,
    key: a.key,
    version: versionOfJson(a.anchorJson),
    commitment: a.commitment,
    txId: a.txId,
    blockNumber: a.blockNumber,
    txIndex: a.txIndex,
    recordedAt: a.recordedAt,
    anchorJson: a.anchorJson,
    supersededBy: null,
  };
}

function toBlock(row: Row): IndexedBlock {
  return {
    number: Number(row.number),
    hash: String(row.hash),
    previousHash: String(row.previous_hash),
    dataHash: String(row.data_hash),
    txCount: Number(row.tx_count),
    validTxCount: Number(row.valid_tx_count),
    records: Number(row.records),
    time: text(row.time),
    signers: JSON.parse(String(row.signers)) as string[],
  };
}

function toRecognition(row: Row): IndexedRecognition {
  return {
    id: String(row.id),
    subjectType: String(row.subject_type) as RecognitionSubjectType,
    subjectId: String(row.subject_id),
    sourceRegion: String(row.source_region) as RegionCode,
    targetRegion: String(row.target_region) as RegionCode,
    outcome: String(row.outcome) as RecognitionState,
    requestTxId: String(row.request_tx_id),
    requestedAt: String(row.requested_at),
    decisionTxId: text(row.decision_tx_id),
    decidedAt: text(row.decided_at),
    requestJson: String(row.request_json),
    decisionJson: text(row.decision_json),
  };
}

/**
 * The log's status journal, `<dataDir>/tlog/status.jsonl`: every status entry the log has committed to, each
 * line `{"at":<checkpoint size>,"entry":{…}}` with the tree size of the first checkpoint that included it. The
 * status tree of the checkpoint of size N is the tree over the entries with `at <= N`, so a proof for any
 * earlier checkpoint is rebuilt exactly, whatever the index learnt since.
 *
 *   index (at size N) -> new keys appended with at = N, fsynced -> tree at N -> signed into checkpoint N
 *
 * Entries are appended (and fsynced) before the checkpoint that commits to them is signed. A kill -9 can leave
 * a torn last line: it is cut off when the journal is reopened (it was never committed to: the checkpoint
 * comes after the fsync). Entries appended for a size whose checkpoint was never stored are committed to by
 * the next checkpoint, whose size is larger. A key keeps its first entry: revocations are not undone, and a
 * superseded version (key `<kind>@<n>/<id>`) stays superseded.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, truncateSync, writeSync } from 'node:fs';
import {
  type DigestImplementation,
  type StatusEntry,
  StatusTree,
  checkStatusEntry,
  statusKeyOf,
} from '@approval-ledger/protocol';

interface JournalLine {
  readonly at: number;
  readonly entry: StatusEntry;
}

export class StatusJournal {
  readonly #path: string;
  readonly #lines: JournalLine[] = [];
  readonly #keys = new Set<string>();
  #cache: { size: number; count: number; tree: StatusTree } | undefined;

  private constructor(
    path: string,
    readonly digest: DigestImplementation | undefined,
  ) {
    this.#path = path;
  }

  /** Opens (or creates) the journal, cutting off a torn last line; its trees hash with `digest` (the log's). */
  static open(path: string, digest?: DigestImplementation): StatusJournal {
    const journal = new StatusJournal(path, digest);
    if (!existsSync(path)) return journal;
    const text = readFileSync(path, 'utf8');
    let kept = 0;
    for (const line of text.split('\n')) {
      const end = kept + Buffer.byteLength(line) + 1;
      if (end > Buffer.byteLength(text)) break; // no newline: torn
      const parsed = parseLine(line);
      if (!parsed) break;
      journal.#remember(parsed);
      kept = end;
    }
    if (kept < Buffer.byteLength(text)) truncateSync(path, kept);
    return journal;
  }

  get size(): number {
    return this.#lines.length;
  }

  /** Appends the entries whose key is not yet journalled, as first committed at `size`; returns how many. */
  record(size: number, entries: readonly StatusEntry[]): number {
    const fresh: JournalLine[] = [];
    const seen = new Set<string>();
    for (const entry of entries) {
      const key = statusKeyOf(entry);
      if (this.#keys.has(key) || seen.has(key)) continue;
      checkStatusEntry(entry);
      seen.add(key);
      fresh.push({ at: size, entry });
    }
    if (fresh.length === 0) return 0;
    const fd = openSync(this.#path, 'a', 0o600);
    try {
      writeSync(fd, fresh.map((l) => `${JSON.stringify(l)}\n`).join(''));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    for (const line of fresh) this.#remember(line);
    return fresh.length;
  }

  /** The status tree the checkpoint of `size` commits to. */
  treeAt(size: number): StatusTree {
    const count = this.#lines.filter((l) => l.at <= size).length;
    if (this.#cache?.size === size && this.#cache.count === count) return this.#cache.tree;
    const tree = new StatusTree(
      this.#lines.filter((l) => l.at <= size).map((l) => l.entry),
      this.digest,
    );
    this.#cache = { size, count, tree };
    return tree;
  }

  #remember(line: JournalLine): void {
    this.#lines.push(line);
    this.#keys.add(statusKeyOf(line.entry));
  }
}

function parseLine(line: string): JournalLine | undefined {
  try {
    const value = JSON.parse(line) as JournalLine;
    if (!Number.isSafeInteger(value.at) || value.at < 0) return undefined;
    checkStatusEntry(value.entry);
    return value;
  } catch {
    return undefined;
  }
}

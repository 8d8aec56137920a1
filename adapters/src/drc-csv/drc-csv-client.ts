/**
 * The only code that knows the DRC file drop: `*.csv` exports (GBK/GB18030, CRLF, a header row) each completed
 * by a `.md5` file written after it. A file is read only when its `.md5` is there and matches; rows are handed
 * out in batches from the checkpoint (file, md5, last line done), so a restart mid-file resumes after the last
 * acknowledged batch. Finished files move to `archive/`, unreadable ones to `quarantine/` (with a dead letter).
 */
import { DLQ_CODES } from '@approval-ledger/protocol';
import { createHash } from 'node:crypto';
import { type Dirent } from 'node:fs';
import { access, mkdir, readFile, readdir, readlink, rename, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { issue, mappingFailure, type MappingIssue } from '../core/dead-letter';
import { decodeLegacyText } from '../core/legacy-text';
import { type LegacyRecord } from '../core/ledger-publisher';
import { type Logger } from '../core/logger';
import { type PollingSource, type SourceBatch } from '../core/polling-loop';
import { type DrcCsvConfig, type DrcDirectories } from './config';
import { parseCsv, type CsvRecord } from './csv-parser';
import { COLUMNS, REQUIRED_COLUMNS, drcRowToEnvelopes, type DrcColumn, type DrcRow } from './to-envelope';

export const DrcCheckpointSchema = z.strictObject({
  file: z.string().min(1),
  md5: z.string().regex(/^[0-9a-f]{32}$/),
  /** Every record starting on this line or before has been acknowledged. */
  afterLine: z.number().int().nonnegative(),
  done: z.boolean(),
});
export type DrcCheckpoint = z.infer<typeof DrcCheckpointSchema>;

interface OpenFile {
  readonly name: string;
  readonly md5: string;
  readonly modifiedMs: number;
  /** Data records (header removed). */
  readonly records: readonly CsvRecord[];
  /** Column -> field index. */
  readonly columns: ReadonlyMap<DrcColumn, number>;
  readonly width: number;
}

type Candidate =
  | { readonly kind: 'open'; readonly file: OpenFile }
  | { readonly kind: 'corrupt'; readonly name: string; readonly record: LegacyRecord };

export class DrcCsvClient implements PollingSource<DrcCheckpoint> {
  #current: OpenFile | undefined;

  constructor(
    private readonly config: DrcCsvConfig,
    private readonly dirs: DrcDirectories,
    private readonly log: Logger,
  ) {}

  async next(checkpoint: DrcCheckpoint | undefined): Promise<SourceBatch<DrcCheckpoint>> {
    if (this.#current === undefined) {
      const candidate = await this.#nextReadyFile();
      if (candidate === undefined) return { records: [], checkpoint, more: false };
      if (candidate.kind === 'corrupt') {
        return {
          records: [candidate.record],
          checkpoint,
          more: true,
          committed: () => this.#quarantine(candidate.name),
        };
      }
      this.#current = candidate.file;
      this.log.info('reading file', { file: candidate.file.name, records: candidate.file.records.length });
    }
    return this.#batch(this.#current, checkpoint);
  }

  /** Complete files waiting in the inbox (the one being read included). */
  async backlog(): Promise<number> {
    return (await this.#csvEntries()).length;
  }

  #batch(file: OpenFile, checkpoint: DrcCheckpoint | undefined): SourceBatch<DrcCheckpoint> {
    const resumes = checkpoint?.file === file.name && checkpoint.md5 === file.md5;
    const after = resumes ? (checkpoint.done ? Infinity : checkpoint.afterLine) : 0;
    const start = file.records.findIndex((r) => r.line > after);
    const from = start === -1 ? file.records.length : start;
    const slice = file.records.slice(from, from + this.config.batchSize);
    const done = from + slice.length >= file.records.length;
    const emittedAt = new Date().toISOString();
    const lastLine = slice.at(-1)?.line ?? (resumes ? checkpoint.afterLine : 0);
    const next: DrcCheckpoint = { file: file.name, md5: file.md5, afterLine: lastLine, done };
    const records = slice.map((r) => this.#record(file, r, emittedAt));
    if (!done) return { records, checkpoint: next, more: true };
    this.#current = undefined;
    return { records, checkpoint: next, more: true, committed: () => this.#archive(file.name) };
  }

  #record(file: OpenFile, csv: CsvRecord, emittedAt: string): LegacyRecord {
    const base = { source: `${file.name}:${csv.line}`, raw: csv.raw, changedAtMs: file.modifiedMs };
    const row = this.#row(file, csv);
    if (!row.ok) return { ...base, mapped: mappingFailure(row.code, row.issues) };
    const mapped = drcRowToEnvelopes(row.row, {
      region: this.config.region,
      sourceSystem: this.config.sourceSystem,
      dataClass: this.config.dataClass,
      emittedAt,
    });
    return { ...base, mapped };
  }

  /** The record's fields decoded and named, or why not. */
  #row(
    file: OpenFile,
    csv: CsvRecord,
  ):
    | { ok: true; row: DrcRow }
    | {
        ok: false;
        code: typeof DLQ_CODES.DECODING_FAILED | typeof DLQ_CODES.MAPPING_FAILED;
        issues: MappingIssue[];
      } {
    const where = `line ${csv.line}`;
    if (csv.error !== undefined) {
      return { ok: false, code: DLQ_CODES.DECODING_FAILED, issues: [issue(where, 'csv.syntax', csv.error)] };
    }
    if (csv.fields.length !== file.width) {
      const message = `has ${csv.fields.length} fields, the header has ${file.width}`;
      return { ok: false, code: DLQ_CODES.MAPPING_FAILED, issues: [issue(where, 'csv.width', message)] };
    }
    const row: Record<string, string> = {};
    for (const [column, field] of Object.entries(COLUMNS) as [DrcColumn, string][]) {
      const index = file.columns.get(column);
      const bytes = index === undefined ? Buffer.alloc(0) : (csv.fields[index] as Buffer);
      const decoded = decodeLegacyText(bytes, this.config.encoding);
      if (!decoded.ok) {
        const message = `${where}: ${decoded.message.replace(/at byte (\d+)/, 'at byte $1 of the field')}`;
        return {
          ok: false,
          code: DLQ_CODES.DECODING_FAILED,
          issues: [issue(column, 'text.encoding', message)],
        };
      }
      row[field] = decoded.text.trim();
    }
    return { ok: true, row: row as DrcRow };
  }

  async #nextReadyFile(): Promise<Candidate | undefined> {
    for (const entry of await this.#csvEntries()) {
      const candidate = entry.isFile() ? await this.#examine(entry.name) : await this.#notRegular(entry);
      if (candidate !== undefined) return candidate;
    }
    return undefined;
  }

  /**
   * An inbox entry named like an export that is not a regular file (a symbolic link, a directory, a FIFO):
   * never read (a link could point anywhere on this machine), dead-lettered with what it is, and moved to
   * quarantine so that it is neither skipped silently nor refused again at every poll.
   */
  async #notRegular(entry: Dirent): Promise<Candidate> {
    const target = entry.isSymbolicLink()
      ? await readlink(join(this.dirs.inbox, entry.name)).catch(() => '?')
      : undefined;
    const what = target === undefined ? kindOf(entry) : `a symbolic link to ${target}`;
    return this.#corrupt(entry.name, Buffer.alloc(0), 'file.type', `${what}, not a regular file`, ' unread');
  }

  /** A complete file opened, a corrupt one to quarantine, or undefined while its .md5 is not there yet. */
  async #examine(name: string): Promise<Candidate | undefined> {
    const path = join(this.dirs.inbox, name);
    const md5 = await this.#expectedMd5(path);
    if (md5.state === 'not-ready') return undefined;
    const bytes = await readFile(path);
    if (md5.state === 'no-digest')
      return this.#corrupt(name, bytes, 'file.md5', `${name}.md5 holds no MD5 digest`);
    const expected = md5.digest;
    const actual = createHash('md5').update(bytes).digest('hex');
    if (actual !== expected) {
      return this.#corrupt(
        name,
        bytes,
        'file.md5',
        `MD5 of ${name} is ${actual}, but ${name}.md5 says ${expected}`,
      );
    }
    if (bytes.length === 0)
      return this.#corrupt(name, bytes, 'file.empty', 'the file is empty (0 bytes, no header)');
    const [header, ...records] = parseCsv(bytes);
    const columns = this.#columns(header);
    if (!columns.ok) return this.#corrupt(name, bytes, columns.rule, columns.message);
    const { mtimeMs } = await stat(path);
    return {
      kind: 'open',
      file: {
        name,
        md5: actual,
        modifiedMs: mtimeMs,
        records,
        columns: columns.map,
        width: header?.fields.length ?? 0,
      },
    };
  }

  async #expectedMd5(
    path: string,
  ): Promise<{ state: 'ready'; digest: string } | { state: 'not-ready' } | { state: 'no-digest' }> {
    const md5Path = `${path}.md5`;
    const text = await readFile(md5Path, 'latin1').catch(() => undefined);
    if (text === undefined) return { state: 'not-ready' };
    const digest = /^\s*([0-9a-fA-F]{32})(?:\s|$)/.exec(text)?.[1];
    if (digest !== undefined) return { state: 'ready', digest: digest.toLowerCase() };
    const age = Date.now() - (await stat(md5Path)).mtimeMs;
    return { state: age < this.config.md5GraceMs ? 'not-ready' : 'no-digest' };
  }

  #columns(
    header: CsvRecord | undefined,
  ): { ok: true; map: Map<DrcColumn, number> } | { ok: false; rule: string; message: string } {
    if (header === undefined) return { ok: true, map: new Map() };
    if (header.error !== undefined)
      return { ok: false, rule: 'csv.syntax', message: `header: ${header.error}` };
    const map = new Map<DrcColumn, number>();
    for (const [index, field] of header.fields.entries()) {
      const decoded = decodeLegacyText(field, this.config.encoding);
      if (!decoded.ok)
        return {
          ok: false,
          rule: 'text.encoding',
          message: `header, field ${index + 1}: ${decoded.message}`,
        };
      const name = decoded.text.replace(/^\uFEFF/, '').trim();
      if (!Object.hasOwn(COLUMNS, name)) continue;
      if (map.has(name as DrcColumn))
        return {
          ok: false,
          rule: 'csv.header',
          message: `header names ${name} twice (fields ${(map.get(name as DrcColumn) ?? 0) + 1} and ${index + 1})`,
        };
      map.set(name as DrcColumn, index);
    }
    const missing = REQUIRED_COLUMNS.filter((c) => !map.has(c));
    if (missing.length > 0)
      return { ok: false, rule: 'csv.header', message: `header lacks ${missing.join(', ')}` };
    return { ok: true, map };
  }

  /** The file's bytes ride along in its dead letter (cut to the adapter core's limit, with size and digest). */
  #corrupt(name: string, bytes: Buffer, rule: string, message: string, how = ''): Candidate {
    const why = issue(name, rule, `${message}; moved to ${basename(this.dirs.quarantine)}/${how}`);
    return {
      kind: 'corrupt',
      name,
      record: { source: name, raw: bytes, mapped: mappingFailure(DLQ_CODES.CORRUPT_FILE, [why]) },
    };
  }

  /** Entries named like an export (`*.csv` matching `filePattern`), of any type, by name. */
  async #csvEntries(): Promise<Dirent[]> {
    await mkdir(this.dirs.inbox, { recursive: true });
    const pattern = new RegExp(this.config.filePattern);
    const entries = await readdir(this.dirs.inbox, { withFileTypes: true });
    return entries
      .filter((e) => e.name.endsWith('.csv') && pattern.test(e.name))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  #archive(name: string): Promise<void> {
    this.log.info('file done; archived', { file: name });
    return this.#moveWithMd5(name, this.dirs.archive);
  }

  #quarantine(name: string): Promise<void> {
    this.log.warn('file quarantined', { file: name });
    return this.#moveWithMd5(name, this.dirs.quarantine);
  }

  async #moveWithMd5(name: string, dir: string): Promise<void> {
    await mkdir(dir, { recursive: true });
    const target = (await exists(join(dir, name))) ? `${name}.${Date.now()}` : name;
    await rename(join(this.dirs.inbox, name), join(dir, target));
    const md5 = join(this.dirs.inbox, `${name}.md5`);
    if (await exists(md5)) await rename(md5, join(dir, `${target}.md5`));
  }
}

/** Writes a CSV export the way the legacy job does: the file, then its `.md5` (each via a temporary name). */
export async function dropCsvFile(inbox: string, name: string, bytes: Uint8Array): Promise<void> {
  await mkdir(inbox, { recursive: true });
  await writeFile(join(inbox, `.${name}.tmp`), bytes);
  await rename(join(inbox, `.${name}.tmp`), join(inbox, name));
  const digest = createHash('md5').update(bytes).digest('hex');
  await writeFile(join(inbox, `.${name}.md5.tmp`), `${digest}  ${name}\n`);
  await rename(join(inbox, `.${name}.md5.tmp`), join(inbox, `${name}.md5`));
}

function kindOf(entry: Dirent): string {
  if (entry.isDirectory()) return 'a directory';
  if (entry.isFIFO()) return 'a named pipe';
  if (entry.isSocket()) return 'a socket';
  if (entry.isBlockDevice() || entry.isCharacterDevice()) return 'a device';
  return 'an entry of unknown type';
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

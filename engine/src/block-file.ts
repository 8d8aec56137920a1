/**
 * The embedded ledger's transaction envelopes in an append-only file beside its SQLite file
 * (`<dataDir>/ledger/ledger.blocks`), as a Fabric peer keeps its blocks in a block file: each envelope's UTF-8
 * bytes are written once, and the SQLite `transactions` row holds where they are (`envelope_at`,
 * `envelope_bytes`). In the SQLite file every envelope was written twice, to the WAL and again by the checkpoint,
 * and envelopes are most of what a ledger holds (measured for issue 16: 1.37 of the 2.16 KB per milestone at
 * rest).
 *
 * Order of writes, and what a crash leaves:
 * - a block's envelopes are appended at the committed end and synced (`fdatasync`) before the SQLite
 *   transaction that names them commits: whatever of that transaction survives a crash of the process or the
 *   machine, the bytes it names are on disk (as Fabric syncs each block before indexing it). SQLite under
 *   `synchronous=NORMAL` may lose its last commits to a machine crash; the file then holds bytes past the end its
 *   last surviving commit names;
 * - bytes past the committed end (a block whose SQLite commit never happened) are cut when the writer opens the
 *   file, and a block is always written at the committed end, over any such bytes;
 * - a file shorter than the committed end (deleted, truncated, or a copy without its last bytes) is refused at
 *   open, naming both: the ledger cannot serve the blocks it names.
 */
import { closeSync, fdatasyncSync, fstatSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** The block file of the ledger file `databaseFile`: `ledger.sqlite` -> `ledger.blocks`, in the same directory. */
export function blockFilePath(databaseFile: string): string {
  const name = basename(databaseFile);
  const stem = name.endsWith('.sqlite') ? name.slice(0, -'.sqlite'.length) : name;
  return join(dirname(databaseFile), `${stem}.blocks`);
}

/** Where an envelope's bytes are in the file. */
export interface EnvelopeLocation {
  readonly at: number;
  readonly bytes: number;
}

export class BlockFileError extends Error {
  override readonly name = 'BlockFileError';
}

export class BlockFile {
  readonly path: string;
  readonly #fd: number;
  readonly #writable: boolean;
  /** The end of what committed blocks name: the next block is written here. */
  #end: number;

  private constructor(path: string, fd: number, writable: boolean, end: number) {
    this.path = path;
    this.#fd = fd;
    this.#writable = writable;
    this.#end = end;
  }

  /**
   * Opens the writer's file, created if absent; `committedEnd` is the end the SQLite file's committed transactions
   * name. Bytes past it are cut; a file shorter than it is refused.
   */
  static openForWriting(path: string, committedEnd: number): BlockFile {
    const fd = openSync(path, 'a+');
    try {
      const size = fstatSync(fd).size;
      if (size < committedEnd) throw shortFile(path, size, committedEnd);
      if (size > committedEnd) {
        ftruncateSync(fd, committedEnd);
        fdatasyncSync(fd);
      }
      // 'a+' appends whatever the position; writes go through positioned writes of a descriptor opened for them
      closeSync(fd);
      return new BlockFile(path, openSync(path, 'r+'), true, committedEnd);
    } catch (error) {
      try {
        closeSync(fd);
      } catch {
        // already closed
      }
      throw error;
    }
  }

  /**
   * Opens the file for reading (a read-only ledger connection); undefined when there is none (a ledger whose
   * envelopes are all in its SQLite file). `committedEnd`, when known, is checked as by the writer.
   */
  static openForReading(path: string, committedEnd: number): BlockFile | undefined {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      if (committedEnd > 0) throw shortFile(path, 0, committedEnd);
      return undefined;
    }
    const size = fstatSync(fd).size;
    if (size < committedEnd) {
      closeSync(fd);
      throw shortFile(path, size, committedEnd);
    }
    return new BlockFile(path, fd, false, committedEnd);
  }

  /** The end of the committed blocks' bytes. */
  get end(): number {
    return this.#end;
  }

  /**
   * Writes `envelopes` at the committed end, in order, and syncs them; returns where each is. The end moves only
   * with `committed`, once the SQLite transaction naming them has committed.
   */
  append(envelopes: readonly string[]): EnvelopeLocation[] {
    if (!this.#writable) throw new BlockFileError(`${this.path} is open for reading only`);
    // the block's envelopes encoded once, into one buffer, and written with one positioned write
    const sizes = envelopes.map((text) => Buffer.byteLength(text, 'utf8'));
    const whole = Buffer.allocUnsafe(sizes.reduce((sum, n) => sum + n, 0));
    const locations: EnvelopeLocation[] = [];
    let offset = 0;
    envelopes.forEach((text, i) => {
      whole.write(text, offset, 'utf8');
      locations.push({ at: this.#end + offset, bytes: sizes[i] as number });
      offset += sizes[i] as number;
    });
    let written = 0;
    while (written < whole.length)
      written += writeSync(this.#fd, whole, written, whole.length - written, this.#end + written);
    fdatasyncSync(this.#fd);
    return locations;
  }

  /** Moves the committed end past what `append` wrote, once its SQLite transaction committed. */
  committed(end: number): void {
    this.#end = end;
  }

  /** The envelope at `location`, as UTF-8 text. */
  read(location: EnvelopeLocation): string {
    const buffer = Buffer.allocUnsafe(location.bytes);
    let read = 0;
    while (read < location.bytes) {
      const n = readSync(this.#fd, buffer, read, location.bytes - read, location.at + read);
      if (n === 0)
        throw new BlockFileError(
          `${this.path} ends at ${location.at + read}, inside an envelope that runs to ${location.at + location.bytes}`,
        );
      read += n;
    }
    return buffer.toString('utf8');
  }

  close(): void {
    closeSync(this.#fd);
  }
}

function shortFile(path: string, size: number, committedEnd: number): BlockFileError {
  return new BlockFileError(
    `the ledger's block file ${path} holds ${size} bytes, but its committed transactions name ${committedEnd}: ` +
      'envelopes of committed blocks are missing (a deleted, truncated or incomplete copy of the file)',
  );
}

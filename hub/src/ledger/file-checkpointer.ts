/**
 * Event checkpoints kept in a small JSON file, written atomically (temporary file, fsync, rename), so a
 * consumer killed at any moment resumes from the last event it had processed. Same semantics as Fabric
 * Gateway's checkpointers, which the Fabric engine adapts it to.
 */
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type LedgerChaincodeEvent, type LedgerCheckpointer } from './ledger-port';

interface CheckpointState {
  blockNumber?: number;
  transactionId?: string;
}

/** A checkpointer in memory only (lost on restart); the file one extends it. */
export class InMemoryCheckpointer implements LedgerCheckpointer {
  protected state: CheckpointState = {};

  get blockNumber(): number | undefined {
    return this.state.blockNumber;
  }

  get transactionId(): string | undefined {
    return this.state.transactionId;
  }

  async checkpointBlock(blockNumber: number): Promise<void> {
    await this.save({ blockNumber: blockNumber + 1 });
  }

  async checkpointTransaction(blockNumber: number, transactionId: string): Promise<void> {
    await this.save({ blockNumber, transactionId });
  }

  async checkpointChaincodeEvent(event: LedgerChaincodeEvent): Promise<void> {
    await this.checkpointTransaction(event.blockNumber, event.txId);
  }

  protected save(state: CheckpointState): Promise<void> {
    this.state = state;
    return Promise.resolve();
  }
}

export class FileCheckpointer extends InMemoryCheckpointer {
  private constructor(readonly path: string) {
    super();
  }

  /** Opens (or starts) the checkpoint file at `path`. */
  static async open(path: string): Promise<FileCheckpointer> {
    const checkpointer = new FileCheckpointer(path);
    await mkdir(dirname(path), { recursive: true });
    try {
      checkpointer.state = parseState(await readFile(path, 'utf8'), path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    return checkpointer;
  }

  protected override async save(state: CheckpointState): Promise<void> {
    const temporary = `${this.path}.${process.pid}.tmp`;
    const file = await open(temporary, 'w');
    try {
      await file.writeFile(`${JSON.stringify(state)}\n`);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporary, this.path);
    await super.save(state);
  }
}

function parseState(text: string, path: string): CheckpointState {
  const value = JSON.parse(text) as Record<string, unknown>;
  const state: CheckpointState = {};
  if (value.blockNumber !== undefined) {
    if (!Number.isSafeInteger(value.blockNumber)) throw new Error(`${path}: blockNumber is not an integer`);
    state.blockNumber = value.blockNumber as number;
  }
  if (value.transactionId !== undefined) {
    if (typeof value.transactionId !== 'string') throw new Error(`${path}: transactionId is not a string`);
    state.transactionId = value.transactionId;
  }
  return state;
}

const CHECKPOINT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Where an engine keeps the named checkpoint in a data directory. */
export function checkpointPath(dataDir: string, engine: string, name: string): string {
  if (!CHECKPOINT_NAME.test(name))
    throw new RangeError(`checkpoint name ${JSON.stringify(name)} must be 1-64 of A-Z a-z 0-9 . _ -`);
  return join(dataDir, 'ledger', 'checkpoints', `${engine}-${name}.json`);
}

/**
 * A one-line progress bar for long CLI work, drawn on stderr only when it is a terminal (never in pipes, CI
 * logs or `--json` output), redrawn at most ten times a second.
 */
const WIDTH = 30;
const REDRAW_MS = 100;

export interface ProgressStream {
  readonly isTTY?: boolean;
  write(text: string): boolean;
}

export class ProgressBar {
  readonly #enabled: boolean;
  #lastDraw = 0;
  #drawn = false;

  constructor(
    private readonly label: string,
    private readonly stream: ProgressStream = process.stderr,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.#enabled = stream.isTTY === true;
  }

  update(done: number, total: number): void {
    if (!this.#enabled) return;
    const t = this.now();
    if (this.#drawn && t - this.#lastDraw < REDRAW_MS && done < total) return;
    this.#lastDraw = t;
    this.#drawn = true;
    this.stream.write(`\r${renderBar(this.label, done, total)}`);
  }

  /** Clears the bar so that the next output starts on a clean line. */
  finish(): void {
    if (this.#enabled && this.#drawn) this.stream.write(`\r${' '.repeat(WIDTH + this.label.length + 40)}\r`);
    this.#drawn = false;
  }
}

/** `label [=========>          ]  45% 450/1000` */
export function renderBar(label: string, done: number, total: number): string {
  const ratio = total > 0 ? Math.min(1, Math.max(0, done / total)) : 1;
  const filled = Math.round(ratio * WIDTH);
  const bar = filled >= WIDTH ? '='.repeat(WIDTH) : `${'='.repeat(filled)}>${' '.repeat(WIDTH - filled - 1)}`;
  const percent = `${Math.floor(ratio * 100)}%`.padStart(4);
  return `${label} [${bar}] ${percent} ${done}/${total}`;
}

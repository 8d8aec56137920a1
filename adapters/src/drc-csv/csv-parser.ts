/**
 * An RFC 4180 CSV parser over bytes: quoted fields, escaped quotes (""), commas and line breaks inside quotes,
 * CRLF or LF line ends. It works on the undecoded bytes so that each field can be decoded (and refused) on its
 * own, with its line number: in GBK and GB18030 every byte of a multi-byte character is >= 0x30 after the first,
 * which is >= 0x81, so a quote (0x22), comma (0x2C), CR or LF byte is always the ASCII character itself.
 * A record that breaks the grammar is reported with its line and the reason, and parsing goes on at the next
 * line.
 */

const QUOTE = 0x22;
const COMMA = 0x2c;
const CR = 0x0d;
const LF = 0x0a;

export interface CsvRecord {
  /** 1-based line on which the record starts. */
  readonly line: number;
  /** The record's bytes as in the file, without its line break. */
  readonly raw: Buffer;
  /** The fields' bytes, quotes removed and "" unescaped. */
  readonly fields: readonly Buffer[];
  /** Why the record breaks RFC 4180 (its fields are then incomplete). */
  readonly error?: string;
}

/** Every record of `input`; blank lines are skipped. */
export function parseCsv(input: Uint8Array): CsvRecord[] {
  const scanner = new CsvScanner(Buffer.from(input.buffer, input.byteOffset, input.byteLength));
  const records: CsvRecord[] = [];
  for (let record = scanner.nextRecord(); record !== undefined; record = scanner.nextRecord()) {
    records.push(record);
  }
  return records;
}

class CsvScanner {
  #pos = 0;
  #line = 1;

  constructor(private readonly input: Buffer) {}

  nextRecord(): CsvRecord | undefined {
    while (this.#pos < this.input.length) {
      const start = this.#pos;
      const line = this.#line;
      const { fields, error } = this.#readRecord();
      const raw = this.input.subarray(start, this.#pos);
      this.#consumeLineBreak();
      if (error === undefined && raw.length === 0) continue; // blank line
      return error === undefined ? { line, raw, fields } : { line, raw, fields, error };
    }
    return undefined;
  }

  #readRecord(): { fields: Buffer[]; error?: string } {
    const fields: Buffer[] = [];
    for (;;) {
      const field =
        this.input[this.#pos] === QUOTE
          ? this.#readQuoted(fields.length + 1)
          : this.#readUnquoted(fields.length + 1);
      if (typeof field === 'string') {
        this.#skipToLineEnd();
        return { fields, error: field };
      }
      fields.push(field);
      if (this.input[this.#pos] !== COMMA) return { fields };
      this.#pos++;
    }
  }

  #readUnquoted(column: number): Buffer | string {
    const start = this.#pos;
    while (this.#pos < this.input.length) {
      const byte = this.input[this.#pos];
      if (byte === COMMA || byte === CR || byte === LF) break;
      if (byte === QUOTE) return `line ${this.#line}, field ${column}: a quote (") inside an unquoted field`;
      this.#pos++;
    }
    return this.input.subarray(start, this.#pos);
  }

  #readQuoted(column: number): Buffer | string {
    const openedOn = this.#line;
    const chunks: Buffer[] = [];
    let chunkStart = ++this.#pos;
    for (;;) {
      const byte = this.input[this.#pos];
      if (byte === undefined) return `line ${openedOn}, field ${column}: quoted field is never closed`;
      if (byte === QUOTE && this.input[this.#pos + 1] === QUOTE) {
        chunks.push(this.input.subarray(chunkStart, this.#pos + 1)); // keep one quote
        this.#pos += 2;
        chunkStart = this.#pos;
        continue;
      }
      if (byte === QUOTE) {
        chunks.push(this.input.subarray(chunkStart, this.#pos++));
        return this.#atFieldEnd()
          ? Buffer.concat(chunks)
          : `line ${this.#line}, field ${column}: text after the closing quote`;
      }
      if (byte === LF) this.#line++;
      this.#pos++;
    }
  }

  #atFieldEnd(): boolean {
    const byte = this.input[this.#pos];
    return byte === undefined || byte === COMMA || byte === CR || byte === LF;
  }

  #skipToLineEnd(): void {
    while (this.#pos < this.input.length && this.input[this.#pos] !== CR && this.input[this.#pos] !== LF)
      this.#pos++;
  }

  #consumeLineBreak(): void {
    const start = this.#pos;
    if (this.input[this.#pos] === CR) this.#pos++;
    if (this.input[this.#pos] === LF) this.#pos++;
    if (this.#pos > start) this.#line++;
  }
}

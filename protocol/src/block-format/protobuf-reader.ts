/**
 * A small protobuf wire-format reader (https://protobuf.dev/programming-guides/encoding/), no dependencies:
 * varints, 64- and 32-bit fixed fields, length-delimited fields; unknown fields are skipped, every length is
 * bounds-checked, and anything malformed throws a {@link ProtobufError} that names the message and field.
 * Enough to read Fabric's envelopes in a browser; it does not know any schema itself.
 */
import { concatBytes } from './der-writer.js';

/** Malformed protobuf bytes (truncated, a bad wire type, a length past the end, …). */
export class ProtobufError extends Error {
  override readonly name = 'ProtobufError';
}

export const WIRE_TYPE = { VARINT: 0, FIXED64: 1, LENGTH_DELIMITED: 2, FIXED32: 5 } as const;

/** One field as it appears on the wire (a repeated or re-sent field appears once per occurrence). */
export interface ProtobufField {
  readonly number: number;
  readonly wireType: number;
  /** The value of a varint field. */
  readonly varint?: bigint;
  /** The content of a length-delimited field, or the 8 or 4 little-endian bytes of a fixed field. */
  readonly bytes?: Uint8Array;
}

const MAX_VARINT_BYTES = 10;
const MAX_FIELD_NUMBER = 2 ** 29 - 1;

/** The varint at `offset` and the offset after it. */
export function readVarint(
  bytes: Uint8Array,
  offset: number,
  what = 'varint',
): { value: bigint; next: number } {
  let value = 0n;
  for (let i = 0; i < MAX_VARINT_BYTES; i++) {
    const at = offset + i;
    if (at >= bytes.length) throw new ProtobufError(`protobuf: ${what} is truncated at byte ${at}`);
    const byte = bytes[at] ?? 0;
    value |= BigInt(byte & 0x7f) << BigInt(7 * i);
    if ((byte & 0x80) === 0) {
      if (i === MAX_VARINT_BYTES - 1 && byte > 1) {
        throw new ProtobufError(`protobuf: ${what} at byte ${offset} is wider than 64 bits`);
      }
      return { value, next: at + 1 };
    }
  }
  throw new ProtobufError(`protobuf: ${what} at byte ${offset} is longer than ${MAX_VARINT_BYTES} bytes`);
}

function fixed(bytes: Uint8Array, offset: number, size: number, what: string): Uint8Array {
  if (offset + size > bytes.length) {
    throw new ProtobufError(
      `protobuf: ${what} needs ${size} bytes at byte ${offset}, ${bytes.length - offset} left`,
    );
  }
  return bytes.subarray(offset, offset + size);
}

/** Every field of an encoded message, in wire order. `message` names it in errors. */
export function protobufFields(bytes: Uint8Array, message = 'message'): ProtobufField[] {
  const fields: ProtobufField[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const key = readVarint(bytes, offset, `${message}: field key`);
    const number = Number(key.value >> 3n);
    const wireType = Number(key.value & 7n);
    if (number < 1 || number > MAX_FIELD_NUMBER) {
      throw new ProtobufError(`protobuf: ${message}: invalid field number ${number} at byte ${offset}`);
    }
    const what = `${message}: field ${number}`;
    offset = key.next;
    switch (wireType) {
      case WIRE_TYPE.VARINT: {
        const { value, next } = readVarint(bytes, offset, what);
        fields.push({ number, wireType, varint: value });
        offset = next;
        break;
      }
      case WIRE_TYPE.FIXED64:
        fields.push({ number, wireType, bytes: fixed(bytes, offset, 8, what) });
        offset += 8;
        break;
      case WIRE_TYPE.FIXED32:
        fields.push({ number, wireType, bytes: fixed(bytes, offset, 4, what) });
        offset += 4;
        break;
      case WIRE_TYPE.LENGTH_DELIMITED: {
        const length = readVarint(bytes, offset, `${what} length`);
        const left = bytes.length - length.next;
        if (length.value > BigInt(left)) {
          throw new ProtobufError(
            `protobuf: ${what} is ${length.value} bytes long but only ${left} bytes are left (truncated?)`,
          );
        }
        const end = length.next + Number(length.value);
        fields.push({ number, wireType, bytes: bytes.subarray(length.next, end) });
        offset = end;
        break;
      }
      default:
        throw new ProtobufError(
          `protobuf: ${what} has wire type ${wireType} at byte ${offset}, which is not supported`,
        );
    }
  }
  return fields;
}

/**
 * An encoded message read field by field, with proto3's rules: a missing scalar is its default, a scalar
 * sent twice keeps its last value, an embedded message sent twice is the merge of both (the concatenation of
 * their encodings), a repeated field keeps every occurrence.
 */
export class ProtobufMessage {
  readonly #fields: readonly ProtobufField[];

  private constructor(
    readonly name: string,
    readonly encoded: Uint8Array,
  ) {
    this.#fields = protobufFields(encoded, name);
  }

  /** Reads `bytes` as the message `name` (used in error messages, e.g. `Envelope`). */
  static decode(bytes: Uint8Array, name: string): ProtobufMessage {
    return new ProtobufMessage(name, bytes);
  }

  #occurrences(number: number, wireType: number, field: string): ProtobufField[] {
    const found = this.#fields.filter((f) => f.number === number);
    const wrong = found.find((f) => f.wireType !== wireType);
    if (wrong) {
      throw new ProtobufError(
        `protobuf: ${this.name}.${field} (field ${number}) has wire type ${wrong.wireType}, expected ${wireType}`,
      );
    }
    return found;
  }

  /** A `bytes` field (empty when absent). */
  bytes(number: number, field: string): Uint8Array {
    return this.#occurrences(number, WIRE_TYPE.LENGTH_DELIMITED, field).at(-1)?.bytes ?? new Uint8Array();
  }

  /** Every occurrence of a `repeated bytes` (or repeated message) field. */
  repeatedBytes(number: number, field: string): Uint8Array[] {
    return this.#occurrences(number, WIRE_TYPE.LENGTH_DELIMITED, field).map(
      (f) => f.bytes ?? new Uint8Array(),
    );
  }

  /** A `string` field: UTF-8, refused when invalid. */
  string(number: number, field: string): string {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(this.bytes(number, field));
    } catch (error) {
      if (error instanceof ProtobufError) throw error;
      throw new ProtobufError(`protobuf: ${this.name}.${field} (field ${number}) is not valid UTF-8`);
    }
  }

  /** An unsigned varint field (`uint64`, `uint32`) as a bigint (0n when absent). */
  uint(number: number, field: string): bigint {
    return this.#occurrences(number, WIRE_TYPE.VARINT, field).at(-1)?.varint ?? 0n;
  }

  /** An `int32` (or enum) field: the varint's low 32 bits, signed. */
  int32(number: number, field: string): number {
    return Number(BigInt.asIntN(32, this.uint(number, field)));
  }

  /** An `int64` field, signed. */
  int64(number: number, field: string): bigint {
    return BigInt.asIntN(64, this.uint(number, field));
  }

  /** An embedded message field, read as `name`; undefined when absent. */
  message(number: number, field: string, name: string): ProtobufMessage | undefined {
    const parts = this.repeatedBytes(number, field);
    if (parts.length === 0) return undefined;
    const merged = parts.length === 1 ? (parts[0] ?? new Uint8Array()) : concatBytes(...parts);
    return ProtobufMessage.decode(merged, `${this.name}.${field}(${name})`);
  }

  /** Every occurrence of a `repeated` message field, each read as `name`. */
  repeatedMessages(number: number, field: string, name: string): ProtobufMessage[] {
    return this.repeatedBytes(number, field).map((bytes, i) =>
      ProtobufMessage.decode(bytes, `${this.name}.${field}[${i}](${name})`),
    );
  }

  /** A `map<string, V>` field: its entries' keys and encoded values (last entry wins for a repeated key). */
  stringMap(number: number, field: string): Map<string, Uint8Array> {
    const entries = new Map<string, Uint8Array>();
    for (const entry of this.repeatedMessages(number, field, 'MapEntry')) {
      entries.set(entry.string(1, 'key'), entry.bytes(2, 'value'));
    }
    return entries;
  }
}

/**
 * A minimal DER reader (ITU-T X.690), enough to take X.509 certificates and ECDSA signatures apart in any
 * JavaScript runtime. It reads definite lengths only, as DER requires, and never allocates copies: every
 * element is a view into the input.
 */

export interface DerElement {
  /** The identifier octet (class, constructed bit, tag number < 31). */
  readonly tag: number;
  /** The whole element: identifier, length and contents. */
  readonly raw: Uint8Array;
  /** The contents octets. */
  readonly value: Uint8Array;
}

export const DER_TAG = {
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** Thrown for bytes that are not the DER expected. */
export class DerError extends Error {
  override readonly name = 'DerError';
}

/** The element starting at `offset` of `bytes`. */
export function readElement(bytes: Uint8Array, offset = 0): DerElement {
  const tag = bytes[offset];
  if (tag === undefined) throw new DerError(`DER: no element at offset ${offset}`);
  if ((tag & 0x1f) === 0x1f) throw new DerError('DER: multi-byte tags are not supported');
  const { length, headerBytes } = readLength(bytes, offset + 1);
  const start = offset + 1 + headerBytes;
  const end = start + length;
  if (end > bytes.length) throw new DerError(`DER: element at ${offset} runs past the end of the input`);
  return { tag, raw: bytes.subarray(offset, end), value: bytes.subarray(start, end) };
}

/** The elements inside a constructed element (a SEQUENCE, SET or explicit tag). */
export function children(element: DerElement): DerElement[] {
  const out: DerElement[] = [];
  for (let offset = 0; offset < element.value.length;) {
    const child = readElement(element.value, offset);
    out.push(child);
    offset += child.raw.length;
  }
  return out;
}

/** The single element that makes up `bytes` exactly (no trailing bytes). */
export function readWhole(bytes: Uint8Array, expectedTag: number): DerElement {
  const element = expectTag(readElement(bytes, 0), expectedTag);
  if (element.raw.length !== bytes.length) throw new DerError('DER: trailing bytes after the element');
  return element;
}

export function expectTag(element: DerElement | undefined, tag: number): DerElement {
  if (!element) throw new DerError(`DER: expected tag 0x${tag.toString(16)}, found nothing`);
  if (element.tag !== tag) {
    throw new DerError(`DER: expected tag 0x${tag.toString(16)}, found 0x${element.tag.toString(16)}`);
  }
  return element;
}

/** Dotted text of an OBJECT IDENTIFIER's contents. */
export function oidText(value: Uint8Array): string {
  const first = value[0];
  if (first === undefined) throw new DerError('DER: empty OID');
  const arcs = [Math.min(2, Math.floor(first / 40)), first - Math.min(2, Math.floor(first / 40)) * 40];
  let current = 0;
  for (let i = 1; i < value.length; i++) {
    const byte = value[i] as number;
    current = current * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) {
      arcs.push(current);
      current = 0;
    }
  }
  return arcs.join('.');
}

/** The bits of a BIT STRING with no unused bits (keys and signatures). */
export function bitStringBytes(element: DerElement): Uint8Array {
  expectTag(element, DER_TAG.BIT_STRING);
  if (element.value[0] !== 0) throw new DerError('DER: BIT STRING with unused bits');
  return element.value.subarray(1);
}

/** An unsigned big-endian integer from an INTEGER's contents. */
export function integerValue(element: DerElement): bigint {
  expectTag(element, DER_TAG.INTEGER);
  let value = 0n;
  for (const byte of element.value) value = (value << 8n) | BigInt(byte);
  return value;
}

function readLength(bytes: Uint8Array, offset: number): { length: number; headerBytes: number } {
  const first = bytes[offset];
  if (first === undefined) throw new DerError('DER: missing length');
  if (first < 0x80) return { length: first, headerBytes: 1 };
  const count = first & 0x7f;
  if (count === 0 || count > 4) throw new DerError('DER: indefinite or oversized length');
  let length = 0;
  for (let i = 1; i <= count; i++) {
    const byte = bytes[offset + i];
    if (byte === undefined) throw new DerError('DER: truncated length');
    length = length * 256 + byte;
  }
  return { length, headerBytes: 1 + count };
}

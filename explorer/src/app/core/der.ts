/**
 * The little DER (ITU-T X.690) the explorer needs: reading X.509 certificates and ECDSA signatures, and
 * writing the ASN.1 block header Fabric hashes. Definite lengths only, as DER requires.
 */
export const DER_TAG = {
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** One TLV: its tag, where its content lies in `bytes`, and where the whole element ends. */
export interface DerNode {
  readonly tag: number;
  readonly start: number;
  readonly contentStart: number;
  readonly end: number;
}

export class DerError extends Error {
  constructor(message: string) {
    super(`DER: ${message}`);
    this.name = 'DerError';
  }
}

/** The element starting at `offset`. */
export function readDer(bytes: Uint8Array, offset = 0): DerNode {
  const tag = bytes[offset];
  const first = bytes[offset + 1];
  if (tag === undefined || first === undefined) throw new DerError(`truncated element at ${offset}`);
  let length = first;
  let contentStart = offset + 2;
  if (first & 0x80) {
    const count = first & 0x7f;
    if (count === 0 || count > 4) throw new DerError(`unsupported length of ${count} bytes at ${offset}`);
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + (bytes[contentStart + i] ?? 0);
    contentStart += count;
  }
  const end = contentStart + length;
  if (end > bytes.length) throw new DerError(`element at ${offset} runs past the end`);
  return { tag, start: offset, contentStart, end };
}

/** The elements inside a constructed element (SEQUENCE, SET, context-specific). */
export function derChildren(bytes: Uint8Array, node: DerNode): DerNode[] {
  const children: DerNode[] = [];
  for (let at = node.contentStart; at < node.end;) {
    const child = readDer(bytes, at);
    children.push(child);
    at = child.end;
  }
  return children;
}

export function derContent(bytes: Uint8Array, node: DerNode): Uint8Array {
  return bytes.subarray(node.contentStart, node.end);
}

export function derElement(bytes: Uint8Array, node: DerNode): Uint8Array {
  return bytes.subarray(node.start, node.end);
}

/** Dotted text of an OBJECT IDENTIFIER's content bytes. */
export function decodeOid(content: Uint8Array): string {
  const parts: number[] = [];
  let value = 0;
  for (const byte of content) {
    value = value * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      parts.push(value);
      value = 0;
    }
  }
  const first = parts.shift() ?? 0;
  const head = first < 80 ? [Math.floor(first / 40), first % 40] : [2, first - 80];
  return [...head, ...parts].join('.');
}

function encodeLength(length: number): number[] {
  if (length < 0x80) return [length];
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff);
  return [0x80 | bytes.length, ...bytes];
}

/** One TLV element. */
export function derEncode(tag: number, content: Uint8Array): Uint8Array {
  const header = [tag, ...encodeLength(content.length)];
  const out = new Uint8Array(header.length + content.length);
  out.set(header);
  out.set(content, header.length);
  return out;
}

export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

export function derSequence(...elements: readonly Uint8Array[]): Uint8Array {
  return derEncode(DER_TAG.SEQUENCE, concatBytes(...elements));
}

/** A non-negative INTEGER from a number or bigint, minimal two's-complement. */
export function derInteger(value: number | bigint): Uint8Array {
  return derEncode(DER_TAG.INTEGER, unsignedIntegerContent(BigInt(value)));
}

/** The content bytes of a non-negative INTEGER: big-endian, a leading 0 when the top bit is set. */
export function unsignedIntegerContent(value: bigint): Uint8Array {
  if (value < 0n) throw new DerError('negative integers are not supported');
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  const bytes = hex.match(/../g)?.map((h) => parseInt(h, 16)) ?? [0];
  if ((bytes[0] ?? 0) & 0x80) bytes.unshift(0);
  return new Uint8Array(bytes);
}

export function derOctetString(bytes: Uint8Array): Uint8Array {
  return derEncode(DER_TAG.OCTET_STRING, bytes);
}

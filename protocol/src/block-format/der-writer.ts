/** The little DER (ITU-T X.690) writing the block formats need: definite lengths, as DER requires. */

import { concatBytes } from '../bytes.js';

export { concatBytes };

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

export function derSequence(...elements: readonly Uint8Array[]): Uint8Array {
  return derEncode(0x30, concatBytes(...elements));
}

/** The content bytes of a non-negative INTEGER: big-endian, minimal, a leading 0 when the top bit is set. */
export function unsignedIntegerContent(value: bigint): Uint8Array {
  if (value < 0n) throw new RangeError('DER: negative integers are not supported');
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  const bytes = (hex.match(/../g) ?? []).map((h) => parseInt(h, 16));
  if ((bytes[0] ?? 0) & 0x80) bytes.unshift(0);
  return new Uint8Array(bytes);
}

/** A non-negative INTEGER from a number or bigint. */
export function derInteger(value: number | bigint): Uint8Array {
  return derEncode(0x02, unsignedIntegerContent(BigInt(value)));
}

export function derOctetString(bytes: Uint8Array): Uint8Array {
  return derEncode(0x04, bytes);
}

/**
 * DER writing (ITU-T X.690) for X.509 certificates, beside the reader `der.ts`: the few universal types a
 * certificate is made of. Builds on the block formats' writer (`../block-format/der-writer.ts`: TLV, SEQUENCE,
 * INTEGER, OCTET STRING), which stays the one home of those. Every function returns the whole element.
 */
import { utf8Encode } from '../bytes.js';
import {
  concatBytes,
  derEncode,
  derInteger,
  derOctetString,
  derSequence,
} from '../block-format/der-writer.js';
import { DER_TAG } from './der.js';

export { concatBytes, derEncode, derInteger, derOctetString, derSequence };

export function derSet(...elements: readonly Uint8Array[]): Uint8Array {
  // DER orders the members of a SET OF by their encodings (X.690 11.6)
  const sorted = [...elements].sort(compareBytes);
  return derEncode(DER_TAG.SET, concatBytes(...sorted));
}

export function derBoolean(value: boolean): Uint8Array {
  return derEncode(0x01, new Uint8Array([value ? 0xff : 0x00]));
}

/** An OBJECT IDENTIFIER from its dotted text (`1.2.156.10197.1.501`). */
export function derOid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map((arc) => {
    if (!/^\d+$/.test(arc)) throw new RangeError(`DER: OID ${JSON.stringify(dotted)} has a non-numeric arc`);
    return BigInt(arc);
  });
  const [first, second, ...rest] = arcs;
  if (first === undefined || second === undefined || first > 2n || (first < 2n && second > 39n)) {
    throw new RangeError(`DER: ${JSON.stringify(dotted)} is not an OID`);
  }
  const bytes: number[] = [];
  for (const arc of [first * 40n + second, ...rest]) {
    const groups: number[] = [];
    for (let value = arc; ; value >>= 7n) {
      groups.unshift(Number(value & 0x7fn));
      if (value < 0x80n) break;
    }
    bytes.push(...groups.map((group, i) => (i < groups.length - 1 ? group | 0x80 : group)));
  }
  return derEncode(DER_TAG.OID, new Uint8Array(bytes));
}

/** A BIT STRING of whole bytes (keys, signatures). */
export function derBitString(bytes: Uint8Array, unusedBits = 0): Uint8Array {
  if (unusedBits < 0 || unusedBits > 7 || (unusedBits > 0 && bytes.length === 0)) {
    throw new RangeError(`DER: ${unusedBits} unused bits in a BIT STRING of ${bytes.length} bytes`);
  }
  return derEncode(DER_TAG.BIT_STRING, concatBytes(new Uint8Array([unusedBits]), bytes));
}

/**
 * A named BIT STRING (X.690 11.2.2: trailing zero bits removed) from the numbers of its set bits, bit 0 first:
 * X.509 key usage.
 */
export function derNamedBits(bits: readonly number[]): Uint8Array {
  if (bits.length === 0) return derBitString(new Uint8Array(0));
  const highest = Math.max(...bits);
  const bytes = new Uint8Array(Math.floor(highest / 8) + 1);
  for (const bit of bits) bytes[bit >> 3] = (bytes[bit >> 3] ?? 0) | (0x80 >> (bit & 7));
  return derBitString(bytes, 7 - (highest & 7));
}

export function derUtf8String(text: string): Uint8Array {
  return derEncode(DER_TAG.UTF8_STRING, utf8Encode(text));
}

export function derPrintableString(text: string): Uint8Array {
  if (!/^[A-Za-z0-9 '()+,\-./:=?]*$/.test(text)) {
    throw new RangeError(`DER: ${JSON.stringify(text)} is not a PrintableString`);
  }
  return derEncode(DER_TAG.PRINTABLE_STRING, utf8Encode(text));
}

/**
 * An X.509 Time (RFC 5280 4.1.2.5): UTCTime for the years 1950 to 2049, GeneralizedTime otherwise; whole seconds,
 * UTC (`Z`). Milliseconds are refused rather than silently dropped.
 */
export function derTime(at: Date): Uint8Array {
  const ms = at.getTime();
  if (!Number.isFinite(ms)) throw new RangeError('DER: an invalid date');
  if (ms % 1000 !== 0) throw new RangeError(`DER: ${at.toISOString()} is not a whole second`);
  const iso = at.toISOString(); // YYYY-MM-DDTHH:MM:SS.000Z
  const digits = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  const year = at.getUTCFullYear();
  return year >= 1950 && year < 2050
    ? derEncode(DER_TAG.UTC_TIME, utf8Encode(digits.slice(2)))
    : derEncode(DER_TAG.GENERALIZED_TIME, utf8Encode(digits));
}

/** `[n] EXPLICIT` around an element (context-specific, constructed). */
export function derExplicit(tagNumber: number, element: Uint8Array): Uint8Array {
  return derEncode(0xa0 | tagNumber, element);
}

/** `[n] IMPLICIT` primitive contents (context-specific, primitive): e.g. an AuthorityKeyIdentifier's keyIdentifier. */
export function derImplicitPrimitive(tagNumber: number, contents: Uint8Array): Uint8Array {
  return derEncode(0x80 | tagNumber, contents);
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  }
  return a.length - b.length;
}

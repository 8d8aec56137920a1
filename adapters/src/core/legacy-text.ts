/**
 * Legacy text: GBK, GB18030 or UTF-8 bytes to a JavaScript string, or a precise refusal. GB18030 is a superset
 * of GBK (every GBK text decodes the same), and also encodes every Unicode character outside GBK in four bytes
 * (U+20000 𠀀 is `95 32 82 36`). Nothing is ever replaced silently: a byte sequence with no character behind it
 * is refused with its offset.
 */
import iconv from 'iconv-lite';
import { z } from 'zod';

export const LegacyEncodingSchema = z.enum(['gbk', 'gb18030', 'utf-8']);
export type LegacyEncoding = z.infer<typeof LegacyEncodingSchema>;

export type DecodeResult =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly offset: number; readonly message: string };

const REPLACEMENT = '\uFFFD';
/** The GB18030 encoding of U+FFFD itself, the one sequence that legitimately decodes to it. */
const GB18030_FFFD = Buffer.from([0x84, 0x31, 0xa4, 0x37]);

/** Decodes `bytes`, refusing (with the byte offset and why) anything that is not text in `encoding`. */
export function decodeLegacyText(bytes: Uint8Array, encoding: LegacyEncoding): DecodeResult {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return encoding === 'utf-8' ? decodeUtf8(buffer) : decodeGb(buffer, encoding);
}

/** Encodes text for a legacy system (used by the simulators and tests). */
export function encodeLegacyText(text: string, encoding: LegacyEncoding): Buffer {
  return encoding === 'utf-8' ? Buffer.from(text, 'utf8') : iconv.encode(text, encoding);
}

/** Whether every character of `text` can be written in `encoding` (GBK lacks most of CJK Extension B). */
export function isEncodable(text: string, encoding: LegacyEncoding): boolean {
  if (encoding === 'utf-8') return true;
  return iconv.decode(iconv.encode(text, encoding), encoding) === text;
}

function decodeUtf8(buffer: Buffer): DecodeResult {
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(buffer) };
  } catch {
    const lenient = buffer.toString('utf8');
    const offset = Buffer.byteLength(lenient.slice(0, lenient.indexOf(REPLACEMENT)), 'utf8');
    return {
      ok: false,
      offset,
      message: `byte ${offset} (${hex(buffer.subarray(offset, offset + 4))}) is not valid UTF-8`,
    };
  }
}

function decodeGb(buffer: Buffer, encoding: 'gbk' | 'gb18030'): DecodeResult {
  const text = iconv.decode(buffer, encoding);
  if (!text.includes(REPLACEMENT)) return { ok: true, text };
  const bad = firstUndecodable(buffer, encoding);
  return bad === undefined ? { ok: true, text } : { ok: false, ...bad };
}

/** Walks the GB byte structure; the first sequence with no character behind it, if any. */
function firstUndecodable(
  buffer: Buffer,
  encoding: 'gbk' | 'gb18030',
): { offset: number; message: string } | undefined {
  let offset = 0;
  while (offset < buffer.length) {
    const length = sequenceLength(buffer, offset);
    const sequence = buffer.subarray(offset, offset + Math.max(length, 1));
    if (length === 0 || !decodesAlone(sequence, encoding)) {
      return { offset, message: describeBadSequence(sequence, offset, encoding) };
    }
    offset += length;
  }
  return undefined;
}

/** Length of the GB18030-shaped sequence at `offset` (1, 2 or 4), or 0 if the bytes have no valid shape. */
function sequenceLength(buffer: Buffer, offset: number): number {
  const b1 = buffer[offset] ?? 0;
  if (b1 <= 0x80) return 1; // ASCII; 0x80 is the euro sign in GBK (cp936)
  if (b1 === 0xff) return 0;
  const b2 = buffer[offset + 1] ?? 0;
  if (isTrailByte(b2)) return 2;
  return isFourByteTail(buffer, offset) ? 4 : 0;
}

function isFourByteTail(buffer: Buffer, offset: number): boolean {
  return (
    isDigit(buffer[offset + 1] ?? 0) &&
    isLeadByte(buffer[offset + 2] ?? 0) &&
    isDigit(buffer[offset + 3] ?? 0)
  );
}

function isLeadByte(byte: number): boolean {
  return byte >= 0x81 && byte <= 0xfe;
}

function isTrailByte(byte: number): boolean {
  return (byte >= 0x40 && byte <= 0x7e) || (byte >= 0x80 && byte <= 0xfe);
}

function isDigit(byte: number): boolean {
  return byte >= 0x30 && byte <= 0x39;
}

function decodesAlone(sequence: Buffer, encoding: 'gbk' | 'gb18030'): boolean {
  const text = iconv.decode(sequence, encoding);
  return !text.includes(REPLACEMENT) || (encoding === 'gb18030' && sequence.equals(GB18030_FFFD));
}

function describeBadSequence(sequence: Buffer, offset: number, encoding: 'gbk' | 'gb18030'): string {
  const bytes = hex(sequence);
  if (encoding === 'gbk' && sequence.length === 4) {
    const wider = iconv.decode(sequence, 'gb18030');
    if (!wider.includes(REPLACEMENT)) {
      const cp = (wider.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
      return `bytes ${bytes} at byte ${offset} are the GB18030 four-byte sequence of U+${cp} ${wider}, a character outside GBK (declare the source as gb18030 to accept it)`;
    }
  }
  return `bytes ${bytes} at byte ${offset} are not a valid ${encoding.toUpperCase()} character`;
}

function hex(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(' ');
}

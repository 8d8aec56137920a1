/**
 * The few protobuf encodings tests need to build Fabric messages without a protobuf library (the explorer's
 * fixtures): fields in the order given, proto3 defaults (0, empty) left out as protoc does. Tested to write
 * the same bytes as Fabric's generated encoders.
 */
import { utf8Encode } from '../bytes.js';
import { concatBytes } from './der-writer.js';
import { WIRE_TYPE } from './protobuf-reader.js';

/** The varint encoding of a non-negative integer (a negative `int32` as its 64-bit two's complement). */
export function encodeVarint(value: number | bigint): Uint8Array {
  let rest = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  do {
    const low = Number(rest & 0x7fn);
    rest >>= 7n;
    out.push(rest > 0n ? low | 0x80 : low);
  } while (rest > 0n);
  return new Uint8Array(out);
}

function key(number: number, wireType: number): Uint8Array {
  return encodeVarint((BigInt(number) << 3n) | BigInt(wireType));
}

/** A varint field (`int32`, `uint64`, enum, bool); nothing when 0. */
export function varintField(number: number, value: number | bigint): Uint8Array {
  if (BigInt(value) === 0n) return new Uint8Array();
  return concatBytes(key(number, WIRE_TYPE.VARINT), encodeVarint(value));
}

/** A length-delimited field (`bytes`, `string` as UTF-8, an embedded message); nothing when empty. */
export function bytesField(number: number, value: Uint8Array | string): Uint8Array {
  const bytes = typeof value === 'string' ? utf8Encode(value) : value;
  if (bytes.length === 0) return new Uint8Array();
  return lengthDelimitedField(number, bytes);
}

/** A length-delimited field even when empty (an embedded message that is present, a repeated element). */
export function lengthDelimitedField(number: number, bytes: Uint8Array): Uint8Array {
  return concatBytes(key(number, WIRE_TYPE.LENGTH_DELIMITED), encodeVarint(bytes.length), bytes);
}

/** A message: its encoded fields one after another. */
export function protobufMessage(...fields: readonly Uint8Array[]): Uint8Array {
  return concatBytes(...fields);
}

/**
 * RFC 8785 JSON Canonicalization Scheme (JCS) over JavaScript values.
 *
 * Accepts what JSON can express: null, booleans, finite numbers, strings without lone surrogates, arrays
 * and plain objects. Anything else (undefined, NaN, Infinity, bigint, functions, symbols, Dates, Maps,
 * class instances, cycles) is refused with a {@link CanonicalizationError} naming where it was found.
 */

/** Thrown when a value has no JSON form. `path` points at the offending value (`$`, `$.a[2].b`). */
export class CanonicalizationError extends TypeError {
  override readonly name = 'CanonicalizationError';
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`canonicalize: ${reason} at ${path}`);
  }
}

/** Where a value sits, built only as deep as the walk goes and printed only on error. */
interface Location {
  readonly parent: Location | undefined;
  readonly key: string | number;
}

const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
/** What JSON.stringify escapes in a well-formed string (RFC 8785 3.2.2.2): `"`, `\\` and U+0000-U+001F. */
// eslint-disable-next-line no-control-regex -- the control characters are what it looks for
const NEEDS_ESCAPE = /["\\\u0000-\u001f]/;

/** The RFC 8785 canonical JSON text of `value`. */
export function canonicalize(value: unknown): string {
  // anything the fast walk does not take, or a value nested deeper than it goes: the careful walk, which
  // gives the same text or names what is wrong and where
  return fast(value, 0) ?? serialize(value, undefined, new Set<object>());
}

/**
 * The fast walk: one string built as it goes, no location or cycle bookkeeping. It gives up (undefined) at
 * anything that is not plainly JSON, and below {@link FAST_DEPTH} levels (which stops cycles too).
 */
const FAST_DEPTH = 64;

const isWellFormed: (text: string) => boolean =
  typeof (String.prototype as { isWellFormed?: unknown }).isWellFormed === 'function'
    ? (text) => (text as string & { isWellFormed(): boolean }).isWellFormed()
    : (text) => !LONE_SURROGATE.test(text);

function fast(value: unknown, depth: number): string | undefined {
  switch (typeof value) {
    case 'string':
      if (!isWellFormed(value)) return undefined;
      // most strings need no escape: quoted by concatenation, not copied whole by JSON.stringify
      return NEEDS_ESCAPE.test(value) ? JSON.stringify(value) : `"${value}"`;
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : undefined;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      return value === null ? 'null' : fastContainer(value, depth + 1);
    default:
      return undefined;
  }
}

function fastContainer(value: object, depth: number): string | undefined {
  if (depth > FAST_DEPTH) return undefined;
  if (Array.isArray(value)) return fastArray(value, depth);
  return isPlainObject(value) ? fastObject(value, depth) : undefined;
}

function fastArray(value: readonly unknown[], depth: number): string | undefined {
  let out = '[';
  for (let i = 0; i < value.length; i++) {
    const item = fast(value[i], depth);
    if (item === undefined) return undefined;
    out += i === 0 ? item : `,${item}`;
  }
  return `${out}]`;
}

function fastObject(value: Record<string, unknown>, depth: number): string | undefined {
  const keys = sortedKeys(value);
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const item = fast(value[key], depth);
    const quoted = item === undefined ? undefined : quotedKey(key);
    if (quoted === undefined) return undefined;
    out += i === 0 ? `${quoted}:${item as string}` : `,${quoted}:${item as string}`;
  }
  return `${out}}`;
}

/**
 * An object's own keys in RFC 8785 order (UTF-16 code units, which is how `<` compares strings). Records have a
 * few dozen keys: sorted in place by insertion, which allocates nothing, where `Array.prototype.sort` copies
 * the array into a work area first (measured in ingest: the largest allocation of the canonical walk).
 */
const INSERTION_SORT_MAX = 32;

function sortedKeys(value: object): string[] {
  const keys = Object.keys(value);
  if (keys.length > INSERTION_SORT_MAX) return keys.sort();
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i] as string;
    let j = i - 1;
    while (j >= 0 && (keys[j] as string) > key) {
      keys[j + 1] = keys[j] as string;
      j--;
    }
    keys[j + 1] = key;
  }
  return keys;
}

/**
 * The JSON text of object keys seen before: the same few hundred field names come in every record, and each
 * would otherwise be a `JSON.stringify` and a new string per use. Only well-formed keys are kept (a lone
 * surrogate sends the walk to the careful one), and at most {@link MAX_QUOTED_KEYS} of them, so keys that never
 * repeat (a map keyed by ids) cannot grow it without bound.
 */
const MAX_QUOTED_KEYS = 4096;
const quotedKeys = new Map<string, string>();

function quotedKey(key: string): string | undefined {
  let quoted = quotedKeys.get(key);
  if (quoted !== undefined) return quoted;
  if (!isWellFormed(key)) return undefined;
  quoted = JSON.stringify(key);
  if (quotedKeys.size < MAX_QUOTED_KEYS) quotedKeys.set(key, quoted);
  return quoted;
}

function serialize(value: unknown, at: Location | undefined, open: Set<object>): string {
  switch (typeof value) {
    case 'string':
      return serializeString(value, at);
    case 'number':
      return serializeNumber(value, at);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      return value === null ? 'null' : serializeContainer(value, at, open);
    case 'undefined':
      throw fail(at, 'undefined is not a JSON value (omit the property instead)');
    default:
      throw fail(at, `${typeof value} is not a JSON value`);
  }
}

function serializeString(value: string, at: Location | undefined): string {
  if (LONE_SURROGATE.test(value)) throw fail(at, 'string contains a lone UTF-16 surrogate (not I-JSON)');
  return JSON.stringify(value);
}

function serializeNumber(value: number, at: Location | undefined): string {
  if (!Number.isFinite(value)) throw fail(at, `${String(value)} is not a finite number`);
  // ES6 Number-to-String is exactly the RFC 8785 number form; JSON.stringify also maps -0 to "0".
  return JSON.stringify(value);
}

function serializeContainer(value: object, at: Location | undefined, open: Set<object>): string {
  if (open.has(value)) throw fail(at, 'circular reference');
  open.add(value);
  try {
    if (Array.isArray(value)) return serializeArray(value, at, open);
    if (isPlainObject(value)) return serializeObject(value, at, open);
    const kind = (value.constructor as { name?: string } | undefined)?.name ?? 'object';
    throw fail(at, `${kind} is not a plain object or array`);
  } finally {
    open.delete(value);
  }
}

function serializeArray(value: readonly unknown[], at: Location | undefined, open: Set<object>): string {
  const parts: string[] = [];
  for (let i = 0; i < value.length; i++) {
    parts.push(serialize(value[i], { parent: at, key: i }, open));
  }
  return `[${parts.join(',')}]`;
}

function serializeObject(
  value: Record<string, unknown>,
  at: Location | undefined,
  open: Set<object>,
): string {
  // The default sort compares UTF-16 code units, which is the order RFC 8785 prescribes.
  const keys = Object.keys(value).sort();
  const parts: string[] = [];
  for (const key of keys) {
    const child: Location = { parent: at, key };
    parts.push(`${serializeString(key, child)}:${serialize(value[key], child, open)}`);
  }
  return `{${parts.join(',')}}`;
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function fail(at: Location | undefined, reason: string): CanonicalizationError {
  return new CanonicalizationError(formatLocation(at), reason);
}

function formatLocation(at: Location | undefined): string {
  const segments: string[] = [];
  for (let l = at; l; l = l.parent) {
    if (typeof l.key === 'number') segments.push(`[${l.key}]`);
    else segments.push(IDENTIFIER.test(l.key) ? `.${l.key}` : `[${JSON.stringify(l.key)}]`);
  }
  return `$${segments.reverse().join('')}`;
}

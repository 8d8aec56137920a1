/**
 * Zod's answer for a valid value, without Zod's per-field machinery: `quickParse(schema, value)` returns what
 * `schema.safeParse(value)` would return as `data` (the same values, keys in the same order, fresh objects and
 * arrays), or `undefined` when only Zod can tell: the value is invalid, or the schema uses something this module
 * does not mirror. `validate` asks it first and Zod after; refusals, and their issues, always come from Zod.
 *
 * Why: Zod 4 runs every field through `_zod.run` with a payload object and an issues array of its own, and every
 * object through a copy: about 13 KB allocated and 16-20 µs to parse one envelope of about 900 bytes, most of a
 * record's decode in ingest and again in the chaincode. Here only the containers are walked (object, array,
 * record, union, discriminated union, optional, nullable), each building its output as Zod does; every leaf (a
 * string with its checks, a number, an enum, a literal) and every check of a container (`refine`,
 * `superRefine`, `.max()`) is Zod's own code, run on a payload as Zod runs it. A leaf whose output is not its
 * input (a transform, a default) or a check that rewrites its value makes the answer `undefined`.
 *
 * It reads Zod 4's internals (`schema._zod.def`, `optin`, `optout`, `check`): `quick-parse.test.ts` holds it to
 * `safeParse` on every protocol schema, valid values and broken ones, so a Zod upgrade that changes them fails
 * there, not in production.
 */
import { z } from 'zod';

/** Zod refuses the value. */
const INVALID: unique symbol = Symbol('invalid');
/** Only Zod can tell (a construct not mirrored here, or an output that is not the input). */
const UNSURE: unique symbol = Symbol('unsure');
type Parser = (value: unknown) => unknown;

interface Payload {
  value: unknown;
  issues: unknown[];
}

/** The parts of Zod 4's `$ZodType._zod` and `$ZodCheck._zod` read here. */
interface Internals {
  readonly def: Def;
  readonly traits: Set<string>;
  readonly optin?: 'optional' | 'defaulted';
  readonly optout?: 'optional';
  readonly values?: Set<unknown>;
  readonly propValues?: Record<string, Set<unknown>>;
  run(payload: Payload, ctx: object): Payload | Promise<Payload>;
}

interface Def {
  readonly type: string;
  readonly checks?: readonly { readonly _zod: CheckInternals }[];
  readonly shape?: Record<string, Schema>;
  readonly catchall?: Schema;
  readonly element?: Schema;
  readonly keyType?: Schema;
  readonly valueType?: Schema;
  readonly mode?: string;
  readonly options?: readonly Schema[];
  readonly discriminator?: string;
  readonly unionFallback?: boolean;
  readonly inclusive?: boolean;
  readonly innerType?: Schema;
}

interface CheckInternals {
  readonly def: { readonly when?: (payload: Payload) => boolean };
  check(payload: Payload): unknown;
}

interface Schema {
  readonly _zod: Internals;
}

/** What `safeParse` passes down. */
const CTX = { async: false };

let parsers = new WeakMap<object, Parser>();
/** Tests turn code generation off to hold the loop to Zod as well. */
let generate = true;

/** `schema.safeParse(value).data` when Zod would accept `value` and this module can tell; else `undefined`. */
export function quickParse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> | undefined {
  const out = parserOf(schema as unknown as Schema)(value);
  return out === INVALID || out === UNSURE ? undefined : (out as z.output<S>);
}

function parserOf(schema: Schema): Parser {
  let parser = parsers.get(schema);
  if (!parser) {
    // a recursive schema (z.lazy) reaches itself while compiling: until then it is Zod's
    parsers.set(schema, leaf(schema));
    parser = compile(schema);
    parsers.set(schema, parser);
  }
  return parser;
}

function compile(schema: Schema): Parser {
  const zod = schema._zod;
  // a schema that is itself a check (a string format, say) is Zod's to run
  if (zod.traits.has('$ZodCheck')) return leaf(schema);
  const structural = container(zod);
  if (!structural) return leaf(schema);
  const checks = zod.def.checks ?? [];
  if (checks.length === 0) return structural;
  return (value) => {
    const out = structural(value);
    return out === INVALID || out === UNSURE ? out : runChecks(checks, out);
  };
}

function container(zod: Internals): Parser | undefined {
  const { def, traits } = zod;
  if (traits.has('$ZodDiscriminatedUnion')) return discriminatedUnion(def);
  switch (def.type) {
    case 'object':
      return object(def);
    case 'array':
      return array(def);
    case 'record':
      return record(def);
    case 'union':
      return def.inclusive === false ? undefined : union(def);
    case 'optional':
      return optional(def, traits.has('$ZodExactOptional'));
    case 'nullable':
      return nullable(def);
    default:
      return undefined;
  }
}

/** Any schema, run by Zod: valid only if its output is its input (so never an object or an array). */
function leaf(schema: Schema): Parser {
  const zod = schema._zod;
  const values = zod.values;
  // an enum or a literal without checks is its set of values (`$ZodEnum` / `$ZodLiteral` parse as `values.has`)
  if (
    values &&
    (zod.def.type === 'enum' || zod.def.type === 'literal') &&
    !zod.def.checks?.length &&
    !zod.traits.has('$ZodCheck')
  )
    return (value) => (values.has(value) ? value : INVALID);
  return (value) => {
    const result = zod.run({ value, issues: [] }, CTX);
    if (result instanceof Promise) return UNSURE;
    if (result.issues.length > 0) return INVALID;
    return result.value === value ? value : UNSURE;
  };
}

/** Zod's `runChecks` on a value whose parts were valid: every check runs (unless its `when` says not), in order. */
function runChecks(checks: readonly { readonly _zod: CheckInternals }[], value: unknown): unknown {
  const payload: Payload = { value, issues: [] };
  for (const { _zod: check } of checks) {
    const when = check.def.when;
    if (when && !when(payload)) continue;
    if (check.check(payload) instanceof Promise) return UNSURE;
    if (payload.issues.length > 0) return INVALID;
  }
  return payload.value === value ? value : UNSURE;
}

/** Zod's own tests of what an object (`isObject`) and a record (`isPlainObject`) accept. */
const isObject = z.core.util.isObject as (value: unknown) => value is Record<string, unknown>;
const isPlainObject = z.core.util.isPlainObject as (value: unknown) => value is Record<string, unknown>;

interface Property {
  readonly key: string;
  readonly parse: Parser;
  /** Absent is fine and adds nothing to the output (`optin` and `optout` both `optional`). */
  readonly omittable: boolean;
  /** Absent is refused (neither optional nor defaulted). */
  readonly required: boolean;
}

/**
 * `$ZodObject` / `$ZodObjectJIT`: each shape key in shape order (an absent optional one skipped, `__proto__`
 * never copied), then the keys the shape lacks: refused by a strict object, dropped by a stripping one.
 */
function object(def: Def): Parser | undefined {
  const shape = def.shape ?? {};
  if (Object.getOwnPropertySymbols(shape).length > 0) return undefined;
  const catchall = def.catchall?._zod.def.type;
  const strict = catchall === 'never';
  if (catchall !== undefined && !strict) return undefined;
  const keys = new Set(Object.keys(shape));
  let parse: Parser | undefined;
  return (value) => {
    if (!parse) {
      const properties = [...keys]
        .filter((key) => key !== '__proto__')
        .map((key): Property => {
          const zod = (shape[key] as Schema)._zod;
          return {
            key,
            parse: parserOf(shape[key] as Schema),
            omittable: zod.optin === 'optional' && zod.optout === 'optional',
            required: zod.optin === undefined,
          };
        });
      parse =
        (canCompile() && compiledObject(properties, strict ? keys : undefined)) ||
        objectLoop(properties, strict ? keys : undefined);
    }
    return parse(value);
  };
}

/** The object parser as a loop over its properties. */
function objectLoop(properties: readonly Property[], strictKeys: Set<string> | undefined): Parser {
  return (value) => {
    if (!isObject(value)) return INVALID;
    const out: Record<string, unknown> = {};
    for (const property of properties) {
      const parsed = propertyOf(property, value);
      if (parsed === INVALID || parsed === UNSURE) return parsed;
      if (parsed !== ABSENT) out[property.key] = parsed;
    }
    return strictKeys && hasOtherKeys(value, strictKeys) ? INVALID : out;
  };
}

/** Absent, and fine so: nothing to copy. */
const ABSENT: unique symbol = Symbol('absent');

function propertyOf({ key, parse, omittable, required }: Property, value: Record<string, unknown>): unknown {
  const v = value[key];
  if (v !== undefined || key in value) return parse(v);
  if (omittable) return ABSENT;
  return required ? INVALID : UNSURE;
}

function hasOtherKeys(value: Record<string, unknown>, keys: Set<string>): boolean {
  for (const key in value) if (!keys.has(key)) return true;
  return false;
}

/**
 * The same parser written out with its keys as literals, as Zod's own `$ZodObjectJIT` does: each property access
 * then has one shape to expect, and the output is built in one hidden class (a loop's `value[key]` and
 * `out[key]` see every key and are several times slower).
 */
function compiledObject(
  properties: readonly Property[],
  strictKeys: Set<string> | undefined,
): Parser | undefined {
  const lines = [
    'return function quickObject(value) {',
    '  if (typeof value !== "object" || value === null || Array.isArray(value)) return INVALID;',
    '  const out = {};',
    '  let v;',
  ];
  properties.forEach(({ key, omittable, required }, i) => {
    const k = JSON.stringify(key);
    const absent = omittable ? '' : `return ${required ? 'INVALID' : 'UNSURE'};`;
    lines.push(
      `  v = value[${k}];`,
      `  if (v !== undefined || ${k} in value) {`,
      `    v = parsers[${i}](v);`,
      '    if (v === INVALID || v === UNSURE) return v;',
      `    out[${k}] = v;`,
      `  } else { ${absent} }`,
    );
  });
  if (strictKeys) lines.push('  for (const key in value) if (!keys.has(key)) return INVALID;');
  lines.push('  return out;', '};');
  try {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    const make = new Function('parsers', 'keys', 'INVALID', 'UNSURE', lines.join('\n')) as (
      parsers: readonly Parser[],
      keys: Set<string> | undefined,
      invalid: symbol,
      unsure: symbol,
    ) => Parser;
    return make(
      properties.map((p) => p.parse),
      strictKeys,
      INVALID,
      UNSURE,
    );
  } catch {
    return undefined;
  }
}

/**
 * Where Zod itself would generate code: not under `z.config({ jitless: true })`, and only if `new Function` works
 * (Zod's own probe, run once: a strict Content-Security-Policy reports every attempt, so there is no second).
 */
function canCompile(): boolean {
  return generate && z.core.globalConfig.jitless !== true && z.core.util.allowsEval.value;
}

/** For tests: forget every parser built, and build the next ones with generated code or without. */
export function resetQuickParse(options: { readonly generate: boolean }): void {
  parsers = new WeakMap();
  generate = options.generate;
}

/** `$ZodArray`: every element, in order, into a new array. */
function array(def: Def): Parser {
  let element: Parser | undefined;
  return (value) => {
    if (!Array.isArray(value)) return INVALID;
    element ??= parserOf(def.element as Schema);
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      const parsed = element(value[i]);
      if (parsed === INVALID || parsed === UNSURE) return parsed;
      out[i] = parsed;
    }
    return out;
  };
}

/**
 * `$ZodRecord` with a key schema that lists no values (a string with checks), not loose: every own enumerable
 * key in order, each key and value valid, into a new object. A refused key is Zod's to judge (it retries a
 * numeric one as a number).
 */
function record(def: Def): Parser | undefined {
  const keyType = def.keyType as Schema;
  if (keyType._zod.values !== undefined || def.mode === 'loose') return undefined;
  let keyOf: Parser | undefined;
  let valueOf: Parser | undefined;
  return (value) => {
    if (!isPlainObject(value)) return INVALID;
    keyOf ??= parserOf(keyType);
    valueOf ??= parserOf(def.valueType as Schema);
    const out: Record<string, unknown> = {};
    for (const key of Reflect.ownKeys(value)) {
      if (typeof key !== 'string') return UNSURE;
      if (skipped(value, key)) continue;
      const parsed = keyOf(key) === key ? valueOf(value[key]) : UNSURE;
      if (parsed === INVALID || parsed === UNSURE) return parsed;
      out[key] = parsed;
    }
    return out;
  };
}

/** Keys a record neither checks nor copies: `__proto__` and the non-enumerable ones. */
function skipped(value: object, key: string): boolean {
  return key === '__proto__' || !Object.prototype.propertyIsEnumerable.call(value, key);
}

/** `$ZodUnion`: the first option that accepts the value. */
function union(def: Def): Parser {
  let options: Parser[] | undefined;
  return (value) => {
    options ??= (def.options ?? []).map(parserOf);
    for (const option of options) {
      const parsed = option(value);
      if (parsed !== INVALID) return parsed;
    }
    return INVALID;
  };
}

/**
 * `$ZodDiscriminatedUnion`: the option whose discriminator values hold the value's (they are disjoint: Zod
 * refuses the schema otherwise); none, refused.
 */
function discriminatedUnion(def: Def): Parser | undefined {
  if (def.unionFallback) return undefined;
  const discriminator = def.discriminator as string;
  let byTag: Map<unknown, Schema | null> | undefined;
  return (value) => {
    if (!isObject(value)) return INVALID;
    byTag ??= discriminatorMap(def.options ?? [], discriminator);
    const option = byTag.get(value[discriminator]);
    return option ? parserOf(option)(value) : INVALID;
  };
}

/** Zod's `discriminatorMap`: each option's values of the discriminator (`propValues`); a shared undefined, no one's. */
function discriminatorMap(options: readonly Schema[], discriminator: string): Map<unknown, Schema | null> {
  const map = new Map<unknown, Schema | null>();
  for (const option of options) {
    for (const tag of option._zod.propValues?.[discriminator] ?? []) {
      map.set(tag, map.has(tag) ? null : option);
    }
  }
  return map;
}

/** `$ZodOptional` (undefined passes, unless the inner schema substitutes a default) and `$ZodExactOptional`. */
function optional(def: Def, exact: boolean): Parser {
  const innerType = def.innerType as Schema;
  let inner: Parser | undefined;
  return (value) => {
    if (value === undefined && !exact) return innerType._zod.optin === 'defaulted' ? UNSURE : undefined;
    inner ??= parserOf(innerType);
    return inner(value);
  };
}

function nullable(def: Def): Parser {
  let inner: Parser | undefined;
  return (value) => {
    if (value === null) return null;
    inner ??= parserOf(def.innerType as Schema);
    return inner(value);
  };
}

/** For tests: the answer with its reason (`invalid`, `unsure`) instead of `undefined`. */
export function quickVerdict(schema: z.ZodType, value: unknown): { value: unknown } | 'invalid' | 'unsure' {
  const out = parserOf(schema as unknown as Schema)(value);
  if (out === INVALID) return 'invalid';
  if (out === UNSURE) return 'unsure';
  return { value: out };
}

import { isDeepStrictEqual } from 'node:util';
import { expect } from 'chai';
import { z } from 'zod';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as api from './api/index.js';
import * as protocol from './index.js';
import { quickParse, quickVerdict, resetQuickParse } from './quick-parse.js';
import {
  numberedMilestone,
  sampleCertificate,
  sampleCheckpoint,
  sampleCreditEvent,
  sampleEnvelope,
  sampleIssuerGrant,
  sampleMilestone,
  sampleRecognitionRequest,
  sampleRevocation,
  sampleStageOf,
} from './testing/index.js';

/** Every Zod schema the package exports (its root and its `api` entry), by name. */
const SCHEMAS: ReadonlyArray<readonly [string, z.ZodType]> = [
  ...Object.entries(protocol),
  ...Object.entries(api),
].flatMap(([name, value]) =>
  typeof value === 'object' && value !== null && '_zod' in value ? [[name, value as z.ZodType] as const] : [],
);

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(join(__dirname, 'proof', 'fixtures', name), 'utf8')) as unknown;
}

function schema(name: string): z.ZodType {
  const found = SCHEMAS.find(([n]) => n === name);
  if (!found) throw new Error(`no exported schema ${name}`);
  return found[1];
}

/** Keys in order, all the way down: `isDeepStrictEqual` ignores key order, the canonical form does not need it, a reader of the JSON might. */
function keyOrder(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(keyOrder);
  if (typeof value === 'object' && value !== null)
    return Object.entries(value).map(([k, v]) => [k, keyOrder(v)]);
  return value;
}

/** What `quickParse` promises, checked against Zod for one value: returns how it answered. */
function holdsToZod(name: string, s: z.ZodType, value: unknown): 'valid' | 'invalid' | 'unsure' {
  const verdict = quickVerdict(s, value);
  const zod = s.safeParse(value);
  const where = `${name} on ${show(value)}`;
  if (verdict === 'invalid') {
    expect(zod.success, `quickParse refused what Zod accepts: ${where}`).to.equal(false);
    return 'invalid';
  }
  if (verdict === 'unsure') return 'unsure';
  expect(zod.success, `quickParse accepted what Zod refuses: ${where}`).to.equal(true);
  expect(isDeepStrictEqual(verdict.value, zod.data), `not Zod's output: ${where}`).to.equal(true);
  expect(keyOrder(verdict.value), `not Zod's key order: ${where}`).to.deep.equal(keyOrder(zod.data));
  return 'valid';
}

function show(value: unknown): string {
  try {
    return (JSON.stringify(value) ?? String(value)).slice(0, 300);
  } catch {
    return String(value);
  }
}

const certificate = sampleCertificate();
const revocation = sampleRevocation();
const credit = sampleCreditEvent();
const milestone = sampleMilestone();
const fullMilestone = numberedMilestone(7, {
  projectName: '望京科创园研发楼',
  projectType: 'COMMERCIAL',
  documentNo: '京环审〔2025〕7号',
  documents: [
    { name: '批复文件.pdf', sha256: 'ab'.repeat(32), bytes: 480_007 },
    { name: '附件.pdf', sha256: 'cd'.repeat(32) },
  ],
  details: { category: '报告书', floors: 8, underground: true, note: null, '1': 'numeric key' },
  version: 2,
  corrects: 'ef'.repeat(32),
  correctionReason: '更正项目名称',
});
const salt = '01'.repeat(32);

/** Valid values, each with the schema it is valid for. */
const SEEDS: ReadonlyArray<readonly [string, unknown]> = [
  ['MilestoneSchema', milestone],
  ['MilestoneSchema', fullMilestone],
  ['CertificateSchema', certificate],
  ['CertificateRevocationSchema', revocation],
  ['CreditEventSchema', credit],
  ['EnvelopeSchema', sampleEnvelope(milestone, 'milestone')],
  ['EnvelopeSchema', sampleEnvelope(fullMilestone, 'milestone')],
  ['EnvelopeSchema', sampleEnvelope(certificate, 'certificate')],
  ['EnvelopeSchema', sampleEnvelope(revocation, 'certificate-revocation')],
  ['EnvelopeSchema', sampleEnvelope(credit, 'credit')],
  ['MilestoneAnchorSchema', protocol.toMilestoneAnchor(fullMilestone, salt)],
  ['MilestoneAnchorSchema', protocol.toMilestoneAnchor(milestone, salt)],
  ['CertificateAnchorSchema', protocol.toCertificateAnchor(certificate, salt)],
  ['CreditAnchorSchema', protocol.toCreditAnchor(credit, salt)],
  ['RecognitionRequestSchema', sampleRecognitionRequest()],
  ['IssuerGrantSchema', sampleIssuerGrant('BJ', 'PNR', [sampleStageOf('PNR')])],
  ['CheckpointSchema', sampleCheckpoint()],
  ['AnyProofBundleSchema', fixture('proof-bundle.milestone.json')],
  ['AnyProofBundleSchema', fixture('proof-bundle.revoked-certificate.json')],
  ['AnyProofBundleSchema', fixture('proof-bundle.gm-milestone.json')],
];

/** Values no schema should take for granted. */
const ODD_VALUES: readonly unknown[] = [
  undefined,
  null,
  0,
  -1,
  1.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  '',
  ' padded ',
  'x'.repeat(5000),
  'line\nbreak',
  true,
  [],
  {},
  [1, 2],
  { a: 1 },
  Object.create(null) as object,
  new Date(0),
];

/** The value with one change at `path`: every path of the value, every odd value, a key dropped or added. */
function* variants(value: unknown): Generator<unknown> {
  for (const odd of ODD_VALUES) yield odd;
  if (Array.isArray(value)) {
    yield [];
    if (value.length > 0) yield [...value, value[0]];
    for (let i = 0; i < value.length; i++) {
      for (const inner of variants(value[i])) yield value.map((v, j) => (j === i ? inner : v));
    }
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const record = value as Record<string, unknown>;
  yield { ...record, unexpected: 1 };
  yield JSON.parse(`{"__proto__": 1, ${JSON.stringify(record).slice(1)}`) as unknown;
  yield Object.assign(Object.create(null) as object, record);
  yield Object.fromEntries(Object.entries(record).reverse());
  for (const key of Object.keys(record)) {
    const { [key]: _dropped, ...rest } = record;
    yield rest;
    yield { ...record, [key]: undefined };
    for (const inner of variants(record[key])) yield { ...record, [key]: inner };
  }
}

describe('quickParse', () => {
  for (const generate of [true, false]) {
    it(`answers every exported schema as Zod does, on every valid sample and every one-change variant of it (${generate ? 'generated object parsers' : 'object parsers as loops'})`, function () {
      this.timeout(120_000);
      resetQuickParse({ generate });
      try {
        const counts = { valid: 0, invalid: 0, unsure: 0 };
        for (const [name, seed] of SEEDS) {
          for (const [other, s] of SCHEMAS) counts[holdsToZod(other, s, seed)]++;
          for (const variant of variants(seed)) counts[holdsToZod(name, schema(name), variant)]++;
        }
        // the check above holds whatever the answers; these say the quick path is taken and refuses where it can
        expect(counts.valid).to.be.greaterThan(1000);
        expect(counts.invalid).to.be.greaterThan(10_000);
      } finally {
        resetQuickParse({ generate: true });
      }
    });
  }

  it('takes every valid sample the quick way, a fresh copy in the schema key order', () => {
    for (const [name, seed] of SEEDS) {
      const shuffled = JSON.parse(JSON.stringify(seed)) as Record<string, unknown>;
      const reversed = Object.fromEntries(Object.entries(shuffled).reverse());
      for (const value of [seed, shuffled, reversed]) {
        const verdict = quickVerdict(schema(name), value);
        expect(verdict, `${name} went to Zod`).to.be.an('object');
        const parsed = (verdict as { value: unknown }).value;
        expect(parsed).to.not.equal(value);
        expect(keyOrder(parsed)).to.deep.equal(keyOrder(schema(name).parse(value)));
      }
    }
  });

  it('answers as Zod does for each construct it mirrors, on hand-made schemas', () => {
    const schemas: Record<string, z.ZodType> = {
      nullable: z.strictObject({ a: z.string().nullable(), b: z.number().nullable().optional() }),
      optional: z.strictObject({ a: z.string().optional(), b: z.string().exactOptional() }),
      union: z.union([z.string().max(2), z.number().int(), z.strictObject({ x: z.boolean() }), z.null()]),
      record: z.record(z.string().min(1), z.number()).refine((r) => Object.keys(r).length <= 2),
      numericKeys: z.record(z.number(), z.string()),
      array: z
        .array(z.strictObject({ n: z.number() }))
        .min(1)
        .max(2),
      strip: z.object({ a: z.number(), nested: z.object({ b: z.string() }) }),
      nested: z.discriminatedUnion('t', [
        z.discriminatedUnion('u', [
          z.strictObject({ t: z.literal('a'), u: z.literal(1) }),
          z.strictObject({ t: z.literal('a'), u: z.literal(2), v: z.string() }),
        ]),
        z.strictObject({ t: z.literal('b'), n: z.number().nullable() }),
      ]),
      optionalTag: z.discriminatedUnion('t', [
        z.strictObject({ t: z.literal('a').optional(), n: z.number() }),
        z.strictObject({ t: z.literal('b'), s: z.string() }),
      ]),
    };
    const values: unknown[] = [
      ...ODD_VALUES,
      'ab',
      'abc',
      7,
      { x: true },
      { x: 1 },
      { a: null },
      { a: 'x', b: null },
      { a: 'x', b: undefined },
      { a: undefined },
      { b: 'y' },
      { a: 1, nested: { b: 'x', c: 2 }, extra: true },
      { '1': 'one', '2': 'two' },
      { '1': 1, a: 2 },
      { a: 1, b: 2, c: 3 },
      { '': 1 },
      [{ n: 1 }],
      [{ n: 1 }, { n: 2 }, { n: 3 }],
      [{ n: 1, m: 2 }],
      { t: 'a', u: 1 },
      { t: 'a', u: 2, v: 'x' },
      { t: 'a', u: 3 },
      { t: 'b', n: null },
      { t: 'b', s: 's' },
      { n: 5 },
      { t: 'a', n: 5 },
    ];
    const counts = { valid: 0, invalid: 0, unsure: 0 };
    for (const [name, s] of Object.entries(schemas)) {
      for (const value of values) counts[holdsToZod(name, s, value)]++;
    }
    expect(counts.valid).to.be.greaterThan(15);
    expect(counts.invalid).to.be.greaterThan(200);
  });

  it('answers the same without generated code, where zod is told not to generate any (jitless)', () => {
    const make = (): z.ZodType =>
      z.strictObject({
        a: z.string(),
        b: z.number().exactOptional(),
        c: z.array(z.strictObject({ d: z.null() })),
      });
    const values = [
      { a: 'x', c: [] },
      { b: 1, a: 'x', c: [{ d: null }] },
      { a: 'x', e: 1 },
      { a: 1 },
      { a: 'x', b: undefined },
    ];
    z.config({ jitless: true });
    try {
      const s = make();
      const answers = values.map((v) => holdsToZod('jitless', s, v));
      expect(answers).to.deep.equal(['valid', 'valid', 'invalid', 'invalid', 'invalid']);
    } finally {
      z.config({ jitless: false });
    }
  });

  it('leaves to Zod what it does not mirror: transforms, defaults, stripped keys and custom object checks', () => {
    const cases: ReadonlyArray<readonly [z.ZodType, unknown, unknown]> = [
      [z.string().trim(), ' a ', 'a'],
      [z.strictObject({ a: z.number().default(1) }), {}, { a: 1 }],
      [z.strictObject({ a: z.string().transform((s) => s.length) }), { a: 'abc' }, { a: 3 }],
      [z.array(z.string().toUpperCase()), ['a'], ['A']],
      [z.looseObject({ a: z.number() }), { a: 1, b: 2 }, { a: 1, b: 2 }],
      [z.record(z.enum(['a', 'b']), z.number()), { a: 1, b: 2 }, { a: 1, b: 2 }],
    ];
    for (const [s, input, output] of cases) {
      expect(quickParse(s, input)).to.equal(undefined);
      expect(protocol.validate(s, input)).to.deep.equal({ ok: true, value: output });
    }
    // a stripping object drops the keys it lacks, as Zod does: the quick way, same output
    expect(quickParse(z.object({ a: z.number() }), { a: 1, b: 2 })).to.deep.equal({ a: 1 });
  });

  it('runs a container check on the built value, and leaves its refusal to Zod', () => {
    const s = z
      .strictObject({ from: z.number(), to: z.number() })
      .refine((r) => r.to > r.from, { message: 'to after from', params: { rule: 'order' } });
    expect(quickParse(s, { from: 1, to: 2 })).to.deep.equal({ from: 1, to: 2 });
    expect(quickVerdict(s, { from: 2, to: 1 })).to.equal('invalid');
    const result = protocol.validate(s, { from: 2, to: 1 });
    expect(result.ok ? [] : result.issues.map((i) => i.rule)).to.deep.equal(['order']);
  });

  it('picks a discriminated union option by its tag, refusing a tag no option has', () => {
    const s = z.discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('a'), n: z.number() }),
      z.strictObject({ kind: z.literal('b'), s: z.string() }),
    ]);
    expect(quickParse(s, { s: 'x', kind: 'b' })).to.deep.equal({ kind: 'b', s: 'x' });
    expect(quickVerdict(s, { kind: 'c' })).to.equal('invalid');
    expect(quickVerdict(s, { kind: 'a', s: 'x' })).to.equal('invalid');
    expect(s.safeParse({ kind: 'a', s: 'x' }).success).to.equal(false);
  });
});

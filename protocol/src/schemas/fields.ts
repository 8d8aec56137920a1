/** Field schemas shared by the records; every refinement names its rule (`params.rule`). */
import { getAddress } from 'ethers/address';
import { z } from 'zod';
import { checkProjectCode } from '../project-code.js';
import { RULE_OK, type RuleCheck } from '../protocol-validation.error.js';
import { SHA256_HEX } from '../sha256.js';
import { checkTimestamp } from '../timestamp.js';
import { checkUscc } from '../uscc.js';

/**
 * A string schema that passes `check`, reporting the rule it names when it does not. A zod `check` on the
 * parse payload rather than `superRefine`, which makes an `addIssue` closure per value checked: with a dozen
 * such fields per record, that was a measurable part of ingest's allocations. The issue is the one
 * `superRefine` would add (custom, not aborting the other checks).
 */
export function checkedString(check: (value: string) => RuleCheck): z.ZodString {
  return z.string().check((payload) => {
    const result = check(payload.value);
    if (!result.ok) {
      payload.issues.push({
        code: 'custom',
        message: result.message,
        params: { rule: result.rule },
        input: payload.value,
        continue: true,
      });
    }
  });
}

/** A string schema matching `pattern`; `rule` and `expected` explain a mismatch. */
export function patternString(pattern: RegExp, rule: string, expected: string): z.ZodString {
  return checkedString((value) =>
    pattern.test(value)
      ? RULE_OK
      : { ok: false, rule, message: `${JSON.stringify(truncate(value))} ${expected}` },
  );
}

/** Record identifiers: ledger keys, source record ids, recognition ids. */
export const RecordIdSchema = patternString(
  /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/,
  'recordId.format',
  'is not a record id (1-128 of A-Z a-z 0-9 . _ : -, starting with a letter or digit)',
);

/** The name of a legacy source system; no ':' so that `system:recordId:version` stays unambiguous. */
export const SourceSystemSchema = patternString(
  /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/,
  'sourceSystem.format',
  'is not a source system name (1-64 of A-Z a-z 0-9 . _ -, starting with a letter or digit)',
);

/** `system:recordId:version`, as {@link recordIdOf} builds it. */
export const SourceKeySchema = patternString(
  /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}:[A-Za-z0-9][A-Za-z0-9._:-]{0,127}:[1-9][0-9]{0,15}$/,
  'sourceKey.format',
  'is not a source key (system:recordId:version)',
);

/** A lower-case hex SHA-256 digest. */
export const Sha256HexSchema = patternString(
  SHA256_HEX,
  'sha256.format',
  'is not a SHA-256 digest (64 lower-case hex digits)',
);

/** An ISO 8601 timestamp with offset, e.g. `2025-03-06T16:30:00+08:00`. */
export const TimestampSchema = checkedString(checkTimestamp);

/** A unified social credit code (GB 32100-2015), both check characters verified. */
export const UsccSchema = checkedString(checkUscc);

/** A national investment project code of a Beijing-Tianjin-Hebei project. */
export const ProjectCodeSchema = checkedString((code) => {
  const result = checkProjectCode(code);
  return result.ok ? RULE_OK : result;
});

/** Free text: no control characters, no surrounding white space, 1..max characters. */
export function textSchema(max: number): z.ZodString {
  return checkedString((value) => checkText(value, max));
}

/** Names of people, enterprises, projects and documents. */
export const NameSchema = textSchema(200);

/** Certificate numbers as printed (may contain CJK, e.g. `建字第110105202500012号`). */
export const CertificateNumberSchema = textSchema(128);

/** An Ethereum address (`0x` + 40 hex digits; mixed case must carry a valid EIP-55 checksum). */
export const EthAddressSchema = checkedString((value) =>
  /^0x[0-9a-fA-F]{40}$/.test(value) && isChecksumValid(value)
    ? RULE_OK
    : {
        ok: false,
        rule: 'address.format',
        message: `${JSON.stringify(truncate(value))} is not an Ethereum address (0x + 40 hex digits, EIP-55)`,
      },
);

/** A 65-byte ECDSA signature, `0x` + 130 hex digits. */
export const SignatureSchema = patternString(
  /^0x[0-9a-fA-F]{130}$/,
  'signature.format',
  'is not a 65-byte signature (0x + 130 hex digits)',
);

/** A transaction hash on an EVM chain, `0x` + 64 lower-case hex digits. */
export const EvmTxHashSchema = patternString(
  /^0x[0-9a-f]{64}$/,
  'txHash.format',
  'is not a transaction hash (0x + 64 lower-case hex digits)',
);

export const DataClassSchema = z.enum(['public', 'internal', 'sensitive']);
export type DataClass = z.infer<typeof DataClassSchema>;

/** Where a record came from: legacy system, its record id there, and the record's version. */
export const SourceRefSchema = z.strictObject({
  system: SourceSystemSchema,
  recordId: RecordIdSchema,
  version: z.number().int().positive(),
});
export type SourceRef = z.infer<typeof SourceRefSchema>;

/** An attached document (e.g. the permit PDF), anchored by its own SHA-256. */
export const DocumentRefSchema = z.strictObject({
  name: NameSchema,
  sha256: Sha256HexSchema,
  bytes: z.number().int().nonnegative().exactOptional(),
});
export type DocumentRef = z.infer<typeof DocumentRefSchema>;

/** An applicant or holder: enterprise (or institution) name and its credit code. */
export const PartySchema = z.strictObject({ name: NameSchema, uscc: UsccSchema });
export type Party = z.infer<typeof PartySchema>;

/** `system:recordId:version`: the key a source record is de-duplicated and receipted by. */
export function recordIdOf(source: SourceRef): string {
  return `${source.system}:${source.recordId}:${source.version}`;
}

function checkText(value: string, max: number): RuleCheck {
  if (value.length === 0 || value.length > max) {
    return {
      ok: false,
      rule: 'text.length',
      message: `text has ${value.length} characters, expected 1 to ${max}`,
    };
  }
  if (value.trim() !== value) {
    return { ok: false, rule: 'text.whitespace', message: 'text has leading or trailing white space' };
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) {
    return { ok: false, rule: 'text.control', message: 'text contains control characters' };
  }
  return RULE_OK;
}

function isChecksumValid(address: string): boolean {
  const digits = address.slice(2);
  if (digits === digits.toLowerCase() || digits === digits.toUpperCase()) return true;
  try {
    return getAddress(address) === address;
  } catch {
    return false;
  }
}

function truncate(value: string): string {
  return value.length > 80 ? `${value.slice(0, 77)}...` : value;
}

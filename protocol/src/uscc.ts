/**
 * Unified social credit codes (统一社会信用代码, GB 32100-2015): 18 characters over 0-9 and A-Z without
 * I O S V Z. Position 18 is a mod-31 check over the first 17; positions 9-17 are a GB 11714 organisation
 * code whose 9th character is a mod-11 check.
 *
 * Organisation codes predate GB 32100 and may use any letter A-Z (GB 11714), so positions 9-16 accept A-Z.
 * GB 32100 gives a letter outside its own set no mod-31 value; such a letter counts as -1 (an index-of
 * lookup that finds nothing), which is how the shared vectors were made: `91110115MA02YZ7D0R` is valid.
 */
import { RULE_OK, violation, type RuleCheck, type RuleViolation } from './protocol-validation.error.js';

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const;
const LENGTH = 18;
const ORG_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ORG_CHECK_ALPHABET = '0123456789X';

/** Checks a unified social credit code, naming the rule it breaks. */
export function checkUscc(code: unknown): RuleCheck {
  if (typeof code !== 'string') return violation('uscc.type', 'unified social credit code must be a string');
  if (code.length !== LENGTH) {
    return violation('uscc.length', `unified social credit code has ${code.length} characters, expected 18`);
  }
  return checkAlphabet(code) ?? checkMod31(code) ?? checkOrganisationCode(code) ?? RULE_OK;
}

/** True for a well-formed unified social credit code with both check characters right. */
export function isValidUscc(code: unknown): boolean {
  return checkUscc(code).ok;
}

function checkAlphabet(code: string): RuleViolation | undefined {
  for (let i = 0; i < code.length; i++) {
    const ch = code.charAt(i);
    if (!alphabetAt(i).includes(ch)) {
      const hint = /[a-z]/.test(ch) ? '; codes are upper case' : '';
      return violation(
        'uscc.alphabet',
        `character '${ch}' at position ${i + 1} is not one of ${alphabetNameAt(i)}${hint}`,
      );
    }
  }
  return undefined;
}

/** The characters allowed at a position (checked for every code: a constant, nothing allocated). */
function alphabetAt(index: number): string {
  if (index >= 8 && index < 16) return ORG_ALPHABET;
  return index === 16 ? ORG_CHECK_ALPHABET : ALPHABET;
}

function alphabetNameAt(index: number): string {
  if (index >= 8 && index < 16) return '0-9 A-Z (organisation code, GB 11714)';
  return index === 16 ? '0-9 X (organisation code check)' : 'the code alphabet (0-9, A-Z without I O S V Z)';
}

function checkMod31(code: string): RuleViolation | undefined {
  const expected = mod31Check(code);
  const actual = code.charAt(17);
  return actual === expected
    ? undefined
    : violation('uscc.checksum', `check character (18th) is '${actual}', expected '${expected}'`);
}

function checkOrganisationCode(code: string): RuleViolation | undefined {
  const expected = organisationCheck(code);
  const actual = code.charAt(16);
  return actual === expected
    ? undefined
    : violation(
        'uscc.organisationCode',
        `organisation code check character (17th) is '${actual}', expected '${expected}' (GB 11714)`,
      );
}

/** GB 11714 character value: digits are themselves, letters A=10 ... Z=35. */
function gb11714Value(ch: string): number {
  const c = ch.charCodeAt(0);
  return c <= 57 ? c - 48 : c - 55;
}

/** How many distinct codes {@link generateUscc} makes for one seed, registrant and division: 31^8. */
export const USCC_SEQUENCE_SIZE = 31 ** 8;

/** What {@link generateUscc} puts in the fixed positions of the code. */
export interface UsccOptions {
  /**
   * Positions 1-2: registration authority and entity category from the code alphabet; default `91`
   * (market regulator, enterprise).
   */
  readonly registrant?: string;
  /** Positions 3-8: the six-digit administrative division (`110105`); default `110000`. */
  readonly division?: string;
  /** Picks one of many sequences (a non-negative safe integer); default 0. */
  readonly seed?: number;
}

const SPACE = BigInt(USCC_SEQUENCE_SIZE);
// an odd multiplier not divisible by 31 is a bijection of [0, 31^8): distinct indexes give distinct codes
const MIX = 0x9e3779b1n;
const SEED_STRIDE = 0x2545f491n;
const OFFSET = 0x5bd1e995n;

/**
 * The `index`-th unified social credit code of a deterministic sequence: the same arguments always give the
 * same code, distinct indexes below {@link USCC_SEQUENCE_SIZE} give distinct codes, and every code is strictly
 * valid (positions 9-16 from the GB 32100 alphabet only, both check characters computed).
 * Throws a `RangeError` naming the argument and rule when one is out of range.
 */
export function generateUscc(index: number, options: UsccOptions = {}): string {
  const { registrant = '91', division = '110000', seed = 0 } = options;
  requireCount('index', index);
  requireCount('seed', seed);
  if (!/^[0-9A-HJ-NPQRTUWXY]{2}$/.test(registrant))
    throw new RangeError(
      `registrant: '${registrant}' must be two characters of the code alphabet (uscc.alphabet)`,
    );
  if (!/^\d{6}$/.test(division))
    throw new RangeError(`division: '${division}' must be a six-digit administrative division code`);
  let n = (BigInt(index) * MIX + BigInt(seed) * SEED_STRIDE + OFFSET) % SPACE;
  let body = '';
  for (let i = 0; i < 8; i++) {
    body = ALPHABET.charAt(Number(n % 31n)) + body;
    n /= 31n;
  }
  const stem = `${registrant}${division}${body}`;
  const withOrgCheck = stem + organisationCheck(stem);
  return withOrgCheck + mod31Check(withOrgCheck);
}

function requireCount(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new RangeError(`${name}: ${String(value)} must be a non-negative safe integer`);
}

/** The GB 11714 check character (17th) of a code's first 16 characters. */
function organisationCheck(code: string): string {
  let sum = 0;
  ORG_WEIGHTS.forEach((weight, i) => (sum += gb11714Value(code.charAt(8 + i)) * weight));
  const remainder = 11 - (sum % 11);
  return remainder === 10 ? 'X' : remainder === 11 ? '0' : String(remainder);
}

/** The GB 32100 check character (18th) of a code's first 17 characters. */
function mod31Check(code: string): string {
  let sum = 0;
  WEIGHTS.forEach((weight, i) => (sum += ALPHABET.indexOf(code.charAt(i)) * weight));
  return ALPHABET.charAt((31 - (sum % 31)) % 31);
}

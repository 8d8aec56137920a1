/**
 * Unified social credit codes (统一社会信用代码, GB 32100-2015): 18 characters over 0-9 and A-Z without
 * I O S V Z. Position 18 is a mod-31 check over the first 17; positions 9-17 are a GB 11714 organisation
 * code whose 9th character is a mod-11 check.
 *
 * Organisation codes predate GB 32100 and may use any letter A-Z (GB 11714), so positions 9-16 accept A-Z.
 * GB 32100 gives a letter outside its own set no mod-31 value; such a letter counts as -1 (an index-of
 * lookup that finds nothing), which is how the shared vectors were made: `91110115MA02YZ7D0R` is valid.
 */
import { violation, type RuleCheck, type RuleViolation } from './protocol-validation.error.js';

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
  return checkAlphabet(code) ?? checkMod31(code) ?? checkOrganisationCode(code) ?? { ok: true };
}

/** True for a well-formed unified social credit code with both check characters right. */
export function isValidUscc(code: unknown): boolean {
  return checkUscc(code).ok;
}

function checkAlphabet(code: string): RuleViolation | undefined {
  for (let i = 0; i < code.length; i++) {
    const ch = code.charAt(i);
    const [alphabet, described] = alphabetAt(i);
    if (!alphabet.includes(ch)) {
      const hint = /[a-z]/.test(ch) ? '; codes are upper case' : '';
      return violation(
        'uscc.alphabet',
        `character '${ch}' at position ${i + 1} is not one of ${described}${hint}`,
      );
    }
  }
  return undefined;
}

function alphabetAt(index: number): [string, string] {
  if (index >= 8 && index < 16) return [ORG_ALPHABET, '0-9 A-Z (organisation code, GB 11714)'];
  if (index === 16) return [ORG_CHECK_ALPHABET, '0-9 X (organisation code check)'];
  return [ALPHABET, 'the code alphabet (0-9, A-Z without I O S V Z)'];
}

function checkMod31(code: string): RuleViolation | undefined {
  let sum = 0;
  WEIGHTS.forEach((weight, i) => (sum += ALPHABET.indexOf(code.charAt(i)) * weight));
  const expected = ALPHABET.charAt((31 - (sum % 31)) % 31);
  const actual = code.charAt(17);
  return actual === expected
    ? undefined
    : violation('uscc.checksum', `check character (18th) is '${actual}', expected '${expected}'`);
}

function checkOrganisationCode(code: string): RuleViolation | undefined {
  let sum = 0;
  ORG_WEIGHTS.forEach((weight, i) => (sum += gb11714Value(code.charAt(8 + i)) * weight));
  const remainder = 11 - (sum % 11);
  const expected = remainder === 10 ? 'X' : remainder === 11 ? '0' : String(remainder);
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

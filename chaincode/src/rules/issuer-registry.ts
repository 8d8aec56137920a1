// The issuer registry: which department of which region may record which stages and issue which
// certificate types, from when to when. Milestone and certificate writes are checked against it.
import {
  CERTIFICATE_TYPES,
  type CertificateType,
  type DepartmentCode,
  type RegionCode,
  type StageCode,
} from '@approval-ledger/protocol';
import { fail } from '../ledger/fail';
import type { IssuerGrantEntry } from '../ledger/entries';
import { KEY } from '../ledger/keys';
import { epochMs } from '../ledger/ledger-time';
import type { LedgerState } from '../ledger/ledger-state';

export type IssuedThing = { readonly stage: StageCode } | { readonly certificateType: CertificateType };

/** A grant with its validity as instants, parsed once per transaction rather than once per record checked. */
interface GrantWindow {
  readonly grant: IssuerGrantEntry;
  readonly fromMs: number;
  /** Infinity when open-ended. */
  readonly untilMs: number;
}

function windowOf(grant: IssuerGrantEntry): GrantWindow {
  const untilMs = grant.validUntil === undefined ? Infinity : epochMs(grant.validUntil);
  return { grant, fromMs: epochMs(grant.validFrom), untilMs };
}

function covers({ grant, fromMs, untilMs }: GrantWindow, thing: IssuedThing, atMs: number): boolean {
  if (fromMs > atMs || untilMs <= atMs) return false;
  return 'stage' in thing
    ? grant.stages.includes(thing.stage)
    : grant.certificateTypes.includes(thing.certificateType);
}

function describe(thing: IssuedThing): string {
  return 'stage' in thing
    ? `stage ${thing.stage}`
    : `certificate type ${thing.certificateType} (${CERTIFICATE_TYPES[thing.certificateType].zh})`;
}

/** Distinct times remembered per transaction (a batch holds at most 500 records). */
const INSTANT_CACHE = 1024;

export async function grantsOf(
  state: LedgerState,
  region: RegionCode,
  dept?: DepartmentCode,
): Promise<IssuerGrantEntry[]> {
  const listed = await state.list<IssuerGrantEntry>(KEY.issuerGrant, dept ? [region, dept] : [region]);
  return listed.map((l) => l.value);
}

/**
 * Caches grant lookups within one transaction (a batch checks the same department many times), with each grant's
 * validity parsed once, and the instants of the times checked (a batch's records often share one).
 */
export class IssuerCheck {
  readonly #state: LedgerState;
  readonly #grants = new Map<string, Promise<GrantWindow[]>>();
  readonly #instants = new Map<string, number>();
  /** The grants once read, for the checks that need not wait. */
  readonly #read = new Map<string, GrantWindow[]>();

  constructor(state: LedgerState) {
    this.#state = state;
  }

  async require(region: RegionCode, dept: DepartmentCode, thing: IssuedThing, at: string): Promise<void> {
    await this.check(region, dept, thing, at);
  }

  /**
   * `require`, answered at once (undefined, or a throw) once the department's grants are read in this
   * transaction; a promise only for the first check of a department. Saves a batch a promise per record.
   */
  check(region: RegionCode, dept: DepartmentCode, thing: IssuedThing, at: string): Promise<void> | undefined {
    const key = `${region}/${dept}`;
    const read = this.#read.get(key);
    if (read) return this.#decide(read, region, dept, thing, at);
    let grants = this.#grants.get(key);
    if (!grants) {
      grants = grantsOf(this.#state, region, dept).then((list) => {
        const windows = list.map(windowOf);
        this.#read.set(key, windows);
        return windows;
      });
      this.#grants.set(key, grants);
    }
    return grants.then((windows) => this.#decide(windows, region, dept, thing, at));
  }

  #decide(
    grants: readonly GrantWindow[],
    region: RegionCode,
    dept: DepartmentCode,
    thing: IssuedThing,
    at: string,
  ): undefined {
    const atMs = this.#instant(at);
    if (grants.some((g) => covers(g, thing, atMs))) return undefined;
    return fail(
      'ISSUER_NOT_AUTHORISED',
      `the issuer registry does not authorise ${dept} of ${region} for ${describe(thing)} at ${at}`,
    );
  }

  #instant(at: string): number {
    let ms = this.#instants.get(at);
    if (ms === undefined) {
      ms = epochMs(at);
      if (this.#instants.size >= INSTANT_CACHE) this.#instants.clear();
      this.#instants.set(at, ms);
    }
    return ms;
  }
}

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

function covers(grant: IssuerGrantEntry, thing: IssuedThing, atMs: number): boolean {
  if (epochMs(grant.validFrom) > atMs) return false;
  if (grant.validUntil !== undefined && epochMs(grant.validUntil) <= atMs) return false;
  return 'stage' in thing
    ? grant.stages.includes(thing.stage)
    : grant.certificateTypes.includes(thing.certificateType);
}

function describe(thing: IssuedThing): string {
  return 'stage' in thing
    ? `stage ${thing.stage}`
    : `certificate type ${thing.certificateType} (${CERTIFICATE_TYPES[thing.certificateType].zh})`;
}

export async function grantsOf(
  state: LedgerState,
  region: RegionCode,
  dept?: DepartmentCode,
): Promise<IssuerGrantEntry[]> {
  const listed = await state.list<IssuerGrantEntry>(KEY.issuerGrant, dept ? [region, dept] : [region]);
  return listed.map((l) => l.value);
}

/** Caches grant lookups within one transaction (a batch checks the same department many times). */
export class IssuerCheck {
  readonly #state: LedgerState;
  readonly #grants = new Map<string, Promise<IssuerGrantEntry[]>>();

  constructor(state: LedgerState) {
    this.#state = state;
  }

  async require(region: RegionCode, dept: DepartmentCode, thing: IssuedThing, at: string): Promise<void> {
    const key = `${region}/${dept}`;
    let grants = this.#grants.get(key);
    if (!grants) {
      grants = grantsOf(this.#state, region, dept);
      this.#grants.set(key, grants);
    }
    const atMs = epochMs(at);
    if ((await grants).some((g) => covers(g, thing, atMs))) return;
    fail(
      'ISSUER_NOT_AUTHORISED',
      `the issuer registry does not authorise ${dept} of ${region} for ${describe(thing)} at ${at}`,
    );
  }
}

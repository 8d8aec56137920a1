// The registry of officials whose EIP-712 signatures decide recognitions for a region: register, rotate
// (the old key revoked and replaced in one transaction) and revoke, by that region's admin only.
import { CHAINCODE_EVENTS, type RegionCode, type SignerRegistration } from '@approval-ledger/protocol';
import { getAddress } from 'ethers/address';
import type { Context } from 'fabric-contract-api';
import { callerOf, mspOf, requireRegion, requireRole } from '../ledger/caller';
import type { SignerEntry } from '../ledger/entries';
import { fail } from '../ledger/fail';
import { KEY } from '../ledger/keys';
import { txTime } from '../ledger/ledger-time';
import { LedgerState } from '../ledger/ledger-state';

function adminOf(ctx: Context, region: RegionCode): void {
  const caller = callerOf(ctx);
  requireRole(caller, ['admin'], 'keep the signer registry');
  requireRegion(caller, region, 'the signer registry');
}

export async function readSigner(
  state: LedgerState,
  region: RegionCode,
  address: string,
): Promise<SignerEntry> {
  const checksummed = getAddress(address);
  return (
    (await state.get<SignerEntry>(KEY.signer, [region, checksummed])) ??
    fail('NOT_FOUND', `${checksummed} is not a registered signer of ${region}`)
  );
}

async function writeSigner(state: LedgerState, entry: SignerEntry): Promise<void> {
  await state.put(KEY.signer, [entry.region, entry.address], entry);
  await state.setEndorsers(KEY.signer, [entry.region, entry.address], [mspOf(entry.region)]);
}

/** The entry to write for a new registration, or undefined when the same registration already exists. */
async function newRegistration(
  state: LedgerState,
  registration: SignerRegistration,
  now: string,
): Promise<SignerEntry | undefined> {
  const address = getAddress(registration.address);
  const existing = await state.get<SignerEntry>(KEY.signer, [registration.region, address]);
  if (existing?.revokedAt !== undefined)
    fail(
      'INVALID_STATE',
      `signer ${address} of ${registration.region} was revoked at ${existing.revokedAt}; register a new key`,
    );
  if (existing && (existing.name !== registration.name || existing.validFrom !== registration.validFrom)) {
    fail(
      'RECORD_CONFLICT',
      `signer ${address} of ${registration.region} is already registered as ${existing.name} from ${existing.validFrom}`,
    );
  }
  return existing ? undefined : { ...registration, address, txId: state.txId, recordedAt: now };
}

export async function registerSigner(ctx: Context, registration: SignerRegistration): Promise<SignerEntry> {
  adminOf(ctx, registration.region);
  const state = new LedgerState(ctx);
  const entry = await newRegistration(state, registration, txTime(ctx));
  if (entry) await writeSigner(state, entry);
  const address = getAddress(registration.address);
  state.emit(CHAINCODE_EVENTS.SignerChanged, {
    region: registration.region,
    address,
    change: 'registered',
    unchanged: entry === undefined,
  });
  return entry ?? (await readSigner(state, registration.region, address));
}

export async function rotateSigner(
  ctx: Context,
  oldAddress: string,
  registration: SignerRegistration,
): Promise<{ revoked: SignerEntry; registered: SignerEntry }> {
  adminOf(ctx, registration.region);
  const state = new LedgerState(ctx);
  const now = txTime(ctx);
  const old = await readSigner(state, registration.region, oldAddress);
  if (old.revokedAt !== undefined)
    fail('INVALID_STATE', `signer ${old.address} of ${old.region} was already revoked at ${old.revokedAt}`);
  const registered = await newRegistration(state, registration, now);
  if (!registered)
    fail(
      'RECORD_CONFLICT',
      `signer ${getAddress(registration.address)} of ${registration.region} is already registered`,
    );
  const revoked: SignerEntry = {
    ...old,
    revokedAt: now,
    revokedTxId: state.txId,
    replacedBy: registered.address,
  };
  await state.put(KEY.signer, [old.region, old.address], revoked);
  await writeSigner(state, registered);
  state.emit(CHAINCODE_EVENTS.SignerChanged, {
    region: old.region,
    address: registered.address,
    previous: old.address,
    change: 'rotated',
  });
  return { revoked, registered };
}

export async function revokeSigner(ctx: Context, region: RegionCode, address: string): Promise<SignerEntry> {
  adminOf(ctx, region);
  const state = new LedgerState(ctx);
  const signer = await readSigner(state, region, address);
  const revoked: SignerEntry =
    signer.revokedAt !== undefined ? signer : { ...signer, revokedAt: txTime(ctx), revokedTxId: state.txId };
  if (signer.revokedAt === undefined) await state.put(KEY.signer, [region, signer.address], revoked);
  state.emit(CHAINCODE_EVENTS.SignerChanged, {
    region,
    address: signer.address,
    change: 'revoked',
    unchanged: signer.revokedAt !== undefined,
  });
  return revoked;
}

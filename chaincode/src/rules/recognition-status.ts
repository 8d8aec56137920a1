// A recognition's status is derived when read: the decision's outcome (or PENDING), overridden by
// SOURCE_REVOKED once the recognised certificate carries a revocation. The issuing region revokes
// on its own key; no recognition key (and so no other region's endorsement) is touched.
import type { CertificateEntry, RecognitionEntry, RecognitionView } from '../ledger/entries';
import { KEY } from '../ledger/keys';
import type { LedgerState } from '../ledger/ledger-state';

export async function sourceRevoked(
  state: LedgerState,
  entry: Pick<RecognitionEntry, 'subjectType' | 'subjectId'>,
): Promise<boolean> {
  if (entry.subjectType !== 'certificate') return false;
  const certificate = await state.get<CertificateEntry>(KEY.certificate, [entry.subjectId]);
  return certificate?.revocation !== undefined;
}

export async function recognitionView(state: LedgerState, entry: RecognitionEntry): Promise<RecognitionView> {
  if (await sourceRevoked(state, entry)) return { ...entry, status: 'SOURCE_REVOKED' };
  return { ...entry, status: entry.decision ? entry.decision.outcome : 'PENDING' };
}

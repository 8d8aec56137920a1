// A certificate's status is derived when read, from its validity window and its revocation.
import type { CertificateEntry, CertificateStatus, CertificateView } from '../ledger/entries';
import { epochMs } from '../ledger/ledger-time';

export function statusAt(entry: CertificateEntry, at: string): CertificateStatus {
  const atMs = epochMs(at);
  if (entry.revocation && epochMs(entry.revocation.revokedAt) <= atMs) return 'REVOKED';
  if (epochMs(entry.validFrom) > atMs) return 'NOT_YET_VALID';
  if (entry.validUntil !== undefined && epochMs(entry.validUntil) <= atMs) return 'EXPIRED';
  return 'VALID';
}

export function viewAt(entry: CertificateEntry, at: string): CertificateView {
  return { ...entry, status: statusAt(entry, at), statusAt: at };
}

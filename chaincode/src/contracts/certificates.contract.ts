// Electronic certificates (电子证照): issue, revoke with a reason, get, verify, validity at a time.
import {
  CertificateAnchorSchema,
  CertificateNumberSchema,
  CertificateRevocationSchema,
  Sha256HexSchema,
  TimestampSchema,
  canonicalize,
} from '@approval-ledger/protocol';
import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import type { CertificateEntry } from '../ledger/entries';
import { fail } from '../ledger/fail';
import { check, parseArg } from '../ledger/input';
import { KEY } from '../ledger/keys';
import { epochMs, txTime } from '../ledger/ledger-time';
import { LedgerState, type HistoryItem } from '../ledger/ledger-state';
import { statusAt, viewAt } from '../rules/certificate-status';
import { issueCertificate, readCertificate, revokeCertificate } from '../services/certificate-service';

/** The version of the entry the ledger held at `at` (history is newest first). */
function recordedVersionAt(
  history: readonly HistoryItem<CertificateEntry>[],
  at: string,
): HistoryItem<CertificateEntry> | undefined {
  const atMs = epochMs(at);
  return history.find((h) => epochMs(h.timestamp) <= atMs);
}

@Info({
  title: 'certificates',
  description: 'Electronic certificates: issue, revoke, get, verify by number and digest, valid at a time',
})
export class CertificatesContract extends Contract {
  constructor() {
    super('certificates');
  }

  /** Anchors a certificate; returns it with its status now. Repeating the same commitment changes nothing. */
  @Transaction()
  @Returns('string')
  async Issue(ctx: Context, anchor: string): Promise<string> {
    return canonicalize(await issueCertificate(ctx, parseArg(CertificateAnchorSchema, 'anchor', anchor)));
  }

  /** Revokes a certificate with a reason; returns it with the recognitions the revocation affects. */
  @Transaction()
  @Returns('string')
  async Revoke(ctx: Context, revocation: string): Promise<string> {
    return canonicalize(
      await revokeCertificate(ctx, parseArg(CertificateRevocationSchema, 'revocation', revocation)),
    );
  }

  @Transaction(false)
  @Returns('string')
  async Get(ctx: Context, number: string): Promise<string> {
    const entry = await readCertificate(
      new LedgerState(ctx),
      check(CertificateNumberSchema, 'number', number),
    );
    return canonicalize(viewAt(entry, txTime(ctx)));
  }

  /** Is this document (by SHA-256) the anchored certificate `number`, and is it valid now? */
  @Transaction(false)
  @Returns('string')
  async Verify(ctx: Context, number: string, sha256: string): Promise<string> {
    const n = check(CertificateNumberSchema, 'number', number);
    const digest = check(Sha256HexSchema, 'sha256', sha256);
    const entry = await new LedgerState(ctx).get<CertificateEntry>(KEY.certificate, [n]);
    if (!entry)
      return canonicalize({
        number: n,
        sha256: digest,
        anchored: false,
        documentMatches: false,
        valid: false,
      });
    const view = viewAt(entry, txTime(ctx));
    const documentMatches = entry.documentDigests.includes(digest);
    return canonicalize({
      number: n,
      sha256: digest,
      anchored: true,
      documentMatches,
      valid: documentMatches && view.status === 'VALID',
      certificate: view,
    });
  }

  /** Was the certificate valid at `at`? Answered from the key's history: validity window, revocation, and what the ledger held then. */
  @Transaction(false)
  @Returns('string')
  async ValidAt(ctx: Context, number: string, at: string): Promise<string> {
    const n = check(CertificateNumberSchema, 'number', number);
    const when = check(TimestampSchema, 'at', at);
    const history = await new LedgerState(ctx).history<CertificateEntry>(KEY.certificate, [n]);
    const current = history[0]?.value ?? fail('NOT_FOUND', `certificate ${n} is not anchored`);
    const recorded = recordedVersionAt(history, when);
    const status = statusAt(current, when);
    return canonicalize({
      number: n,
      at: when,
      valid: status === 'VALID',
      status,
      recorded: recorded?.value
        ? { txId: recorded.txId, timestamp: recorded.timestamp, status: statusAt(recorded.value, when) }
        : null,
      history: history.map((h) => ({
        txId: h.txId,
        timestamp: h.timestamp,
        revoked: h.value?.revocation !== undefined,
      })),
    });
  }

  @Transaction(false)
  @Returns('string')
  async History(ctx: Context, number: string): Promise<string> {
    const n = check(CertificateNumberSchema, 'number', number);
    const history = await new LedgerState(ctx).history<CertificateEntry>(KEY.certificate, [n]);
    if (history.length === 0) fail('NOT_FOUND', `certificate ${n} is not anchored`);
    return canonicalize(history);
  }
}

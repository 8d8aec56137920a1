/**
 * Writes protocol/src/proof/fixtures/proof-bundle.*.json: real proof bundles from a throw-away embedded ledger (a
 * milestone anchored in a batch of three; a certificate anchored and then revoked), for the protocol
 * package's offline-verification tests (which must not depend on the hub). Run from hub/:
 *   npx ts-node --transpile-only scripts/make-proof-fixtures.ts
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newSalt, toCertificateAnchor, toMilestoneAnchor, type ProofBundle } from '@approval-ledger/protocol';
import pino from 'pino';
import { EmbeddedLedger } from '../src/ledger';
import { seedRegistries } from '../src/services/registry-seeder';
import { ChainIndex } from '../src/verification/chain-index';
import { ChainIndexer } from '../src/verification/chain-indexer';
import { ProofBundleBuilder } from '../src/verification/proof-bundle-builder';
import { certificate, milestone, revocation } from '../test/support/records';

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'proof-fixtures-'));
  const ledger = await EmbeddedLedger.open({ dataDir, batch: { timeoutMs: 5 } });
  const index = ChainIndex.open(join(dataDir, 'index.sqlite'));
  const indexer = new ChainIndexer(ledger, index, pino({ level: 'silent' }));
  indexer.start();
  try {
    await seedRegistries(ledger, dataDir);
    const records = [1, 2, 3].map((n) =>
      milestone({ region: 'BJ', dept: 'EE', n, document: `fixture document ${n}` }),
    );
    const salts = records.map(() => newSalt());
    const approver = { region: 'BJ' as const, role: 'approver' as const, dept: 'EE' as const };
    const batch = await ledger.submit(approver, 'milestones:RecordBatch', [
      JSON.stringify(records.map((r, i) => toMilestoneAnchor(r, salts[i]!))),
    ]);
    const cert = certificate('110105202503100101');
    const certSalt = newSalt();
    const hc = { region: 'BJ' as const, role: 'approver' as const, dept: 'HC' as const };
    const issued = await ledger.submit(hc, 'certificates:Issue', [
      JSON.stringify(toCertificateAnchor(cert, certSalt)),
    ]);
    const revokedAt = new Date(Date.now() - 1000).toISOString();
    const revoked = await ledger.submit(hc, 'certificates:Revoke', [
      JSON.stringify(revocation(cert.number, revokedAt)),
    ]);
    const builder = new ProofBundleBuilder(ledger);
    const second = records[1]!;
    const milestoneBundle = await builder.build({
      kind: 'milestone',
      id: second.id,
      anchor: toMilestoneAnchor(second, salts[1]!) as unknown as Record<string, unknown>,
      txId: batch.txId,
      opening: { record: second as unknown as Record<string, unknown>, salt: salts[1]! },
      query: second.documents[0]!.sha256,
      status: 'valid',
      tampered: false,
    });
    const certificateBundle = await builder.build({
      kind: 'certificate',
      id: cert.number,
      anchor: toCertificateAnchor(cert, certSalt) as unknown as Record<string, unknown>,
      txId: issued.txId,
      revocationTxId: revoked.txId,
      query: cert.documents[0]!.sha256,
      status: 'revoked',
      tampered: false,
    });
    const dir = join(__dirname, '..', '..', 'protocol', 'src', 'proof', 'fixtures');
    write(join(dir, 'proof-bundle.milestone.json'), milestoneBundle);
    write(join(dir, 'proof-bundle.revoked-certificate.json'), certificateBundle);
  } finally {
    await indexer.stop();
    index.close();
    await ledger.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function write(file: string, bundle: ProofBundle): void {
  writeFileSync(file, `${JSON.stringify(bundle, null, 2)}\n`);
  console.log(`wrote ${file}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

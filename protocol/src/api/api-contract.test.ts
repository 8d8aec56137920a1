import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHAINCODE_EVENTS } from '../chaincode-events.js';
import {
  ChaincodeEventSchema,
  LedgerEventSchema,
  ProvenanceEntrySchema,
  RevokedSchema,
  VerifyResponseSchema,
} from './index.js';

describe('the API contract (@approval-ledger/protocol/api)', () => {
  it('is an entry point of the package, for require and import', () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
      exports: Record<string, { import: { default: string }; require: { default: string } }>;
    };
    expect(pkg.exports['./api']?.import.default).to.equal('./dist/esm/api/index.js');
    expect(pkg.exports['./api']?.require.default).to.equal('./dist/cjs/api/index.js');
  });

  it('describes the payload of every chaincode event', () => {
    const names = ChaincodeEventSchema.options.map((o) => o.shape.name.value);
    expect(names).to.have.members(Object.values(CHAINCODE_EVENTS));
  });

  it('refuses unknown and renamed fields', () => {
    const revoked = { at: '2025-03-06T16:30:00+08:00', reason: null, txId: null };
    expect(RevokedSchema.safeParse(revoked).success).to.equal(true);
    expect(RevokedSchema.safeParse({ ...revoked, by: 'x' }).success).to.equal(false);
    const { reason: _reason, ...rest } = revoked;
    expect(RevokedSchema.safeParse({ ...rest, reasons: null }).success).to.equal(false);
    const answer = {
      sha256: 'a'.repeat(64),
      anchored: false,
      status: 'not-anchored',
      matches: [],
      checkedAt: '2025-03-06T08:31:02.123Z',
    };
    expect(VerifyResponseSchema.safeParse(answer).success).to.equal(true);
    expect(VerifyResponseSchema.safeParse({ ...answer, status: 'unknown' }).success).to.equal(false);
  });

  it('tells milestone and certificate entries, and live events, apart by their discriminator', () => {
    expect(ProvenanceEntrySchema.options.map((o) => o.shape.kind.value)).to.deep.equal([
      'milestone',
      'certificate',
    ]);
    expect(LedgerEventSchema.options.map((o) => o.shape.type.value)).to.deep.equal([
      'block',
      'receipt',
      'recognition',
    ]);
  });
});

/**
 * The core's Fabric block rules against genuine Fabric 2.4.9 blocks (../shared/fabric-fixtures): the genesis
 * block, then blocks 236 to 239 (VALID, two endorsements, ENDORSEMENT_POLICY_FAILURE, MVCC_READ_CONFLICT).
 * Tampered copies are made with Fabric's own message classes (@hyperledger/fabric-protos, test only).
 */
import { common, msp } from '@hyperledger/fabric-protos';
import { expect } from 'chai';
import {
  FABRIC_FIXTURE_BLOCKS,
  fabricManifestEntry,
  flipByte,
  readFabricFixture,
  tampered,
} from '../../test/fabric-fixtures.js';
import { type Check } from './check.js';
import { cryptoSuite } from './crypto-suite.js';
import { blockValidationCheck } from './block-rules.js';
import { type OrdererPolicy } from './channel-trust.js';
import { FabricChainWalker, type FabricBlockVerdict } from './fabric-block-rules.js';
import { runSync } from './rule.js';

const GENESIS = readFabricFixture('config-block-0.bin');

function walkerAfterGenesis(): FabricChainWalker {
  const walker = new FabricChainWalker();
  const genesis = runSync(walker.next(GENESIS), cryptoSuite());
  expect(genesis.ok, JSON.stringify(genesis.checks)).to.equal(true);
  walker.startWith(walker.trust!);
  return walker;
}

function walk(blocks: readonly Uint8Array[]): FabricBlockVerdict[] {
  const walker = walkerAfterGenesis();
  return blocks.map((b) => runSync(walker.next(b), cryptoSuite()));
}

function failures(verdict: FabricBlockVerdict): Check[] {
  return [
    ...verdict.checks,
    ...verdict.transactions.flatMap((t) => [t.code, t.verdict.creatorSignature, t.verdict.endorsementSet]),
  ].filter((c) => c.status === 'failed');
}

function failedNames(verdict: FabricBlockVerdict): string[] {
  return [...new Set(failures(verdict).map((c) => c.name))].sort();
}

function fixtureBlocks(): Uint8Array[] {
  return FABRIC_FIXTURE_BLOCKS.map(readFabricFixture);
}

describe('Fabric block rules on genuine Fabric blocks', () => {
  it('takes block 0 as the trust anchor: its configuration installs the organisations and BlockValidation', () => {
    const walker = new FabricChainWalker();
    const verdict = runSync(walker.next(GENESIS), cryptoSuite());
    const expected = fabricManifestEntry<{ expected: { header: { headerHashHex: string } } }>(
      'config-block-0.bin',
    ).expected;
    expect(verdict.ok).to.equal(true);
    expect(verdict.hash).to.equal(expected.header.headerHashHex);
    expect([...(walker.trust?.caByMspId.keys() ?? [])].sort()).to.deep.equal([
      'BeijingMSP',
      'HebeiMSP',
      'OrdererMSP',
      'TianjinMSP',
    ]);
    expect(walker.trust?.ordererPolicy?.blockValidation).to.deep.equal({
      kind: 'implicit-meta',
      subPolicy: 'Writers',
      rule: 'ANY',
    });
  });

  it('verifies blocks 236-239: links, data hashes, orderer signatures under BlockValidation, transactions', () => {
    const verdicts = walk(fixtureBlocks());
    for (const v of verdicts) expect(failures(v), `block ${v.number}`).to.deep.equal([]);
    expect(verdicts.map((v) => v.number)).to.deep.equal([236, 237, 238, 239]);
    const links = verdicts.map((v) => v.checks.find((c) => c.name === 'block.previousLink')?.status);
    expect(links).to.deep.equal(['unchecked', 'verified', 'verified', 'verified']);
    const policy = verdicts[0]!.checks.find((c) => c.name === 'block.validationPolicy');
    expect(policy).to.include({ status: 'verified' });
    expect(policy?.detail).to.contain('ANY Writers');
    expect(verdicts.slice(1).every((v) => v.ok)).to.equal(true);
    for (const [i, file] of FABRIC_FIXTURE_BLOCKS.entries()) {
      const header = fabricManifestEntry<{ expected: { header: { headerHashHex: string } } }>(file).expected
        .header;
      expect(verdicts[i]!.hash, file).to.equal(header.headerHashHex);
    }
  });

  it('explains the recorded ENDORSEMENT_POLICY_FAILURE and MVCC_READ_CONFLICT from the block alone', () => {
    const [, , policyFailure, mvcc] = walk(fixtureBlocks());
    expect(policyFailure!.transactions.map((t) => t.code.status)).to.deep.equal(['verified', 'verified']);
    expect(policyFailure!.transactions[1]!.code.detail).to.contain('changed the validation parameter');
    expect(mvcc!.transactions[1]!.code.detail).to.contain('MVCC_READ_CONFLICT');
  });

  it('refuses an invalid transaction recorded as VALID, naming the code it must have', () => {
    const forged = tampered('block-endorsement-policy-failure.bin', (b) => {
      b.getMetadata()!.getMetadataList_asU8()[2] = new Uint8Array([0, 0]);
    });
    const verdict = walk([readFabricFixture('block-two-endorsements.bin'), forged])[1]!;
    expect(failedNames(verdict)).to.deep.equal(['transaction.validationCode']);
    expect(verdict.transactions[1]!.code.detail).to.match(
      /recorded VALID, but it is ENDORSEMENT_POLICY_FAILURE/,
    );
    const mvcc = tampered('block-mvcc-read-conflict.bin', (b) => {
      b.getMetadata()!.getMetadataList_asU8()[2] = new Uint8Array([0, 0]);
    });
    const mvccVerdict = walk([mvcc])[0]!;
    expect(mvccVerdict.transactions[1]!.code).to.include({ status: 'failed' });
    expect(mvccVerdict.transactions[1]!.code.detail).to.contain('MVCC_READ_CONFLICT');
  });

  it('refuses a flipped envelope byte: the data hash and the creator signature fail', () => {
    const flipped = tampered('block-valid.bin', (b) => {
      const envelope = Uint8Array.from(b.getData()!.getDataList_asU8()[0]!);
      flipByte(envelope, envelope.length - 200);
      b.getData()!.setDataList([envelope]);
    });
    const names = failedNames(walk([flipped])[0]!);
    expect(names).to.include('block.dataHash');
  });

  it('refuses a wrong data hash in the header: the orderer signature no longer covers it', () => {
    const wrong = tampered('block-valid.bin', (b) => b.getHeader()!.setDataHash(new Uint8Array(32).fill(7)));
    expect(failedNames(walk([wrong])[0]!)).to.include.members([
      'block.dataHash',
      'block.ordererSignature',
      'block.validationPolicy',
    ]);
  });

  it('refuses a broken previous-hash link, and a gap in the chain', () => {
    const broken = tampered('block-two-endorsements.bin', (b) =>
      b.getHeader()!.setPreviousHash(new Uint8Array(32).fill(1)),
    );
    const verdict = walk([readFabricFixture('block-valid.bin'), broken])[1]!;
    expect(failedNames(verdict)).to.include('block.previousLink');
    const gap = walk([
      readFabricFixture('block-valid.bin'),
      readFabricFixture('block-endorsement-policy-failure.bin'),
    ])[1]!;
    expect(gap.checks.find((c) => c.name === 'block.previousLink')).to.include({ status: 'failed' });
  });

  it('refuses a stripped or forged orderer signature', () => {
    const stripped = tampered('block-valid.bin', (b) => {
      const metadata = common.Metadata.deserializeBinary(b.getMetadata()!.getMetadataList_asU8()[0]!);
      metadata.setSignaturesList([]);
      b.getMetadata()!.getMetadataList_asU8()[0] = metadata.serializeBinary();
    });
    expect(failedNames(walk([stripped])[0]!)).to.deep.equal([
      'block.ordererSignature',
      'block.validationPolicy',
    ]);
    const forged = tampered('block-valid.bin', (b) => {
      const metadata = common.Metadata.deserializeBinary(b.getMetadata()!.getMetadataList_asU8()[0]!);
      const signature = metadata.getSignaturesList()[0]!;
      const bytes = Uint8Array.from(signature.getSignature_asU8());
      flipByte(bytes, bytes.length - 3);
      signature.setSignature(bytes);
      b.getMetadata()!.getMetadataList_asU8()[0] = metadata.serializeBinary();
    });
    expect(failedNames(walk([forged])[0]!)).to.deep.equal([
      'block.ordererSignature',
      'block.validationPolicy',
    ]);
  });

  it('evaluates ImplicitMeta BlockValidation over orderer organisations: ANY, MAJORITY, ALL', () => {
    /** `OR('<msp>.member')`, as configtxgen writes an organisation's Writers policy. */
    const writers = (mspId: string): Uint8Array => {
      const role = new msp.MSPRole();
      role.setMspIdentifier(mspId);
      role.setRole(msp.MSPRole.MSPRoleType.MEMBER);
      const principal = new msp.MSPPrincipal();
      principal.setPrincipalClassification(msp.MSPPrincipal.Classification.ROLE);
      principal.setPrincipal(role.serializeBinary());
      const signedBy = new common.SignaturePolicy();
      signedBy.setSignedBy(0);
      const nOutOf = new common.SignaturePolicy.NOutOf();
      nOutOf.setN(1);
      nOutOf.setRulesList([signedBy]);
      const rule = new common.SignaturePolicy();
      rule.setNOutOf(nOutOf);
      const envelope = new common.SignaturePolicyEnvelope();
      envelope.setRule(rule);
      envelope.setIdentitiesList([principal]);
      return envelope.serializeBinary();
    };
    const orgs = ['O1MSP', 'O2MSP', 'O3MSP'];
    const policy = (rule: 'ANY' | 'MAJORITY' | 'ALL'): OrdererPolicy => ({
      blockValidation: { kind: 'implicit-meta', subPolicy: 'Writers', rule },
      organisationPolicies: new Map(
        orgs.map((o) => [o, new Map([['Writers', { kind: 'signature' as const, envelope: writers(o) }]])]),
      ),
    });
    const signers = (n: number) => orgs.slice(0, n).map((mspId) => ({ mspId, role: 'orderer' as const }));
    expect(blockValidationCheck(policy('ANY'), signers(1)).status).to.equal('verified');
    expect(blockValidationCheck(policy('ANY'), []).status).to.equal('failed');
    expect(blockValidationCheck(policy('MAJORITY'), signers(1)).status).to.equal('failed');
    expect(blockValidationCheck(policy('MAJORITY'), signers(2)).status).to.equal('verified');
    expect(blockValidationCheck(policy('ALL'), signers(2)).status).to.equal('failed');
    expect(blockValidationCheck(policy('ALL'), signers(3)).detail).to.contain('3 of 3');
    const twice = [...signers(1), ...signers(1)];
    expect(blockValidationCheck(policy('MAJORITY'), twice).status, 'one organisation twice').to.equal(
      'failed',
    );
  });
});

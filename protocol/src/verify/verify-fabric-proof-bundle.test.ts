/**
 * Fabric proof bundles built from genuine Fabric 2.4.9 blocks (../shared/fabric-fixtures) and checked offline
 * by the core; every tampering is refused with the failing check named. Tampered copies are made with Fabric's
 * own message classes (@hyperledger/fabric-protos, test only).
 */
import { createHash } from 'node:crypto';
import { common, msp } from '@hyperledger/fabric-protos';
import { expect } from 'chai';
import { fabricManifestEntry, flipByte, readFabricFixture, tampered } from '../../test/fabric-fixtures.js';
import { buildFabricProofBundle, type FabricBundleParts } from '../proof/fabric-proof-bundle.js';
import { type FabricProofBundle } from '../proof/proof-bundle.js';
import { verifyProofBundle } from './verify-proof-bundle.js';

const GENESIS = readFabricFixture('config-block-0.bin');
const VALID_TX = '471c113dd63ff001a9261172e91d42bc9928c4e81ef692d7c2252bb6a7221cd5';
const GENESIS_HASH = fabricManifestEntry<{ expected: { header: { headerHashHex: string } } }>(
  'config-block-0.bin',
).expected.header.headerHashHex;

/** The anchor exactly as the transaction submitted it: entry `index` of its first argument. */
function submitted(file: string, txIndex: number, index: number): Record<string, unknown> {
  const entry = fabricManifestEntry<{
    expected: { transactions: { actions: { args: string[] }[] }[] };
  }>(file);
  const arg = entry.expected.transactions[txIndex]!.actions[0]!.args[1]!;
  const parsed = JSON.parse(arg) as Record<string, unknown> | Record<string, unknown>[];
  return Array.isArray(parsed) ? parsed[index]! : parsed;
}

const MILESTONE = submitted('block-valid.bin', 0, 0);

function txIdOf(file: string, txIndex: number): string {
  return fabricManifestEntry<{ expected: { transactions: { txId: string }[] } }>(file).expected.transactions[
    txIndex
  ]!.txId;
}

function bundle(overrides: Partial<FabricBundleParts> = {}): FabricProofBundle {
  return buildFabricProofBundle({
    configBlocks: [GENESIS],
    transaction: { txId: VALID_TX, block: readFabricFixture('block-valid.bin') },
    chain: [
      'block-two-endorsements.bin',
      'block-endorsement-policy-failure.bin',
      'block-mvcc-read-conflict.bin',
    ].map(readFabricFixture),
    record: { kind: 'milestone', id: MILESTONE.id as string, anchor: MILESTONE },
    query: MILESTONE.commitment as string,
    ...overrides,
  });
}

function failedNames(input: unknown): string[] {
  return verifyProofBundle(input)
    .checks.filter((c) => c.status === 'failed')
    .map((c) => c.name);
}

/** The genesis block with BeijingMSP's root CA replaced by Tianjin's, its data hash made to match again. */
function genesisWithoutBeijingCa(): Uint8Array {
  const block = common.Block.deserializeBinary(GENESIS);
  const envelope = common.Envelope.deserializeBinary(block.getData()!.getDataList_asU8()[0]!);
  const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
  const configEnvelope = common.ConfigEnvelope.deserializeBinary(payload.getData_asU8());
  const application = configEnvelope.getConfig()!.getChannelGroup()!.getGroupsMap().get('Application')!;
  const beijing = application.getGroupsMap().get('BeijingMSP')!;
  const value = beijing.getValuesMap().get('MSP')!;
  const mspConfig = msp.MSPConfig.deserializeBinary(value.getValue_asU8());
  const fabricConfig = msp.FabricMSPConfig.deserializeBinary(mspConfig.getConfig_asU8());
  fabricConfig.setRootCertsList([readFabricFixture('ca-tianjin.pem')]);
  mspConfig.setConfig(fabricConfig.serializeBinary());
  value.setValue(mspConfig.serializeBinary());
  payload.setData(configEnvelope.serializeBinary());
  envelope.setPayload(payload.serializeBinary());
  const bytes = envelope.serializeBinary();
  block.getData()!.setDataList([bytes]);
  block.getHeader()!.setDataHash(createHash('sha256').update(bytes).digest());
  return block.serializeBinary();
}

describe('Fabric proof bundles from genuine Fabric blocks', () => {
  it('verifies a milestone anchored in block 236, chained to block 239, against block 0 pinned', () => {
    const verdict = verifyProofBundle(bundle(), { trustedGenesisHash: GENESIS_HASH });
    expect(
      verdict.checks.filter((c) => c.status !== 'verified' && c.status !== 'not-applicable'),
    ).to.deep.equal([]);
    expect(verdict).to.include({ ok: true, status: 'valid', genesisHash: GENESIS_HASH });
    expect(verdict.record).to.include({
      kind: 'milestone',
      id: 'fxmx9chc83-hc-1',
      region: 'BJ',
      matchedBy: 'commitment',
    });
    expect(verdict.anchoredAt).to.deep.include({ txId: VALID_TX, blockNumber: 236 });
    expect(verdict.creator?.mspId).to.equal('BeijingMSP');
    expect(verdict.endorsedBy.map((e) => e.mspId)).to.deep.equal(['BeijingMSP']);
    expect(verdict.head?.number).to.equal(239);
    const names = verdict.checks.map((c) => c.name);
    expect(names).to.include.members([
      'genesis.config',
      'trust.genesis',
      'block.dataHash',
      'block.ordererSignature',
      'block.validationPolicy',
      'block.lastConfig',
      'transaction.inclusion',
      'transaction.validation',
      'transaction.validationCode',
      'transaction.creator',
      'transaction.endorsements',
      'transaction.policy',
      'chain.links',
      'chain.signatures',
      'record.anchor',
      'record.written',
      'record.region',
      'query.match',
    ]);
  });

  it('verifies a record endorsed by two regions, and a credit record, with no later headers', () => {
    const two = submitted('block-two-endorsements.bin', 0, 1);
    const verdict = verifyProofBundle(
      bundle({
        transaction: {
          txId: txIdOf('block-two-endorsements.bin', 0),
          block: readFabricFixture('block-two-endorsements.bin'),
        },
        chain: [],
        record: { kind: 'milestone', id: two.id as string, anchor: two },
        query: undefined,
      }),
    );
    expect(verdict).to.include({ ok: true, status: 'valid' });
    expect(verdict.endorsedBy.map((e) => e.mspId)).to.deep.equal(['BeijingMSP', 'TianjinMSP']);
    const credit = submitted('block-mvcc-read-conflict.bin', 0, 0);
    const creditVerdict = verifyProofBundle(
      bundle({
        transaction: {
          txId: txIdOf('block-mvcc-read-conflict.bin', 0),
          block: readFabricFixture('block-mvcc-read-conflict.bin'),
        },
        chain: [],
        record: { kind: 'credit', id: credit.id as string, anchor: credit },
        query: undefined,
      }),
    );
    expect(creditVerdict.checks.filter((c) => c.status === 'failed')).to.deep.equal([]);
    expect(creditVerdict).to.include({ ok: true, status: 'valid' });
  });

  it('refuses a genesis block other than the pinned one', () => {
    const verdict = verifyProofBundle(bundle(), { trustedGenesisHash: '00'.repeat(32) });
    expect(verdict.checks.filter((c) => c.status === 'failed').map((c) => c.name)).to.deep.equal([
      'trust.genesis',
    ]);
    expect(verdict.status).to.equal('invalid');
  });

  it('refuses a flipped byte in the record’s envelope: block.dataHash and transaction.creator', () => {
    const flipped = tampered('block-valid.bin', (b) => {
      const envelope = Uint8Array.from(b.getData()!.getDataList_asU8()[0]!);
      flipByte(envelope, envelope.length - 100);
      b.getData()!.setDataList([envelope]);
    });
    const names = failedNames(bundle({ transaction: { txId: VALID_TX, block: flipped } }));
    expect(names).to.include.members(['block.dataHash', 'transaction.creator']);
  });

  it('refuses a wrong data hash: block.dataHash and block.ordererSignature', () => {
    const wrong = tampered('block-valid.bin', (b) => b.getHeader()!.setDataHash(new Uint8Array(32).fill(9)));
    const names = failedNames(bundle({ transaction: { txId: VALID_TX, block: wrong } }));
    expect(names).to.include.members(['block.dataHash', 'block.ordererSignature', 'block.validationPolicy']);
  });

  it('refuses a broken previous-hash link in the later headers: chain.links', () => {
    const forged = bundle();
    const chain = forged.chain.map((h, i) => (i === 1 ? { ...h, previousHash: 'ab'.repeat(32) } : h));
    expect(failedNames({ ...forged, chain })).to.include('chain.links');
  });

  it('refuses a stripped or forged orderer signature: block.ordererSignature, block.validationPolicy', () => {
    const stripped = tampered('block-valid.bin', (b) => {
      const metadata = common.Metadata.deserializeBinary(b.getMetadata()!.getMetadataList_asU8()[0]!);
      metadata.setSignaturesList([]);
      b.getMetadata()!.getMetadataList_asU8()[0] = metadata.serializeBinary();
    });
    expect(failedNames(bundle({ transaction: { txId: VALID_TX, block: stripped } }))).to.deep.equal([
      'block.ordererSignature',
      'block.validationPolicy',
    ]);
    const forged = tampered('block-valid.bin', (b) => {
      const metadata = common.Metadata.deserializeBinary(b.getMetadata()!.getMetadataList_asU8()[0]!);
      const signature = metadata.getSignaturesList()[0]!;
      const bytes = Uint8Array.from(signature.getSignature_asU8());
      flipByte(bytes, 20);
      signature.setSignature(bytes);
      b.getMetadata()!.getMetadataList_asU8()[0] = metadata.serializeBinary();
    });
    expect(failedNames(bundle({ transaction: { txId: VALID_TX, block: forged } }))).to.deep.equal([
      'block.ordererSignature',
      'block.validationPolicy',
    ]);
    const unsignedHeader = bundle();
    const chain = unsignedHeader.chain.map((h, i) => (i === 2 ? { ...h, dataHash: 'cd'.repeat(32) } : h));
    expect(failedNames({ ...unsignedHeader, chain })).to.include('chain.signatures');
  });

  it('refuses endorsements and a creator whose certificates no CA of the configuration block issued', () => {
    const verdict = verifyProofBundle(bundle({ configBlocks: [genesisWithoutBeijingCa()] }));
    const names = verdict.checks.filter((c) => c.status === 'failed').map((c) => c.name);
    expect(names).to.include.members([
      'transaction.creator',
      'transaction.endorsements',
      'transaction.policy',
    ]);
    const endorsements = verdict.checks.find((c) => c.name === 'transaction.endorsements');
    expect(endorsements?.detail).to.contain('do not verify');
    const pinned = verifyProofBundle(bundle({ configBlocks: [genesisWithoutBeijingCa()] }), {
      trustedGenesisHash: GENESIS_HASH,
    });
    expect(pinned.checks.find((c) => c.name === 'trust.genesis')).to.include({ status: 'failed' });
  });

  it('refuses an invalid transaction, and one whose recorded code was forged to VALID', () => {
    const duplicate = submitted('block-endorsement-policy-failure.bin', 1, 0);
    const parts: Partial<FabricBundleParts> = {
      transaction: {
        txId: txIdOf('block-endorsement-policy-failure.bin', 1),
        block: readFabricFixture('block-endorsement-policy-failure.bin'),
      },
      chain: [readFabricFixture('block-mvcc-read-conflict.bin')],
      record: { kind: 'milestone', id: duplicate.id as string, anchor: duplicate },
      query: undefined,
    };
    const honest = verifyProofBundle(bundle(parts));
    expect(honest.checks.filter((c) => c.status === 'failed').map((c) => c.name)).to.deep.equal([
      'transaction.validation',
    ]);
    const forged = tampered('block-endorsement-policy-failure.bin', (b) => {
      b.getMetadata()!.getMetadataList_asU8()[2] = new Uint8Array([0, 0]);
    });
    const verdict = verifyProofBundle(
      bundle({ ...parts, transaction: { ...parts.transaction!, block: forged } }),
    );
    const failed = verdict.checks.filter((c) => c.status === 'failed');
    expect(failed.map((c) => c.name)).to.deep.equal(['transaction.validationCode']);
    expect(failed[0]!.detail).to.contain('ENDORSEMENT_POLICY_FAILURE');
  });

  it('refuses a record claimed for another region: transaction.policy and record.region', () => {
    const claimed = { ...MILESTONE, region: 'TJ' };
    const names = failedNames(
      bundle({ record: { kind: 'milestone', id: MILESTONE.id as string, anchor: claimed } }),
    );
    expect(names).to.include.members(['transaction.policy', 'record.region', 'record.anchor']);
  });

  it('names the field and rule of a malformed bundle', () => {
    const { transaction, ...rest } = bundle();
    const verdict = verifyProofBundle({ ...rest, transaction: { ...transaction, block: 'not base64!' } });
    expect(verdict.checks[0]).to.include({ name: 'bundle.format', status: 'failed' });
    expect(verdict.checks[0]!.detail).to.contain('transaction.block');
  });

  it('refuses a later configuration block that the orderers did not sign under the configuration before it', () => {
    // block 0's configuration presented as a later configuration block 5: unsigned, so it installs nothing
    const unsigned = tampered('config-block-0.bin', (b) => {
      b.getHeader()!.setNumber(5);
      b.getHeader()!.setPreviousHash(new Uint8Array(32).fill(2));
    });
    const verdict = verifyProofBundle(bundle({ configBlocks: [GENESIS, unsigned] }));
    const update = verdict.checks.find((c) => c.name === 'config.update');
    expect(update).to.include({ status: 'failed' });
    expect(update?.detail).to.match(/block 5.*block\.ordererSignature/);
    expect(verdict.status).to.equal('invalid');
  });
});

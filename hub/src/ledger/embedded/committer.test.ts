import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalize } from '@approval-ledger/protocol';
import { expect } from 'chai';
import { KV_CHAINCODE } from '../../../test/support/kv-contract';
import {
  toBase64,
  channelConfigOf,
  ChannelTrust,
  Committer,
  signedChaincodeName,
  type EndorsedTransaction,
  Endorser,
  CertificateAuthority,
  LedgerDatabase,
  Signer,
  SqliteState,
} from '@approval-ledger/fabric-engine';
import { createContractChaincode } from '@approval-ledger/chaincode';
import { MspDirectory } from './organisation-material';

describe('committer validation', function () {
  this.timeout(20_000);
  let dir: string;
  let db: LedgerDatabase;
  let committer: Committer;
  let endorser: Endorser;
  let msp: MspDirectory;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'committer-'));
    msp = await MspDirectory.open(dir);
    db = LedgerDatabase.open(join(dir, 'ledger.sqlite'));
    const state = new SqliteState(db);
    const { orderer } = msp.orderer;
    committer = new Committer(
      db,
      state,
      new ChannelTrust(channelConfigOf(msp, 'approval', 'kv')),
      new Signer(orderer.mspId, orderer.certificate, orderer.privateKey),
    );
    committer.commitGenesis({ seconds: 1, nanos: 0 });
    endorser = new Endorser(createContractChaincode(KV_CHAINCODE.contracts), state, msp, {
      channel: 'approval',
      chaincodeName: 'kv',
      clock: () => new Date(),
    });
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function put(key: string): Promise<EndorsedTransaction> {
    return endorser.endorse(await msp.clientIdentity({ region: 'BJ', role: 'admin' }), 'kv:Put', [key, 'v']);
  }

  it('marks a replayed transaction DUPLICATE_TXID, in the same block and in a later one', async () => {
    const tx = await put('a');
    const first = await committer.commit([tx, tx]);
    expect(first.map((o) => o.validationCode)).to.deep.equal(['VALID', 'DUPLICATE_TXID']);
    const later = await committer.commit([tx]);
    expect(later[0]?.validationCode).to.equal('DUPLICATE_TXID');
    expect(db.transactionById(tx.txId)?.blockNumber).to.equal(1);
  });

  it('marks a transaction whose creator signature does not verify BAD_CREATOR_SIGNATURE and drops its writes', async () => {
    const tx = await put('b');
    const forged = { ...tx, creatorSignature: (await put('other')).creatorSignature };
    const [outcome] = await committer.commit([forged]);
    expect(outcome?.validationCode).to.equal('BAD_CREATOR_SIGNATURE');
    expect(db.getState('b')).to.equal(undefined);
  });

  it('ignores endorsements whose signature fails or whose certificate no channel CA issued', async () => {
    const tx = await put('c');
    const other = await put('c2');
    const badSignature = {
      ...tx,
      endorsements: tx.endorsements.map((e) => ({ ...e, signature: toBase64(new Uint8Array(70)) })),
    };
    const stranger = await CertificateAuthority.create({ mspId: 'BeijingMSP', domain: 'fake.example' });
    const fakePeer = await stranger.issue({ enrollmentId: 'peer0', role: 'peer' });
    const fakeSigner = new Signer('BeijingMSP', fakePeer.certificate, fakePeer.privateKey);
    const outsider = {
      ...other,
      endorsements: [
        {
          mspId: 'BeijingMSP',
          certificate: fakePeer.certificate,
          signature: toBase64(fakeSigner.sign(new Uint8Array([1]))),
        },
      ],
    };
    const outcomes = await committer.commit([badSignature, outsider]);
    expect(outcomes.map((o) => o.validationCode)).to.deep.equal([
      'ENDORSEMENT_POLICY_FAILURE',
      'ENDORSEMENT_POLICY_FAILURE',
    ]);
  });

  it("fails a write to a key whose validation parameter an earlier transaction of the block set, as Fabric's validator", async () => {
    const admin = await msp.clientIdentity({ region: 'BJ', role: 'admin' });
    const withPolicy = () => endorser.endorse(admin, 'kv:PutWithPolicy', ['p', 'v', 'BeijingMSP']);
    const block = [await withPolicy(), await withPolicy(), await put('p'), await put('q')];
    const outcomes = await committer.commit(block);
    expect(outcomes.map((o) => o.validationCode)).to.deep.equal([
      'VALID',
      'ENDORSEMENT_POLICY_FAILURE',
      'ENDORSEMENT_POLICY_FAILURE',
      'VALID',
    ]);
    // the same writes in the next block are judged by the committed policy, which BeijingMSP satisfies
    const next = await committer.commit([await put('p')]);
    expect(next[0]?.validationCode).to.equal('VALID');
  });

  it('numbers blocks from the chain tip and links each to the previous header hash', async () => {
    await committer.commit([await put('d')]);
    await committer.commit([await put('e')]);
    expect(committer.height).to.equal(3);
    const b1 = db.block(1);
    const b2 = db.block(2);
    expect(JSON.parse(b2?.header ?? '{}')).to.include({ number: 2, previousHash: b1?.hash });
  });

  it('serves the blocks it just committed from memory exactly as they are stored, and older ones from disk', async () => {
    for (const key of ['f', 'g', 'h', 'i', 'j', 'k'])
      await committer.commit([await put(key), await put(`${key}2`)]);
    const disk = LedgerDatabase.open(join(dir, 'ledger.sqlite'), { readonly: true });
    try {
      for (let n = 0; n < committer.height; n++) {
        expect(db.block(n), `block ${n}`).to.deep.equal(disk.block(n));
        expect(db.transactionsOfBlock(n), `transactions of block ${n}`).to.deep.equal(
          disk.transactionsOfBlock(n),
        );
      }
      // a caller that changes what it was given does not change what the next caller gets
      const last = committer.height - 1;
      const given = db.transactionsOfBlock(last)[0]?.eventPayload;
      expect(given?.length).to.be.greaterThan(0);
      given?.fill(0);
      expect(db.transactionsOfBlock(last)[0]?.eventPayload).to.deep.equal(
        disk.transactionsOfBlock(last)[0]?.eventPayload,
      );
    } finally {
      disk.close();
    }
  });
});

describe('signedChaincodeName', () => {
  const text = (chaincode: string, args: string[]) =>
    canonicalize({
      args,
      chaincode,
      channel: 'approval',
      creator: { certificate: 'PEM', mspId: 'TianjinMSP' },
      function: 'milestones:Record',
    });

  it('reads the namespace the creator signed, not one an argument spells out', () => {
    const spoof = JSON.stringify({ chaincode: 'approval-beijing', note: '"chaincode":"approval-beijing","' });
    expect(signedChaincodeName(text('approval-tianjin', [spoof]))).to.equal('approval-tianjin');
    expect(signedChaincodeName(text('approval-ledger', []))).to.equal('approval-ledger');
  });

  it('answers undefined for a text without a chaincode member', () => {
    expect(signedChaincodeName(canonicalize({ args: [] }))).to.equal(undefined);
  });
});

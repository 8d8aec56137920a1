// The embedded validator against Fabric's own verdicts: the read-write sets of blocks a real Fabric 2.4.9 peer
// validated (../shared/fabric-fixtures) are replayed through the Fabric-semantics stub the committer uses, and
// must get the validation codes the peer wrote into each block's TRANSACTIONS_FILTER.
import { common, ledger, msp, peer } from '@hyperledger/fabric-protos';
import { expect } from 'chai';
import { type PolicyEndorser as Endorser } from '@approval-ledger/protocol';
import {
  BlockValidationParameters,
  type KVRead,
  MemoryWorldState,
  PendingUpdates,
  type ReadWriteSet,
  validateEndorsements,
  validateReadSet,
} from '@approval-ledger/fabric-engine';
import { decodeBlock } from '../src/ledger/fabric/fabric-decoding';
import { readFabricFixture } from './support/fabric-fixtures';

const CHAINCODE = 'approval-ledger';

interface ReplayedTransaction {
  readonly rwset: ReadWriteSet;
  readonly endorsers: Endorser[];
}

/** The approval-ledger namespace's read-write set and the endorsing organisations of one block entry. */
function replayed(envelope: Uint8Array): ReplayedTransaction {
  const payload = common.Payload.deserializeBinary(
    common.Envelope.deserializeBinary(envelope).getPayload_asU8(),
  );
  const action = peer.Transaction.deserializeBinary(payload.getData_asU8()).getActionsList()[0];
  const endorsed = peer.ChaincodeActionPayload.deserializeBinary(action!.getPayload_asU8()).getAction()!;
  const response = peer.ProposalResponsePayload.deserializeBinary(endorsed.getProposalResponsePayload_asU8());
  const results = peer.ChaincodeAction.deserializeBinary(response.getExtension_asU8()).getResults_asU8();
  const namespace = ledger.rwset.TxReadWriteSet.deserializeBinary(results)
    .getNsRwsetList()
    .find((ns) => ns.getNamespace() === CHAINCODE);
  const kv = ledger.rwset.kvrwset.KVRWSet.deserializeBinary(namespace!.getRwset_asU8());
  const rwset: ReadWriteSet = {
    reads: kv.getReadsList().map(readOf),
    rangeQueries: kv.getRangeQueriesInfoList().map((q) => {
      expect(q.hasRawReads(), 'range reads in full, not as Merkle hashes').to.equal(true);
      return {
        startKey: q.getStartKey(),
        endKey: q.getEndKey(),
        itrExhausted: q.getItrExhausted(),
        reads: q.getRawReads()!.getKvReadsList().map(readOf),
      };
    }),
    writes: kv
      .getWritesList()
      .map((w) => ({ key: w.getKey(), isDelete: w.getIsDelete(), value: w.getValue_asU8() })),
    metadataWrites: kv.getMetadataWritesList().map((m) => ({
      key: m.getKey(),
      entries: Object.fromEntries(m.getEntriesList().map((e) => [e.getName(), e.getValue_asU8()])),
    })),
  };
  const endorsers = endorsed.getEndorsementsList().map((e): Endorser => ({
    mspId: msp.SerializedIdentity.deserializeBinary(e.getEndorser_asU8()).getMspid(),
    role: 'peer',
  }));
  return { rwset, endorsers };
}

function readOf(r: ledger.rwset.kvrwset.KVRead): KVRead {
  const v = r.getVersion();
  return { key: r.getKey(), version: v ? { blockNum: v.getBlockNum(), txNum: v.getTxNum() } : null };
}

/** Committed state as the peer saw it: every key read at a version (point or range read) exists at that version. */
function stateBefore(transactions: readonly ReplayedTransaction[]): MemoryWorldState {
  const state = new MemoryWorldState();
  const updates = transactions
    .flatMap((t) => [...t.rwset.reads, ...t.rwset.rangeQueries.flatMap((q) => q.reads)])
    .filter((r) => r.version !== null)
    .map((r) => ({ key: r.key, value: new Uint8Array([1]), metadata: null, version: r.version! }));
  state.apply(updates, []);
  return state;
}

async function replay(file: string): Promise<{ expected: string[]; replayed: string[] }> {
  const bytes = readFabricFixture(file);
  const block = decodeBlock(bytes);
  const envelopes = common.Block.deserializeBinary(bytes).getData()!.getDataList_asU8();
  const transactions = envelopes.map(replayed);
  const pending = new PendingUpdates(stateBefore(transactions), block.number);
  const parameters = new BlockValidationParameters();
  const anyPeer = (endorsers: readonly Endorser[]) => endorsers.some((e) => e.role === 'peer');
  const codes: string[] = [];
  for (const [txNum, tx] of transactions.entries()) {
    const policy = await validateEndorsements(tx.rwset, pending, tx.endorsers, anyPeer, {
      parameters,
      txNum,
    });
    const code = policy.valid
      ? (await validateReadSet(tx.rwset, pending)).code
      : 'ENDORSEMENT_POLICY_FAILURE';
    if (code === 'VALID') {
      const timestamp = { seconds: 0, nanos: 0 };
      await pending.apply({
        txId: block.transactions[txNum]!.txId,
        txNum,
        timestamp,
        readWriteSet: tx.rwset,
      });
    }
    codes.push(code);
  }
  return { expected: block.transactions.map((t) => t.validationCode), replayed: codes };
}

describe("the embedded validator replays blocks a real Fabric peer validated, with the peer's codes", () => {
  it('two writes of one new milestone in a block: the second fails its endorsement policy', async () => {
    const { expected, replayed: codes } = await replay('block-endorsement-policy-failure.bin');
    expect(expected).to.deep.equal(['VALID', 'ENDORSEMENT_POLICY_FAILURE']);
    expect(codes).to.deep.equal(expected);
  });

  it('two credit evaluations reading one absent key without a key-level policy: MVCC_READ_CONFLICT', async () => {
    const { expected, replayed: codes } = await replay('block-mvcc-read-conflict.bin');
    expect(expected).to.deep.equal(['VALID', 'MVCC_READ_CONFLICT']);
    expect(codes).to.deep.equal(expected);
  });

  it('valid blocks stay valid', async () => {
    for (const file of ['block-valid.bin', 'block-two-endorsements.bin']) {
      const { expected, replayed: codes } = await replay(file);
      expect(codes, file).to.deep.equal(expected);
      expect(expected.every((c) => c === 'VALID')).to.equal(true);
    }
  });
});

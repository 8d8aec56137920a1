import { expect } from 'chai';
import { TypedDataEncoder, Wallet } from 'ethers';
import { sampleCheckpoint, sampleRecognitionRequest } from './testing/index.js';
import {
  CHECKPOINT_TYPES,
  EIP712_DOMAIN,
  RECOGNITION_DECISION_TYPES,
  checkpointDigest,
  checkpointMessage,
  recognitionDecisionDigest,
  recognitionDecisionMessage,
  recoverCheckpointSigner,
  recoverRecognitionSigner,
  type CheckpointMessage,
  type RecognitionDecisionMessage,
} from './eip712.js';

describe('EIP-712 typed data', () => {
  const wallet = Wallet.createRandom();
  const decision: RecognitionDecisionMessage = recognitionDecisionMessage(sampleRecognitionRequest(), {
    outcome: 'RECOGNISED',
    decidedAt: '2025-03-12T10:00:00+08:00',
  });
  const checkpoint: CheckpointMessage = checkpointMessage(sampleCheckpoint());

  it('uses the approval-ledger domain, version 1', () => {
    expect(EIP712_DOMAIN).to.deep.equal({ name: 'approval-ledger', version: '1' });
    expect(RECOGNITION_DECISION_TYPES.RecognitionDecision.map((f) => f.name)).to.deep.equal([
      'recognitionId',
      'subjectType',
      'subjectId',
      'sourceRegion',
      'targetRegion',
      'outcome',
      'decidedAt',
    ]);
    expect(CHECKPOINT_TYPES.Checkpoint.map((f) => `${f.type} ${f.name}`)).to.deep.equal([
      'string id',
      'string region',
      'bytes32 root',
      'uint256 size',
      'uint256 fromBlock',
      'uint256 toBlock',
    ]);
  });

  it('builds the signed decision from the request and the decision', () => {
    expect(decision).to.deep.equal({
      recognitionId: 'REC-TJ-2025-0001',
      subjectType: 'certificate',
      subjectId: '110105202503100101',
      sourceRegion: 'BJ',
      targetRegion: 'TJ',
      outcome: 'RECOGNISED',
      decidedAt: '2025-03-12T10:00:00+08:00',
    });
  });

  it("computes ethers' typed-data digest", () => {
    expect(recognitionDecisionDigest(decision)).to.equal(
      TypedDataEncoder.hash(EIP712_DOMAIN, RECOGNITION_DECISION_TYPES, decision),
    );
    expect(recognitionDecisionDigest(decision)).to.match(/^0x[0-9a-f]{64}$/);
  });

  it('recovers the wallet that signed a recognition decision', async () => {
    const signature = await wallet.signTypedData(EIP712_DOMAIN, RECOGNITION_DECISION_TYPES, decision);
    expect(recoverRecognitionSigner(decision, signature)).to.equal(wallet.address);
  });

  it('recovers another address when any field of the decision changes', async () => {
    const signature = await wallet.signTypedData(EIP712_DOMAIN, RECOGNITION_DECISION_TYPES, decision);
    const changes: Partial<RecognitionDecisionMessage>[] = [
      { recognitionId: 'REC-TJ-2025-0002' },
      { subjectType: 'milestone' },
      { subjectId: '110105202503100102' },
      { sourceRegion: 'HE' },
      { targetRegion: 'BJ' },
      { outcome: 'REJECTED' },
      { decidedAt: '2025-03-12T10:00:01+08:00' },
    ];
    expect(changes).to.have.length(RECOGNITION_DECISION_TYPES.RecognitionDecision.length);
    for (const change of changes) {
      expect(
        recoverRecognitionSigner({ ...decision, ...change }, signature),
        Object.keys(change)[0],
      ).to.not.equal(wallet.address);
    }
  });

  it('recovers the wallet that signed a checkpoint, and another address for any changed field', async () => {
    const signature = await wallet.signTypedData(EIP712_DOMAIN, CHECKPOINT_TYPES, checkpoint);
    expect(recoverCheckpointSigner(checkpoint, signature)).to.equal(wallet.address);
    expect(checkpointDigest(checkpoint)).to.equal(
      TypedDataEncoder.hash(EIP712_DOMAIN, CHECKPOINT_TYPES, checkpoint),
    );
    const changes: Partial<CheckpointMessage>[] = [
      { id: 'cp-BJ-000002' },
      { region: 'TJ' },
      { root: `0x${'ab'.repeat(32)}` },
      { size: 101 },
      { fromBlock: 1 },
      { toBlock: 100 },
    ];
    for (const change of changes) {
      expect(recoverCheckpointSigner({ ...checkpoint, ...change }, signature)).to.not.equal(wallet.address);
    }
  });

  it('signs a batch checkpoint with an empty block range as 0..0', () => {
    const message = checkpointMessage({
      id: 'cp-batch-1',
      kind: 'batch',
      region: 'HE',
      size: 3,
      root: 'bb'.repeat(32),
      createdAt: '2025-03-12T10:00:00+08:00',
    });
    expect(message).to.deep.include({ fromBlock: 0, toBlock: 0, root: `0x${'bb'.repeat(32)}` });
  });

  it('throws on a malformed signature', () => {
    expect(() => recoverRecognitionSigner(decision, '0x1234')).to.throw();
  });
});

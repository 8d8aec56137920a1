import {
  type RecognitionRequest,
  recognitionDecisionMessage,
  recoverRecognitionSigner,
} from '@approval-ledger/protocol';
import { describe, expect, it } from 'vitest';
import { DecisionSigningError, addressOf, signRecognitionDecision } from './decision-signer';

// Hardhat's first test account: a well-known key, never used for anything real.
const KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
const ADDRESS = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';
const REQUEST: RecognitionRequest = {
  id: 'REC-BJ-TJ-0001',
  subjectType: 'certificate',
  subjectId: '建字第110105202500012号',
  sourceRegion: 'BJ',
  targetRegion: 'TJ',
};

describe('signRecognitionDecision', () => {
  it('signs the protocol’s EIP-712 message so that it recovers to the key’s address', async () => {
    const decision = await signRecognitionDecision(
      KEY,
      REQUEST,
      'RECOGNISED',
      undefined,
      '2025-03-07T10:00:00+08:00',
    );
    expect(decision).toMatchObject({
      outcome: 'RECOGNISED',
      decidedAt: '2025-03-07T10:00:00+08:00',
      signer: ADDRESS,
    });
    expect(decision.signature).toMatch(/^0x[0-9a-f]{130}$/);
    const message = recognitionDecisionMessage(REQUEST, decision);
    expect(recoverRecognitionSigner(message, decision.signature)).toBe(ADDRESS);
    expect(decision).not.toHaveProperty('reason');
  });

  it('accepts a key without 0x and dates the decision in +08:00 by default', async () => {
    const decision = await signRecognitionDecision(KEY.slice(2), REQUEST, 'REJECTED', ' 证照已过期 ');
    expect(decision.reason).toBe('证照已过期');
    expect(decision.decidedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
  });

  it('refuses a rejection without reason and a malformed key, before signing', async () => {
    await expect(signRecognitionDecision(KEY, REQUEST, 'REJECTED', '  ')).rejects.toMatchObject({
      code: 'REASON_REQUIRED',
    });
    await expect(signRecognitionDecision('0x1234', REQUEST, 'RECOGNISED')).rejects.toBeInstanceOf(
      DecisionSigningError,
    );
  });

  it('shows the signer address of a pasted key, and nothing for garbage', () => {
    expect(addressOf(KEY)).toBe(ADDRESS);
    expect(addressOf('not a key')).toBeUndefined();
    expect(addressOf('00'.repeat(32))).toBeUndefined();
  });
});

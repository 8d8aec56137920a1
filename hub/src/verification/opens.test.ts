import { canonicalize, commitment, newSalt } from '@approval-ledger/protocol';
import { expect } from 'chai';
import { opens } from './verification.service';

const record = {
  id: 'BJ-EE-EIA-2025-0042',
  projectCode: '2025-110105-47-03-000318',
  projectName: '朝阳区望京科技园三期研发楼 "A" \\ 区',
  region: 'BJ',
  details: { floors: 12, ratio: 0.5, big: 1e21, empty: null, yes: true },
  documents: [{ name: '批复文件.pdf', sha256: 'a'.repeat(64) }],
};

describe('opens (the off-chain tamper check)', () => {
  it('agrees with protocol’s commitment on the stored canonical text', () => {
    for (let i = 0; i < 20; i++) {
      const salt = newSalt();
      const value = { ...record, n: i, text: `第${i}号 \u2028 \ud83d\ude00` };
      expect(opens({ recordJson: canonicalize(value), salt, commitment: commitment(value, salt) })).to.equal(
        true,
      );
    }
  });

  it('fails for any change to the stored text, a wrong salt or a malformed salt', () => {
    const salt = newSalt();
    const text = canonicalize(record);
    const good = commitment(record, salt);
    expect(opens({ recordJson: text.replace('BJ', 'TJ'), salt, commitment: good })).to.equal(false);
    expect(opens({ recordJson: ` ${text}`, salt, commitment: good })).to.equal(false);
    expect(opens({ recordJson: text, salt: newSalt(), commitment: good })).to.equal(false);
    expect(opens({ recordJson: text, salt: 'x', commitment: good })).to.equal(false);
  });
});

import {
  type EndorserTransactionJson,
  P256_ORDER,
  base64ToBytes,
  bytesToBase64,
  canonicalize,
  concatBytes,
  derEncode,
  derInteger,
  ecdsaSignatureComponents,
  headerText,
  sha256Hex,
  unsignedIntegerContent,
  utf8Encode,
} from '@approval-ledger/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import { type BlockJson, type BlockTransactionJson, type ProofBundle } from '@approval-ledger/protocol/api';
import { type ChannelTrust } from './chain-verifier';
import { TestLedger, commitment } from './testing/ledger-builder';
import { WebCryptoChainVerifier, fabricHeaderHash } from './web-crypto-chain-verifier';

const SEQUENCE = 0x30;
const INTEGER = 0x02;
const SALT = 'a1'.repeat(32);
const DOCUMENT_SHA256 = sha256Hex('批复文件 PDF bytes');
const ANCHOR = {
  id: 'BJ-EE-EIA-2025-0042',
  projectCode: '2025-110105-47-03-000318',
  region: 'BJ',
  dept: 'EE',
  stage: 'EIA',
  decision: 'APPROVED',
  decidedAt: '2025-03-06T16:30:00+08:00',
  applicantUscc: '91110105MA01WJ3K7N',
  documentDigests: [DOCUMENT_SHA256],
};
const RECORD = { id: ANCHOR.id, name: '朝阳区望京科技园三期研发楼' };
const COMMITMENT = commitment(RECORD, SALT);
const MILESTONE_ANCHOR = { ...ANCHOR, commitment: COMMITMENT };

let ledger: TestLedger;
let trust: ChannelTrust;
const verifier = new WebCryptoChainVerifier();

function withEnvelope(
  tx: BlockTransactionJson,
  change: (e: EndorserTransactionJson) => EndorserTransactionJson,
): BlockTransactionJson {
  const envelope = JSON.parse(
    new TextDecoder().decode(base64ToBytes(tx.envelope ?? '')),
  ) as EndorserTransactionJson;
  return { ...tx, envelope: bytesToBase64(utf8Encode(canonicalize(change(envelope)))) };
}

function block(n: number): BlockJson {
  const b = ledger.blocks[n];
  if (!b) throw new Error(`no block ${n}`);
  return b;
}

function firstTx(n: number): BlockTransactionJson {
  const tx = block(n).transactions[0];
  if (!tx) throw new Error(`no transaction in block ${n}`);
  return tx;
}

beforeAll(async () => {
  ledger = await TestLedger.create();
  await ledger.addBlock([
    {
      creator: 'BeijingMSP',
      fn: 'milestones:RecordBatch',
      args: [canonicalize([MILESTONE_ANCHOR])],
      writes: [{ key: '\u0000milestone\u0000BJ-EE-EIA-2025-0042\u0000', value: MILESTONE_ANCHOR }],
      eventName: 'MilestonesRecorded',
      response: () => ({ count: 1, recorded: 1, unchanged: [] }),
    },
    {
      creator: 'TianjinMSP',
      fn: 'RecognitionContract:Decide',
      args: ['{}'],
      writes: [{ key: 'recognition', value: { id: 'R-1' } }],
      endorsers: ['TianjinMSP', 'BeijingMSP'],
    },
  ]);
  await ledger.addBlock([
    {
      creator: 'HebeiMSP',
      fn: 'MilestoneContract:RecordMilestones',
      args: [],
      writes: [{ key: 'k', value: 1 }],
    },
  ]);
  const genesisTrust = verifier.channelTrust(block(0));
  if (!genesisTrust) throw new Error('block 0 carries no channel configuration');
  trust = genesisTrust;
});

describe('WebCryptoChainVerifier: blocks', () => {
  it('verifies every block of an intact chain: header, data hash, link, orderer signature, transactions', async () => {
    for (let n = 0; n < ledger.blocks.length; n++) {
      const check = await verifier.verifyBlock(block(n), {
        trust,
        previous: n > 0 ? block(n - 1) : undefined,
      });
      expect(check.headerHash.status, `block ${n} header`).toBe('verified');
      expect(check.dataHash.status).toBe('verified');
      expect(check.previousLink.status).toBe('verified');
      expect(check.ordererSignature.status).toBe('verified');
      expect(check.transactions.every((t) => t.ok)).toBe(true);
      expect(check.ok).toBe(true);
    }
  });

  it('takes the trust anchors of every organisation and the orderer from block 0', () => {
    expect([...trust.caByMspId.keys()].sort()).toEqual([
      'BeijingMSP',
      'HebeiMSP',
      'OrdererMSP',
      'TianjinMSP',
    ]);
    expect(trust.ordererMspId).toBe('OrdererMSP');
  });

  it('catches a header hash that does not belong to the header', async () => {
    const forged = { ...block(1), hash: sha256Hex('forged') };
    const check = await verifier.verifyBlock(forged, { trust, previous: block(0) });
    expect(check.headerHash.status).toBe('failed');
    expect(check.ok).toBe(false);
  });

  it('catches a changed transaction through the data hash', async () => {
    const tx = withEnvelope(firstTx(1), (e) => ({
      ...e,
      proposal: { ...e.proposal, args: ['[{"forged":true}]'] },
    }));
    const changed = { ...block(1), transactions: [tx, ...block(1).transactions.slice(1)] };
    const check = await verifier.verifyBlock(changed, { trust, previous: block(0) });
    expect(check.dataHash.status).toBe('failed');
    expect(check.transactions[0]?.creatorSignature.status).toBe('failed');
  });

  it('catches a broken link: the previous block is not the one this block names', async () => {
    const check = await verifier.verifyBlock(block(2), {
      trust,
      previous: { ...block(1), dataHash: sha256Hex('x') },
    });
    expect(check.previousLink.status).toBe('failed');
  });

  it('leaves the link unchecked, not verified, when the previous block is unknown', async () => {
    const check = await verifier.verifyBlock(block(2), { trust });
    expect(check.previousLink.status).toBe('unchecked');
    expect(check.ok).toBe(false);
  });

  it('checks nothing against certificates without trust anchors', async () => {
    const check = await verifier.verifyBlock(block(1), { previous: block(0) });
    expect(check.headerHash.status).toBe('verified');
    expect(check.ordererSignature.status).toBe('unchecked');
    expect(check.transactions[0]?.endorsements[0]?.check.status).toBe('unchecked');
  });

  it('refuses an orderer signature by a peer', async () => {
    const peer = ledger.organisation('BeijingMSP').peer;
    const signature = block(1).signatures[0];
    if (!signature) throw new Error('unsigned block');
    const forged = {
      ...block(1),
      signatures: [{ ...signature, mspId: 'OrdererMSP', certificate: peer.certificate }],
    };
    const check = await verifier.verifyBlock(forged, { trust, previous: block(0) });
    expect(check.ordererSignature.status).toBe('failed');
  });
});

describe('WebCryptoChainVerifier: transactions', () => {
  it('verifies the transaction id, the creator signature and both regions’ endorsements', async () => {
    const tx = block(1).transactions[1];
    if (!tx) throw new Error('missing transaction');
    const check = await verifier.verifyTransaction(tx, trust);
    expect(check.txIdCheck.status).toBe('verified');
    expect(check.creatorSignature.status).toBe('verified');
    expect(check.endorsements.map((e) => [e.mspId, e.check.status])).toEqual([
      ['BeijingMSP', 'verified'],
      ['TianjinMSP', 'verified'],
    ]);
    expect(check.writes[0]?.key).toBe('recognition');
  });

  it('refuses an endorsement that claims another organisation than its certificate’s CA', async () => {
    const tx = withEnvelope(firstTx(1), (e) => ({
      ...e,
      endorsements: e.endorsements.map((x) => ({ ...x, mspId: 'TianjinMSP' })),
    }));
    const check = await verifier.verifyTransaction(tx, trust);
    expect(check.envelope.status).toBe('verified');
    expect(check.endorsements[0]?.check.status).toBe('failed');
    expect(check.ok).toBe(false);
  });

  it('refuses the high-S twin of a valid endorsement signature, as Fabric does', async () => {
    const tx = withEnvelope(firstTx(1), (e) => ({
      ...e,
      endorsements: e.endorsements.map((x) => {
        const { r, s } = ecdsaSignatureComponents(base64ToBytes(x.signature));
        const twin = derEncode(
          SEQUENCE,
          concatBytes(
            derEncode(INTEGER, unsignedIntegerContent(r)),
            derEncode(INTEGER, unsignedIntegerContent(P256_ORDER - s)),
          ),
        );
        return { ...x, signature: bytesToBase64(twin) };
      }),
    }));
    const check = await verifier.verifyTransaction(tx, trust);
    expect(check.endorsements[0]?.check.status).toBe('failed');
    expect(check.endorsements[0]?.check.detail).toMatch(/low-S/);
  });

  it('refuses an endorsement over a different response', async () => {
    const tx = withEnvelope(firstTx(1), (e) => ({ ...e, response: { ...e.response, message: 'changed' } }));
    const check = await verifier.verifyTransaction(tx, trust);
    expect(check.endorsements.every((x) => x.check.status === 'failed')).toBe(true);
  });

  it('refuses a transaction id that is not derived from the nonce and creator', async () => {
    const tx = withEnvelope(firstTx(1), (e) => ({
      ...e,
      proposal: { ...e.proposal, nonce: bytesToBase64(new Uint8Array(24)) },
    }));
    const check = await verifier.verifyTransaction(tx, trust);
    expect(check.txIdCheck.status).toBe('failed');
  });

  it('flags a tampered creator signature, and the transaction as not verified', async () => {
    const tx = withEnvelope(firstTx(1), (e) => {
      const signature = base64ToBytes(e.creatorSignature);
      signature[10] = (signature[10] ?? 0) ^ 0x01;
      return { ...e, creatorSignature: bytesToBase64(signature) };
    });
    const check = await verifier.verifyTransaction(tx, trust);
    expect(check.creatorSignature.status).toBe('failed');
    expect(check.endorsements.every((x) => x.check.status === 'verified')).toBe(true);
    expect(check.ok).toBe(false);
  });

  it('flags envelope bytes altered outside the canonical form, rather than reading them', async () => {
    const text = new TextDecoder().decode(base64ToBytes(firstTx(1).envelope ?? ''));
    const tx = { ...firstTx(1), envelope: bytesToBase64(utf8Encode(text.replace('{', '{ '))) };
    const check = await verifier.verifyTransaction(tx, trust);
    expect(check.envelope.status).toBe('failed');
    expect(check.envelope.detail).toMatch(/canonical/);
    expect(check.creatorSignature.status).toBe('failed');
    expect(check.endorsements).toEqual([]);
    expect(check.ok).toBe(false);
  });

  it('flags a tampered envelope in a block: data hash and endorsements both fail', async () => {
    const b = block(1);
    const tampered = withEnvelope(firstTx(1), (e) => ({
      ...e,
      rwset: {
        ...e.rwset,
        writes: e.rwset.writes.map((w) => ({ ...w, value: bytesToBase64(utf8Encode('{}')) })),
      },
    }));
    const check = await verifier.verifyBlock(
      { ...b, transactions: [tampered, ...b.transactions.slice(1)] },
      { trust, previous: block(0) },
    );
    expect(check.dataHash.status).toBe('failed');
    expect(check.headerHash.status).toBe('verified');
    expect(check.transactions[0]?.endorsements.every((x) => x.check.status === 'failed')).toBe(true);
    expect(check.ok).toBe(false);
  });

  it('fails an envelope that is neither canonical JSON nor a readable Fabric envelope, saying why', async () => {
    const tx = { ...firstTx(1), envelope: bytesToBase64(new Uint8Array([0x0a, 0x02, 0x08, 0x01])) };
    const check = await verifier.verifyTransaction(tx, trust);
    expect(check.envelope.status).toBe('failed');
    expect(check.envelope.detail).toMatch(/readable Fabric envelope: protobuf: Payload\.header/);
    expect(check.ok).toBe(false);
  });

  it('re-derives the configuration transaction id of block 0', async () => {
    const check = await verifier.verifyTransaction(firstTx(0), trust);
    expect(check.txIdCheck.status).toBe('verified');
    expect(check.creatorSignature.status).toBe('not-applicable');
    expect(check.ok).toBe(true);
  });
});

describe('WebCryptoChainVerifier: proof bundles (the protocol’s verifier, on vectors made here)', () => {
  function bundle(opening?: { record: Record<string, unknown>; salt: string }): ProofBundle {
    return ledger.proofBundle(1, 0, {
      kind: 'milestone',
      id: ANCHOR.id,
      anchor: MILESTONE_ANCHOR,
      ...(opening ? { opening } : {}),
    });
  }

  it('verifies a bundle for a document digest, opening the commitment with record and salt', async () => {
    const verdict = await verifier.verifyProofBundle(bundle({ record: RECORD, salt: SALT }), DOCUMENT_SHA256);
    expect(verdict.checks.filter((c) => c.status === 'failed')).toEqual([]);
    expect(verdict.ok).toBe(true);
    expect(verdict.status).toBe('valid');
    expect(verdict.record?.matchedBy).toBe('document');
    expect(verdict.endorsedBy.map((e) => e.mspId)).toEqual(['BeijingMSP']);
    expect(verdict.trust.map((t) => t.mspId).sort()).toEqual(['BeijingMSP', 'HebeiMSP', 'TianjinMSP']);
  });

  it('verifies a bundle asked for by the commitment, without the record', async () => {
    const verdict = await verifier.verifyProofBundle(bundle(), COMMITMENT);
    expect(verdict.ok).toBe(true);
    expect(verdict.record?.matchedBy).toBe('commitment');
  });

  it('calls a changed off-chain record tampered', async () => {
    const verdict = await verifier.verifyProofBundle(
      bundle({ record: { ...RECORD, name: '改过的' }, salt: SALT }),
      DOCUMENT_SHA256,
    );
    expect(verdict.status).toBe('tampered');
  });

  it('refuses a bundle that is not about the hash asked, whatever its own query says', async () => {
    const other = { ...bundle(), query: { sha256: DOCUMENT_SHA256 } };
    const verdict = await verifier.verifyProofBundle(other, sha256Hex('another document'));
    expect(verdict.ok).toBe(false);
    expect(verdict.checks.find((c) => c.name === 'query.match')?.status).toBe('failed');
  });

  it('calls a wrong Merkle path invalid', async () => {
    const good = bundle();
    const badPath = {
      ...good,
      transaction: {
        ...good.transaction,
        inclusion: { ...good.transaction.inclusion, path: [sha256Hex('x')] },
      },
    };
    const verdict = await verifier.verifyProofBundle(badPath, COMMITMENT);
    expect(verdict.status).toBe('invalid');
    expect(verdict.checks.find((c) => c.name === 'transaction.inclusion')?.status).toBe('failed');
  });
});

describe('block header hashing', () => {
  it('hashes the embedded header as canonical JSON of number, previousHash, dataHash', () => {
    const header = { number: 7, previousHash: 'ab'.repeat(32), dataHash: 'cd'.repeat(32) };
    expect(headerText(header)).toBe(
      `{"dataHash":"${'cd'.repeat(32)}","number":7,"previousHash":"${'ab'.repeat(32)}"}`,
    );
  });

  it('hashes a Fabric header as DER SEQUENCE { INTEGER, OCTET STRING, OCTET STRING }', () => {
    const header = { number: 128, previousHash: '00'.repeat(32), dataHash: 'ff'.repeat(32) };
    const der = new Uint8Array([
      0x30,
      0x48,
      0x02,
      0x02,
      0x00,
      0x80,
      0x04,
      0x20,
      ...new Array<number>(32).fill(0),
      0x04,
      0x20,
      ...new Array<number>(32).fill(0xff),
    ]);
    expect(fabricHeaderHash(header)).toBe(sha256Hex(der));
    expect(derInteger(0)).toEqual(new Uint8Array([2, 1, 0]));
  });
});

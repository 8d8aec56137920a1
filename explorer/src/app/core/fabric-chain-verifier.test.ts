import {
  P256_ORDER,
  bytesToBase64,
  derInteger,
  derSequence,
  ecdsaSignatureComponents,
  fabricProposalHash,
} from '@approval-ledger/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import { type BlockJson, type TransactionJson } from './api.types';
import { type ChannelTrust, type TransactionCheck } from './chain-verifier';
import {
  FabricTestLedger,
  type FabricTransactionParts,
  PROPOSAL_MARKER,
  RESPONSE_MARKER,
  encodeFabricEnvelope,
  fabricTransactionJson,
  flipMarker,
  responsePayloadOf,
  serializedIdentityOf,
} from './testing/fabric-ledger-builder';
import { createAuthority, issueIdentity } from './testing/ledger-builder';
import { WebCryptoChainVerifier } from './web-crypto-chain-verifier';

let ledger: FabricTestLedger;
let trust: ChannelTrust;
let parts: FabricTransactionParts;
let txId: string;
const verifier = new WebCryptoChainVerifier();

function block(n: number): BlockJson {
  const b = ledger.blocks[n];
  if (!b) throw new Error(`no block ${n}`);
  return b;
}

function asTransaction(envelope: Uint8Array, id = txId): TransactionJson {
  return fabricTransactionJson(envelope, id, 'endorser');
}

function withParts(change: (p: FabricTransactionParts) => FabricTransactionParts): TransactionJson {
  return asTransaction(encodeFabricEnvelope(change(parts)));
}

function flipped(bytes: Uint8Array, at = 10): Uint8Array {
  const out = bytes.slice();
  out[at] = (out[at] ?? 0) ^ 0x01;
  return out;
}

function statuses(check: TransactionCheck): Record<string, string | string[]> {
  return {
    envelope: check.envelope.status,
    txId: check.txIdCheck.status,
    creator: check.creatorSignature.status,
    endorsements: check.endorsements.map((e) => e.check.status),
  };
}

beforeAll(async () => {
  ledger = await FabricTestLedger.create();
  const first = await ledger.transaction('BeijingMSP', ['BeijingMSP', 'TianjinMSP']);
  const second = await ledger.transaction('HebeiMSP', ['HebeiMSP', 'BeijingMSP']);
  ledger.addBlock([first, second]);
  ledger.addBlock([await ledger.transaction('TianjinMSP')]);
  ({ parts, txId } = first);
  const genesisTrust = verifier.channelTrust(block(0));
  if (!genesisTrust) throw new Error('block 0 carries no Fabric channel configuration');
  trust = genesisTrust;
});

describe('WebCryptoChainVerifier: Fabric blocks', () => {
  it('takes every MSP’s root and intermediate CAs, and the orderer organisation, from the config block', () => {
    expect([...trust.caByMspId.keys()].sort()).toEqual([
      'BeijingMSP',
      'HebeiMSP',
      'OrdererMSP',
      'TianjinMSP',
    ]);
    expect(trust.ordererMspId).toBe('OrdererMSP');
    const hebei = ledger.organisation('HebeiMSP');
    expect(trust.casByMspId?.get('HebeiMSP')).toEqual({
      roots: [hebei.root.certificate],
      intermediates: [hebei.intermediate?.certificate],
    });
  });

  it('verifies every transaction of every block; the block signatures stay unchecked, with the reason', async () => {
    for (let n = 0; n < ledger.blocks.length; n++) {
      const check = await verifier.verifyBlock(block(n), {
        trust,
        previous: n > 0 ? block(n - 1) : undefined,
      });
      expect(check.headerHash.status, `block ${n} header`).toBe('verified');
      expect(check.dataHash.status).toBe('verified');
      expect(check.previousLink.status).toBe('verified');
      expect(check.ordererSignature.status).toBe('unchecked');
      expect(check.ordererSignature.detail).toMatch(/block metadata/);
      expect(check.transactions.map((t) => t.ok)).toEqual(check.transactions.map(() => true));
      expect(check.ok).toBe(false);
    }
  });

  it('verifies tx id, creator signature and both endorsements, an intermediate CA’s certificates included', async () => {
    const b = block(1);
    const [bj, he] = await Promise.all(b.transactions.map((tx) => verifier.verifyTransaction(tx, trust)));
    expect(bj && statuses(bj)).toEqual({
      envelope: 'verified',
      txId: 'verified',
      creator: 'verified',
      endorsements: ['verified', 'verified'],
    });
    expect(bj?.endorsements.map((e) => e.mspId)).toEqual(['BeijingMSP', 'TianjinMSP']);
    expect(he?.endorsements.map((e) => [e.mspId, e.check.status])).toEqual([
      ['HebeiMSP', 'verified'],
      ['BeijingMSP', 'verified'],
    ]);
    expect(he?.ok).toBe(true);
  });

  it('reads block 0’s configuration transaction: nothing to sign, nothing failed', async () => {
    const check = await verifier.verifyTransaction(block(0).transactions[0] as TransactionJson, trust);
    expect(statuses(check)).toEqual({
      envelope: 'verified',
      txId: 'not-applicable',
      creator: 'not-applicable',
      endorsements: [],
    });
    expect(check.ok).toBe(true);
  });
});

describe('WebCryptoChainVerifier: tampered Fabric envelopes', () => {
  it('a flipped byte in the payload: the creator signature fails and the endorsements answer another proposal', async () => {
    const envelope = flipMarker(encodeFabricEnvelope(parts), PROPOSAL_MARKER);
    const check = await verifier.verifyTransaction(asTransaction(envelope), trust);
    expect(check.envelope.status).toBe('verified');
    expect(check.creatorSignature).toEqual({
      status: 'failed',
      detail: 'the signature does not match the signed bytes',
    });
    expect(check.endorsements.map((e) => e.check.detail)).toEqual([
      expect.stringMatching(/for another proposal/),
      expect.stringMatching(/for another proposal/),
    ]);
    expect(check.ok).toBe(false);
  });

  it('a flipped byte in the creator’s signature fails that signature only', async () => {
    const check = await verifier.verifyTransaction(
      withParts((p) => ({ ...p, signature: flipped(p.signature) })),
      trust,
    );
    expect(statuses(check)).toEqual({
      envelope: 'verified',
      txId: 'verified',
      creator: 'failed',
      endorsements: ['verified', 'verified'],
    });
    expect(check.ok).toBe(false);
  });

  it('a flipped byte in an endorsement signature fails that endorsement', async () => {
    const check = await verifier.verifyTransaction(
      withParts((p) => ({
        ...p,
        endorsements: p.endorsements.map((e, i) => (i === 1 ? { ...e, signature: flipped(e.signature) } : e)),
      })),
      trust,
    );
    expect(check.endorsements.map((e) => e.check.status)).toEqual(['verified', 'failed']);
    expect(check.endorsements[1]?.check.detail).toMatch(/does not match/);
    expect(check.ok).toBe(false);
  });

  it('a flipped byte in the proposal response payload fails every endorsement signature', async () => {
    const envelope = flipMarker(encodeFabricEnvelope(parts), RESPONSE_MARKER);
    const check = await verifier.verifyTransaction(asTransaction(envelope), trust);
    expect(check.endorsements.map((e) => e.check)).toEqual([
      { status: 'failed', detail: 'the signature does not match the signed bytes' },
      { status: 'failed', detail: 'the signature does not match the signed bytes' },
    ]);
    expect(check.ok).toBe(false);
  });

  it('an endorser swapped for another organisation’s peer certificate: the signature is not by it', async () => {
    const tianjinPeer = serializedIdentityOf(ledger.organisation('TianjinMSP').peer);
    const check = await verifier.verifyTransaction(
      withParts((p) => ({
        ...p,
        endorsements: p.endorsements.map((e, i) => (i === 0 ? { ...e, endorser: tianjinPeer } : e)),
      })),
      trust,
    );
    expect(check.endorsements[0]?.mspId).toBe('TianjinMSP');
    expect(check.endorsements[0]?.check).toEqual({
      status: 'failed',
      detail: 'the signature does not match the signed bytes',
    });
  });

  it('an endorser whose certificate no CA of its organisation issued fails, whatever it signed', async () => {
    const stranger = await issueIdentity(
      await createAuthority('BeijingMSP', 'beijing.ledger.gov.cn'),
      'p',
      'peer',
    );
    const endorser = serializedIdentityOf(stranger);
    const { signature } = (await ledger.transaction('BeijingMSP')).parts.endorsements[0] ?? {};
    const check = await verifier.verifyTransaction(
      withParts((p) => ({ ...p, endorsements: [{ endorser, signature: signature ?? new Uint8Array() }] })),
      trust,
    );
    expect(check.endorsements[0]?.check.status).toBe('failed');
    expect(check.endorsements[0]?.check.detail).toMatch(/not signed by its organisation’s CA/);
  });

  it('an endorsement for another proposal fails even when its signature is good', async () => {
    const other = await ledger.transaction('BeijingMSP', ['BeijingMSP']);
    const check = await verifier.verifyTransaction(
      withParts((p) => ({
        ...p,
        responsePayload: other.parts.responsePayload,
        endorsements: other.parts.endorsements,
      })),
      trust,
    );
    expect(check.endorsements[0]?.check.detail).toMatch(/for another proposal/);
    expect(check.creatorSignature.status).toBe('failed');
    expect(
      responsePayloadOf(
        fabricProposalHash(
          { channelHeaderBytes: parts.channelHeader, signatureHeaderBytes: parts.signatureHeader },
          { chaincodeProposalPayload: parts.proposalPayload },
        ),
      ),
    ).toEqual(parts.responsePayload);
  });

  it('the high-S twin of a valid endorsement signature fails, as Fabric refuses it', async () => {
    const check = await verifier.verifyTransaction(
      withParts((p) => ({
        ...p,
        endorsements: p.endorsements.map((e) => {
          const { r, s } = ecdsaSignatureComponents(e.signature);
          return { ...e, signature: derSequence(derInteger(r), derInteger(P256_ORDER - s)) };
        }),
      })),
      trust,
    );
    expect(check.endorsements.map((e) => e.check.status)).toEqual(['failed', 'failed']);
    expect(check.endorsements[0]?.check.detail).toMatch(/low-S/);
  });

  it('a truncated envelope fails as unreadable, and so does the block’s data hash', async () => {
    const envelope = encodeFabricEnvelope(parts);
    const tx = asTransaction(envelope.subarray(0, envelope.length - 5));
    const check = await verifier.verifyTransaction(tx, trust);
    expect(check.envelope.status).toBe('failed');
    expect(check.envelope.detail).toMatch(
      /not a readable Fabric envelope|readable Fabric envelope: protobuf:/,
    );
    expect(check.envelope.detail).toMatch(/bytes are left/);
    expect(check.ok).toBe(false);
    const b = block(1);
    const blockCheck = await verifier.verifyBlock(
      { ...b, transactions: [tx, ...b.transactions.slice(1)] },
      { trust, previous: block(0) },
    );
    expect(blockCheck.dataHash.status).toBe('failed');
    expect(blockCheck.transactions[0]?.envelope.status).toBe('failed');
  });

  it('a transaction id that is not SHA-256(nonce ‖ creator), or not the one asked about, fails', async () => {
    const other = await ledger.transaction('BeijingMSP');
    const check = await verifier.verifyTransaction(
      withParts((p) => ({ ...p, signatureHeader: other.parts.signatureHeader })),
      trust,
    );
    expect(check.txIdCheck.status).toBe('failed');
    expect(check.txIdCheck.detail).toMatch(/re-computed/);
    const misnamed = await verifier.verifyTransaction(
      asTransaction(encodeFabricEnvelope(parts), other.txId),
      trust,
    );
    expect(misnamed.envelope.detail).toMatch(/is transaction/);
  });
});

describe('WebCryptoChainVerifier: Fabric MSPs with several CAs', () => {
  it('accepts a certificate by any root CA of the MSP, and refuses an intermediate CA no root issued', async () => {
    const hebei = ledger.organisation('HebeiMSP');
    const stranger = await createAuthority('HebeiMSP', 'elsewhere.example');
    const cas = (roots: string[]) =>
      new Map([
        ...(trust.casByMspId ?? []),
        ['HebeiMSP', { roots, intermediates: [hebei.intermediate?.certificate ?? ''] }],
      ]);
    const tx = block(1).transactions[1] as TransactionJson;
    const both = await verifier.verifyTransaction(tx, {
      ...trust,
      casByMspId: cas([stranger.certificate, hebei.root.certificate]),
    });
    expect(both.creatorSignature.status).toBe('verified');
    const foreign = await verifier.verifyTransaction(tx, {
      ...trust,
      casByMspId: cas([stranger.certificate]),
    });
    expect(foreign.creatorSignature.status).toBe('failed');
    expect(foreign.creatorSignature.detail).toMatch(
      /intermediate CA .* was not issued by a root CA of HebeiMSP/,
    );
  });
});

describe('WebCryptoChainVerifier: Fabric without the channel’s CAs', () => {
  it('checks the signatures against the certificates in the envelope, and says the issuers were not checked', async () => {
    const tx = block(1).transactions[0] as TransactionJson;
    const check = await verifier.verifyTransaction(tx, undefined);
    expect(check.creatorSignature.status).toBe('unchecked');
    expect(check.creatorSignature.detail).toMatch(/who issued that certificate was not checked/);
    expect(check.endorsements.map((e) => e.check.status)).toEqual(['unchecked', 'unchecked']);
    expect(check.ok).toBe(false);
  });

  it('still fails a signature that does not match', async () => {
    const check = await verifier.verifyTransaction(
      withParts((p) => ({ ...p, signature: flipped(p.signature) })),
      undefined,
    );
    expect(check.creatorSignature.status).toBe('failed');
  });

  it('has no trust anchors when block 0 is not a readable configuration block', () => {
    const genesis = block(0);
    const broken = {
      ...genesis,
      transactions: [{ ...genesis.transactions[0], envelope: bytesToBase64(new Uint8Array([0x0a, 0x05])) }],
    };
    expect(verifier.channelTrust(broken as BlockJson)).toBeUndefined();
  });
});

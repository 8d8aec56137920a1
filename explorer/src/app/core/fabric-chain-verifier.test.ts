import {
  P256_ORDER,
  base64ToBytes,
  bytesToBase64,
  derInteger,
  derSequence,
  ecdsaSignatureComponents,
  fabricProposalHash,
} from '@approval-ledger/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkChain } from '../chain/chain-check';
import {
  type BlockJson,
  type LedgerSignatureJson,
  type TransactionJson,
} from '@approval-ledger/protocol/api';
import { type ChannelTrust, type TransactionCheck } from './chain-verifier';
import {
  FabricTestLedger,
  fabricBlockSignature,
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
  await ledger.addBlock([first, second]);
  await ledger.addBlock([await ledger.transaction('TianjinMSP')]);
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

  it('verifies every block: hashes, link, orderer signature (none on block 0) and every transaction', async () => {
    for (let n = 0; n < ledger.blocks.length; n++) {
      const check = await verifier.verifyBlock(block(n), {
        trust,
        previous: n > 0 ? block(n - 1) : undefined,
      });
      expect(check.headerHash.status, `block ${n} header`).toBe('verified');
      expect(check.dataHash.status).toBe('verified');
      expect(check.previousLink.status).toBe('verified');
      expect(check.ordererSignature.status, `block ${n} signature`).toBe(
        n === 0 ? 'not-applicable' : 'verified',
      );
      expect(check.transactions.map((t) => t.ok)).toEqual(check.transactions.map(() => true));
      expect(check.ok).toBe(true);
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
      name: 'transaction.creator',
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
      {
        name: 'transaction.endorsement',
        status: 'failed',
        detail: 'the signature does not match the signed bytes',
      },
      {
        name: 'transaction.endorsement',
        status: 'failed',
        detail: 'the signature does not match the signed bytes',
      },
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
      name: 'transaction.endorsement',
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

/** Block `n` with its one orderer signature changed by `change`. */
function withSignature(n: number, change: (s: LedgerSignatureJson) => LedgerSignatureJson): BlockJson {
  const b = block(n);
  return { ...b, signatures: b.signatures.map(change) };
}

function flippedBase64(text: string, at = 0): string {
  return bytesToBase64(flipped(base64ToBytes(text), at));
}

/** Hex text with its first digit changed. */
function flippedHex(hex: string): string {
  return `${hex.startsWith('0') ? '1' : '0'}${hex.slice(1)}`;
}

/** The block's orderer signature check (the link to the previous block is not what these tests are about). */
async function ordererSignatureOf(b: BlockJson) {
  return (await verifier.verifyBlock(b, { trust })).ordererSignature;
}

describe('WebCryptoChainVerifier: Fabric block (orderer) signatures', () => {
  it('verifies the orderer’s signature over signedPrefix ‖ the DER header, by a certificate of the orderer CA', async () => {
    const b = block(1);
    expect(b.signatures.map((s) => s.mspId)).toEqual(['OrdererMSP']);
    expect(b.signatures[0]?.signedPrefix).toBeTruthy();
    expect(await ordererSignatureOf(b)).toEqual({ name: 'block.ordererSignature', status: 'verified' });
  });

  it('fails when a header field the signature covers changed: number, previous hash or data hash', async () => {
    const b = block(2);
    for (const changed of [
      { ...b, number: 7 },
      { ...b, previousHash: flippedHex(b.previousHash) },
      { ...b, dataHash: flippedHex(b.dataHash) },
    ]) {
      expect(await ordererSignatureOf(changed)).toEqual({
        name: 'block.ordererSignature',
        status: 'failed',
        detail: 'the signature does not match the signed bytes',
      });
    }
  });

  it('fails when a byte of the signed prefix (metadata value or signature header) changed', async () => {
    for (const at of [1, 30]) {
      const check = await ordererSignatureOf(
        withSignature(1, (s) => ({ ...s, signedPrefix: flippedBase64(s.signedPrefix ?? '', at) })),
      );
      expect(check.status, `prefix byte ${at}`).toBe('failed');
      expect(check.detail).toMatch(/does not match/);
    }
  });

  it('fails when a byte of the signature changed, and refuses its high-S twin', async () => {
    const bad = await ordererSignatureOf(
      withSignature(1, (s) => ({ ...s, signature: flippedBase64(s.signature, 10) })),
    );
    expect(bad.status).toBe('failed');
    const highS = await ordererSignatureOf(
      withSignature(1, (s) => {
        const { r, s: sValue } = ecdsaSignatureComponents(base64ToBytes(s.signature));
        return {
          ...s,
          signature: bytesToBase64(derSequence(derInteger(r), derInteger(P256_ORDER - sValue))),
        };
      }),
    );
    expect(highS).toEqual({
      name: 'block.ordererSignature',
      status: 'failed',
      detail: 'not a low-S DER ECDSA signature (Fabric refuses it)',
    });
  });

  it('fails a block signed by a peer of an application organisation, however good its signature', async () => {
    const b = block(1);
    const byPeer = await fabricBlockSignature(ledger.organisation('BeijingMSP').peer, b);
    const check = await ordererSignatureOf({ ...b, signatures: [byPeer] });
    expect(check.status).toBe('failed');
    expect(check.detail).toMatch(
      /BeijingMSP, which is not an orderer organisation of the channel \(OrdererMSP\)/,
    );
  });

  it('fails a signer calling itself OrdererMSP whose certificate another CA issued', async () => {
    const impostorCa = await createAuthority('OrdererMSP', 'orderer.ledger.gov.cn');
    const impostor = await issueIdentity(impostorCa, 'orderer0.orderer.ledger.gov.cn', 'orderer');
    const b = block(1);
    const check = await ordererSignatureOf({ ...b, signatures: [await fabricBlockSignature(impostor, b)] });
    expect(check.status).toBe('failed');
    expect(check.detail).toMatch(/not signed by its organisation’s CA/);
  });

  it('fails when any of several signatures fails, naming its organisation', async () => {
    const b = block(1);
    const [good] = b.signatures;
    const byPeer = await fabricBlockSignature(ledger.organisation('TianjinMSP').peer, b);
    const check = await ordererSignatureOf({ ...b, signatures: [good as LedgerSignatureJson, byPeer] });
    expect(check.status).toBe('failed');
    expect(check.detail).toMatch(/^signature by TianjinMSP: /);
  });

  it('without the prefix a signature stays unchecked, saying why; a block after block 0 with none fails', async () => {
    const check = await ordererSignatureOf(withSignature(1, ({ signedPrefix: _prefix, ...s }) => s));
    expect(check.status).toBe('unchecked');
    expect(check.detail).toMatch(/sent no signedPrefix/);
    expect(await ordererSignatureOf({ ...block(1), signatures: [] })).toEqual({
      name: 'block.ordererSignature',
      status: 'failed',
      detail: 'the block carries no orderer signature',
    });
    expect((await ordererSignatureOf(block(0))).status).toBe('not-applicable');
  });

  it('without the channel’s CAs a block signature is not checked', async () => {
    const check = await verifier.verifyBlock(block(1), { previous: block(0) });
    expect(check.ordererSignature.status).toBe('unchecked');
  });

  it('a Fabric chain whose every check passes is intact; one unsigned prefix makes it incomplete', async () => {
    const height = ledger.blocks.length;
    const fetchBlock = (n: number) => Promise.resolve(block(n));
    expect(await checkChain({ height, fetchBlock, verifier })).toEqual({
      status: 'intact',
      checked: height,
      total: height,
      suite: 'intl', // a Fabric channel is SHA-256 / P-256
    });
    const withoutPrefix = withSignature(2, ({ signedPrefix: _prefix, ...s }) => s);
    const incomplete = await checkChain({
      height,
      verifier,
      fetchBlock: (n) => Promise.resolve(n === 2 ? withoutPrefix : block(n)),
    });
    expect(incomplete).toMatchObject({ status: 'incomplete', block: 2 });
    const forged = withSignature(2, (s) => ({ ...s, signature: flippedBase64(s.signature, 10) }));
    const broken = await checkChain({
      height,
      verifier,
      fetchBlock: (n) => Promise.resolve(n === 2 ? forged : block(n)),
    });
    expect(broken).toMatchObject({ status: 'broken', block: 2 });
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { p256 } from '@noble/curves/p256';
import { expect } from 'chai';
import fc from 'fast-check';
import { bytesToHex, utf8Encode } from '../bytes.js';
import { canonicalize } from '../canonical-json.js';
import { merkleRoot } from '../merkle.js';
import { sha256, sha256Hex } from '../sha256.js';
import { base64ToBytes } from '../proof/base64.js';
import { verifyP256 } from '../proof/ecdsa-p256.js';
import { parseCertificate } from '../proof/x509.js';
import {
  blockHash,
  canonicalObjectOfTexts,
  commitHash,
  dataHash,
  dataHashOfEnvelopes,
  endorsementMessage,
  endorserTransactionText,
  endorserTransactionTextAt,
  type EndorserTransactionJson,
  headerText,
  parseTransactionEnvelope,
  proposalText,
  serializedIdentity,
  timestampIso,
  transactionEnvelopeText,
  transactionId,
  transactionResponseHash,
  ZERO_HASH,
} from './embedded-block.js';
import { ecdsaDerToP1363, ecdsaP1363ToLowSDer, isLowSSignature, P256_ORDER } from './ecdsa-signature.js';
import { fabricBlockHash, fabricBlockHeaderBytes, fabricDataHash } from './fabric-block.js';

interface FixtureBundle {
  transaction: { envelope: string; blockNumber: number };
  chain: { number: number; previousHash: string; dataHash: string; signature: string }[];
}

/** A milestone transaction and its block as the hub's embedded ledger wrote them (proof bundle fixture). */
function hubWritten(): { text: string; tx: EndorserTransactionJson; bundle: FixtureBundle } {
  const bundle = JSON.parse(
    readFileSync(join(__dirname, '..', 'proof', 'fixtures', 'proof-bundle.milestone.json'), 'utf8'),
  ) as FixtureBundle;
  const text = bundle.transaction.envelope;
  const tx = parseTransactionEnvelope(text);
  if (tx?.type !== 'endorser') throw new Error('the fixture holds no endorser transaction');
  return { text, tx, bundle };
}

const json = fc.jsonValue({ maxDepth: 3 }).filter((v) => {
  try {
    canonicalize(v);
    return true;
  } catch {
    return false;
  }
});

describe('embedded block format', () => {
  it('re-derives, byte for byte, the envelope, ids, hashes and signatures of a block the hub wrote', () => {
    const { text, tx, bundle } = hubWritten();
    expect(transactionEnvelopeText(tx)).to.equal(text);
    const { nonce, creator } = tx.proposal;
    expect(transactionId(base64ToBytes(nonce), creator.mspId, creator.certificate)).to.equal(
      tx.proposal.txId,
    );
    const creatorKey = parseCertificate(creator.certificate).publicKey;
    const proposal = utf8Encode(proposalText(tx.proposal));
    expect(verifyP256(creatorKey, proposal, base64ToBytes(tx.creatorSignature))).to.equal(true);
    const hash = transactionResponseHash(tx);
    expect(tx.endorsements).to.have.length.greaterThan(0);
    for (const e of tx.endorsements) {
      const key = parseCertificate(e.certificate).publicKey;
      expect(verifyP256(key, endorsementMessage(e, hash), base64ToBytes(e.signature)), e.mspId).to.equal(
        true,
      );
    }
    const block = bundle.chain.find((h) => h.number === bundle.transaction.blockNumber);
    expect(dataHash([text])).to.equal(block?.dataHash);
    expect(dataHashOfEnvelopes([utf8Encode(text)])).to.equal(block?.dataHash);
    for (let i = 1; i < bundle.chain.length; i++) {
      const [previous, next] = [bundle.chain[i - 1], bundle.chain[i]];
      if (previous && next && next.number === previous.number + 1) {
        expect(next.previousHash).to.equal(blockHash(previous));
      }
    }
  });

  it('catches a tampered envelope: another leaf, another response hash, endorsements no longer verify', () => {
    const { text, tx, bundle } = hubWritten();
    const block = bundle.chain.find((h) => h.number === bundle.transaction.blockNumber);
    const tampered = text.replace('"status":200', '"status":201');
    expect(tampered).to.not.equal(text);
    expect(dataHash([tampered])).to.not.equal(block?.dataHash);
    const forged = parseTransactionEnvelope(tampered) as EndorserTransactionJson;
    const endorsement = forged.endorsements[0];
    if (!endorsement) throw new Error('no endorsement');
    const key = parseCertificate(endorsement.certificate).publicKey;
    const message = endorsementMessage(endorsement, transactionResponseHash(forged));
    expect(verifyP256(key, message, base64ToBytes(endorsement.signature))).to.equal(false);
    expect(transactionResponseHash(forged)).to.not.equal(transactionResponseHash(tx));
  });

  it('reads only canonical transaction envelopes', () => {
    const { text } = hubWritten();
    expect(parseTransactionEnvelope(text)).to.not.equal(undefined);
    expect(parseTransactionEnvelope(` ${text}`)).to.equal(undefined);
    expect(parseTransactionEnvelope(JSON.stringify(JSON.parse(text), null, 1))).to.equal(undefined);
    expect(parseTransactionEnvelope('{"type":"other"}')).to.equal(undefined);
    expect(parseTransactionEnvelope('not json')).to.equal(undefined);
  });

  it('assembles canonical objects from canonical member texts exactly as canonicalize does', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), json, { maxKeys: 8 }), (members) => {
        const texts = Object.fromEntries(Object.entries(members).map(([k, v]) => [k, canonicalize(v)]));
        expect(canonicalObjectOfTexts(texts)).to.equal(canonicalize(members));
      }),
    );
  });

  /** The parts of a transaction as the endorser has them: canonical texts. */
  function partsOf(tx: EndorserTransactionJson) {
    return {
      proposalText: canonicalize(tx.proposal),
      creatorSignature: tx.creatorSignature,
      responseText: canonicalize(tx.response),
      rwsetText: canonicalize(tx.rwset),
      eventText: canonicalize(tx.event),
      endorsements: tx.endorsements,
    };
  }

  it('assembles the endorser transaction text as canonicalize would', () => {
    const { tx } = hubWritten();
    expect(endorserTransactionText(partsOf(tx))).to.equal(canonicalize(tx));
  });

  it('says where the proposal text starts in the endorser transaction text', () => {
    const parts = partsOf(hubWritten().tx);
    for (const event of [parts.eventText, 'null']) {
      const withEvent = { ...parts, eventText: event };
      const { text, proposalAt } = endorserTransactionTextAt(withEvent);
      expect(text).to.equal(endorserTransactionText(withEvent));
      expect(text.slice(proposalAt, proposalAt + parts.proposalText.length)).to.equal(parts.proposalText);
      expect(text.slice(0, proposalAt).endsWith(',"proposal":')).to.equal(true);
    }
  });

  it('pins the header, commit, endorsement and identity bytes', () => {
    const header = { number: 3, previousHash: ZERO_HASH, dataHash: 'ab'.repeat(32) };
    expect(headerText(header)).to.equal(
      `{"dataHash":"${'ab'.repeat(32)}","number":3,"previousHash":"${ZERO_HASH}"}`,
    );
    expect(blockHash(header)).to.equal(sha256Hex(headerText(header)));
    expect(commitHash(ZERO_HASH, 'h', ['VALID'])).to.equal(
      sha256Hex(`{"blockHash":"h","previousCommitHash":"${ZERO_HASH}","validationCodes":["VALID"]}`),
    );
    expect(new TextDecoder().decode(endorsementMessage({ mspId: 'M', certificate: 'C' }, 'r'))).to.equal(
      '{"endorser":{"certificate":"C","mspId":"M"},"responseHash":"r"}',
    );
    const long = 'x'.repeat(200);
    expect(bytesToHex(serializedIdentity('M', long))).to.equal(`0a014d12c801${bytesToHex(utf8Encode(long))}`);
    expect(timestampIso({ seconds: 1741249800, nanos: 5 })).to.equal('2025-03-06T08:30:00.000000005Z');
    expect(dataHash([])).to.equal(sha256Hex(''));
    const texts = ['{"a":1}', '{"b":"中文"}'];
    expect(dataHash(texts)).to.equal(bytesToHex(merkleRoot(texts.map(utf8Encode))));
  });
});

describe('Fabric block hashing', () => {
  it('hashes the ASN.1 DER header Fabric hashes', () => {
    const header = { number: 300, previousHash: '01'.repeat(32), dataHash: '02'.repeat(32) };
    const bytes = fabricBlockHeaderBytes(300, new Uint8Array(32).fill(1), new Uint8Array(32).fill(2));
    expect(bytesToHex(bytes)).to.equal(`30480202012c0420${'01'.repeat(32)}0420${'02'.repeat(32)}`);
    expect(fabricBlockHash(header)).to.equal(sha256Hex(bytes));
    expect(bytesToHex(fabricBlockHeaderBytes(128n, new Uint8Array(), new Uint8Array()))).to.equal(
      '3008020200800400' + '0400',
    );
    expect(fabricDataHash([utf8Encode('a'), utf8Encode('bc')])).to.equal(sha256Hex('abc'));
  });
});

describe('ECDSA signature forms', () => {
  it('converts DER to P1363 and back with low S, and tells low S from high S', () => {
    const secret = p256.utils.randomPrivateKey();
    const message = sha256(utf8Encode('block'));
    const signature = p256.sign(message, secret, { lowS: true });
    const der = signature.toDERRawBytes();
    const raw = ecdsaDerToP1363(der);
    expect(bytesToHex(raw)).to.equal(bytesToHex(signature.toCompactRawBytes()));
    expect(isLowSSignature(der)).to.equal(true);
    const high = new p256.Signature(signature.r, P256_ORDER - signature.s).toDERRawBytes();
    expect(isLowSSignature(high)).to.equal(false);
    expect(bytesToHex(ecdsaP1363ToLowSDer(ecdsaDerToP1363(high)))).to.equal(bytesToHex(der));
    expect(isLowSSignature(new Uint8Array([0x30, 0x01]))).to.equal(false);
  });
});

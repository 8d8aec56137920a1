import { canonicalize, hexToBytes, merkleRoot, bytesToHex, sha256Hex } from '@approval-ledger/protocol';
import { expect } from 'chai';
import fc from 'fast-check';
import {
  blockHash,
  canonicalObjectOfTexts,
  commitHash,
  dataHash,
  endorsementMessage,
  endorserTransactionText,
  headerText,
  serializedIdentity,
  timestampIso,
  transactionId,
  ZERO_HASH,
} from './block-format';
import { computeTxId, serializeIdentity } from './semantics';

const json = fc.jsonValue({ maxDepth: 3 }).filter((v) => {
  try {
    canonicalize(v);
    return true;
  } catch {
    return false;
  }
});

describe('embedded block format', () => {
  it('assembles canonical objects from canonical member texts exactly as canonicalize does', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), json, { maxKeys: 8 }), (members) => {
        const texts = Object.fromEntries(Object.entries(members).map(([k, v]) => [k, canonicalize(v)]));
        expect(canonicalObjectOfTexts(texts)).to.equal(canonicalize(members));
      }),
    );
  });

  it('assembles the endorser transaction text as canonicalize would', () => {
    const parts = {
      proposal: { txId: 'a', args: ['{"b":1}'], creator: { mspId: 'BeijingMSP', certificate: 'pem' } },
      response: { status: 200, message: '', payload: 'e30=' },
      rwset: {
        reads: [],
        rangeQueries: [],
        writes: [{ key: '\u0000k\u0000', isDelete: false, value: 'dg==' }],
        metadataWrites: [],
      },
      event: null,
      endorsements: [{ mspId: 'BeijingMSP', certificate: 'pem', signature: 'c2ln' }],
    };
    const text = endorserTransactionText({
      proposalText: canonicalize(parts.proposal),
      creatorSignature: 'c2ln',
      responseText: canonicalize(parts.response),
      rwsetText: canonicalize(parts.rwset),
      eventText: canonicalize(parts.event),
      endorsements: parts.endorsements,
    });
    expect(text).to.equal(canonicalize({ type: 'endorser', creatorSignature: 'c2ln', ...parts }));
  });

  it("derives Fabric's SerializedIdentity and transaction id as the stub does", () => {
    const cert = '-----BEGIN CERTIFICATE-----\n' + 'A'.repeat(900) + '\n-----END CERTIFICATE-----\n';
    const nonce = new Uint8Array(24).map((_, i) => i * 7);
    expect(bytesToHex(serializedIdentity('TianjinMSP', cert))).to.equal(
      bytesToHex(serializeIdentity('TianjinMSP', cert)),
    );
    expect(transactionId(nonce, 'TianjinMSP', cert)).to.equal(
      computeTxId(nonce, serializeIdentity('TianjinMSP', cert)),
    );
  });

  it("hashes the data as protocol's RFC 6962 root over the UTF-8 envelope texts", () => {
    const texts = ['{"a":1}', '{"b":"中文"}', '{}'];
    expect(dataHash(texts)).to.equal(bytesToHex(merkleRoot(texts.map((t) => new TextEncoder().encode(t)))));
    expect(dataHash([])).to.equal(sha256Hex(''));
  });

  it('hashes and signs the canonical header, chains commit hashes, and formats timestamps with nanoseconds', () => {
    const header = { number: 3, previousHash: ZERO_HASH, dataHash: 'ab'.repeat(32) };
    expect(headerText(header)).to.equal(
      `{"dataHash":"${'ab'.repeat(32)}","number":3,"previousHash":"${ZERO_HASH}"}`,
    );
    expect(blockHash(header)).to.equal(sha256Hex(headerText(header)));
    expect(commitHash(ZERO_HASH, 'h', ['VALID'])).to.equal(
      sha256Hex(`{"blockHash":"h","previousCommitHash":"${ZERO_HASH}","validationCodes":["VALID"]}`),
    );
    expect(timestampIso({ seconds: 1741249800, nanos: 5 })).to.equal('2025-03-06T08:30:00.000000005Z');
    expect(new TextDecoder().decode(endorsementMessage({ mspId: 'M', certificate: 'C' }, 'r'))).to.equal(
      '{"endorser":{"certificate":"C","mspId":"M"},"responseHash":"r"}',
    );
    expect(hexToBytes(ZERO_HASH)).to.have.length(32);
  });
});

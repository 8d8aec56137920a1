import { hexToBytes, merkleRoot, bytesToHex, sha256Hex } from '@approval-ledger/protocol';
import { expect } from 'chai';
import {
  blockHash,
  commitHash,
  dataHash,
  endorsementMessage,
  headerText,
  serializedIdentity,
  timestampIso,
  transactionId,
  ZERO_HASH,
} from './block-format';
import { computeTxId, serializeIdentity } from './semantics';

describe('embedded block format', () => {
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

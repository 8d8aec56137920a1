// The block format itself is protocol's (`src/block-format/embedded-block.test.ts` pins its bytes); this checks
// that the protocol's identity and transaction id agree with the stub's, which the engine signs with.
import { bytesToHex } from '@approval-ledger/protocol';
import { expect } from 'chai';
import { serializedIdentity, transactionId } from './block-format';
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
});

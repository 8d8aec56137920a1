import * as asn1js from 'asn1js';
import { expect } from 'chai';
import { fabricBlockHeaderBytes } from './block-hashes';

function reference(number: number, previousHash: Uint8Array, dataHash: Uint8Array): Uint8Array {
  const sequence = new asn1js.Sequence({
    value: [
      asn1js.Integer.fromBigInt(BigInt(number)),
      new asn1js.OctetString({ valueHex: previousHash }),
      new asn1js.OctetString({ valueHex: dataHash }),
    ],
  });
  return new Uint8Array(sequence.toBER());
}

describe("Fabric's block header bytes", () => {
  for (const number of [0, 1, 127, 128, 255, 256, 65_535, 2 ** 40 + 7]) {
    it(`encodes block ${number} as ASN.1 DER SEQUENCE { INTEGER, OCTET STRING, OCTET STRING }`, () => {
      const previous = new Uint8Array(32).fill(0xab);
      const data = new Uint8Array(32).fill(0x01);
      expect(Buffer.from(fabricBlockHeaderBytes(BigInt(number), previous, data)).toString('hex')).to.equal(
        Buffer.from(reference(number, previous, data)).toString('hex'),
      );
    });
  }

  it('encodes the empty previous hash of block 0', () => {
    const data = new Uint8Array(32).fill(7);
    expect(Buffer.from(fabricBlockHeaderBytes(0n, new Uint8Array(), data)).toString('hex')).to.equal(
      Buffer.from(reference(0, new Uint8Array(), data)).toString('hex'),
    );
  });
});

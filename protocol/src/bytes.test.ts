import { expect } from 'chai';
import { bytesToHex, equalBytes, hexToBytes, utf8Encode } from './bytes.js';
import { sha256, sha256Hex } from './sha256.js';

describe('bytes and SHA-256', () => {
  it('hashes strings as their UTF-8 bytes', () => {
    expect(sha256Hex('')).to.equal('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('abc')).to.equal('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('项目')).to.equal(sha256Hex(utf8Encode('项目')));
    expect(utf8Encode('项目')).to.deep.equal(new Uint8Array([0xe9, 0xa1, 0xb9, 0xe7, 0x9b, 0xae]));
  });

  it('returns 32 raw bytes from sha256', () => {
    expect(sha256('abc')).to.be.instanceOf(Uint8Array).with.length(32);
  });

  it('round-trips hex, accepting a 0x prefix and either case', () => {
    const bytes = new Uint8Array([0, 1, 0xab, 0xff]);
    expect(bytesToHex(bytes)).to.equal('0001abff');
    expect(hexToBytes('0001abff')).to.deep.equal(bytes);
    expect(hexToBytes('0x0001ABFF')).to.deep.equal(bytes);
    expect(hexToBytes('')).to.deep.equal(new Uint8Array(0));
  });

  it('writes hex of any length, as Node writes it', () => {
    for (const length of [0, 1, 31, 32, 33, 64, 65, 1000]) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 151 + length) % 256);
      expect(bytesToHex(bytes), `${length} bytes`).to.equal(Buffer.from(bytes).toString('hex'));
      // a view into a larger buffer: its own bytes only
      const view = new Uint8Array([0xee, ...bytes, 0xee]).subarray(1, length + 1);
      expect(bytesToHex(view)).to.equal(Buffer.from(bytes).toString('hex'));
    }
    expect(() => bytesToHex('00' as unknown as Uint8Array)).to.throw(TypeError, /Uint8Array/);
  });

  it('refuses odd-length or non-hex strings', () => {
    expect(() => hexToBytes('abc')).to.throw(TypeError, /even-length hex/);
    expect(() => hexToBytes('zz')).to.throw(TypeError);
  });

  it('compares bytes', () => {
    expect(equalBytes(new Uint8Array([1, 2]), new Uint8Array([1, 2]))).to.be.true;
    expect(equalBytes(new Uint8Array([1, 2]), new Uint8Array([1, 3]))).to.be.false;
    expect(equalBytes(new Uint8Array([1]), new Uint8Array([1, 2]))).to.be.false;
  });
});

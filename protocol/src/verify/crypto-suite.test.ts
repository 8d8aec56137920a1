import { p256 } from '@noble/curves/p256';
import { expect } from 'chai';
import { sha256 } from '../sha256.js';
import { type Certificate } from '../proof/x509.js';
import { type CryptoSuite, cryptoSuite, jsIntlSuite, useCryptoSuite } from './crypto-suite.js';
import { runAsync, runSync, signatureValid, allOf } from './rule.js';

function request(ok: boolean) {
  const secret = sha256('test key');
  const message = new TextEncoder().encode('signed bytes');
  const signature = p256.sign(sha256(message), secret, { prehash: false }).toDERRawBytes();
  const signer = { publicKey: p256.getPublicKey(secret, false) } as unknown as Certificate;
  return { signer, message: ok ? message : new TextEncoder().encode('other bytes'), signature };
}

describe('the crypto seam of the verification core', () => {
  afterEach(() => useCryptoSuite(undefined));

  it('registers a sync suite only when it tells a good signature from a tampered one', () => {
    expect(() => useCryptoSuite({ name: 'yes-man', verify: () => true })).to.throw(TypeError, /yes-man/);
    expect(cryptoSuite()).to.equal(jsIntlSuite);
    const counted = {
      name: 'intl',
      verify: (r: Parameters<typeof jsIntlSuite.verify>[0]) => jsIntlSuite.verify(r),
    };
    useCryptoSuite(counted);
    expect(cryptoSuite()).to.equal(counted);
  });

  it('runs one rule with a sync and with an async suite to the same answers, batches in parallel', async () => {
    const rule = () => allOf([signatureValid(request(true)), signatureValid(request(false))]);
    expect(runSync(rule(), jsIntlSuite)).to.deep.equal([true, false]);
    let inFlight = 0;
    let most = 0;
    const asyncSuite: CryptoSuite<Promise<boolean>> = {
      name: 'intl',
      async verify(r) {
        most = Math.max(most, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 1));
        inFlight--;
        return jsIntlSuite.verify(r);
      },
    };
    expect(await runAsync(rule(), asyncSuite)).to.deep.equal([true, false]);
    expect(most).to.equal(2);
  });

  it('answers why, instead of true or false, when the suite is unavailable here', async () => {
    const none = { name: 'intl', unavailable: 'no WebCrypto', verify: () => Promise.resolve(true) };
    expect(await runAsync(signatureValid(request(true)), none)).to.equal('no WebCrypto');
  });
});

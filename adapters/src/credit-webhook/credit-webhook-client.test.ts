import { expect } from 'chai';
import { signCreditDelivery, verifyCreditSignature } from './credit-webhook-client';

const secret = 'shared-secret-0123456789';
const body = Buffer.from('{"deliveryId":"d-1"}');
const now = 1_741_750_000;

function check(headers: { timestamp?: string; signature?: string }, nowMs = now * 1000) {
  return verifyCreditSignature(secret, { timestamp: headers.timestamp, signature: headers.signature }, body, {
    nowMs,
    toleranceSeconds: 300,
  });
}

describe('credit webhook signatures (HMAC-SHA256 over timestamp.body)', () => {
  it('signs timestamp + "." + body', () => {
    // printf '1741750000.{"deliveryId":"d-1"}' | openssl dgst -sha256 -hmac shared-secret-0123456789
    expect(signCreditDelivery(secret, now, body)).to.match(/^sha256=[0-9a-f]{64}$/);
    expect(signCreditDelivery(secret, now, body)).not.to.equal(signCreditDelivery(secret, now + 1, body));
  });

  const good = signCreditDelivery(secret, now, body);
  const table: [string, { timestamp?: string; signature?: string }, number, string | undefined][] = [
    ['a valid signature', { timestamp: String(now), signature: good }, now, undefined],
    [
      'upper-case hex',
      { timestamp: String(now), signature: good.toUpperCase().replace('SHA256=', 'sha256=') },
      now,
      undefined,
    ],
    ['299 s old', { timestamp: String(now), signature: good }, now + 299, undefined],
    ['301 s old', { timestamp: String(now), signature: good }, now + 301, 'STALE_DELIVERY'],
    ['301 s in the future', { timestamp: String(now), signature: good }, now - 301, 'STALE_DELIVERY'],
    [
      'another timestamp than signed',
      { timestamp: String(now + 1), signature: good },
      now,
      'SIGNATURE_INVALID',
    ],
    ['no timestamp', { signature: good }, now, 'SIGNATURE_INVALID'],
    [
      'a timestamp in milliseconds text',
      { timestamp: '2025-03-12', signature: good },
      now,
      'SIGNATURE_INVALID',
    ],
    ['no signature', { timestamp: String(now) }, now, 'SIGNATURE_INVALID'],
    [
      'a signature without the sha256= prefix',
      { timestamp: String(now), signature: good.slice(7) },
      now,
      'SIGNATURE_INVALID',
    ],
    [
      'a truncated signature',
      { timestamp: String(now), signature: good.slice(0, -2) },
      now,
      'SIGNATURE_INVALID',
    ],
  ];
  for (const [name, headers, at, code] of table) {
    it(`${code === undefined ? 'accepts' : `refuses (${code})`} ${name}`, () => {
      const result = check(headers, at * 1000);
      expect(result.ok ? undefined : result.code).to.equal(code);
    });
  }
});

import { natsMsgId } from '@approval-ledger/protocol';
import { sampleEnvelope, sampleMilestone } from '@approval-ledger/protocol/testing';
import { expect } from 'chai';
import { decodeEnvelope, sourceKeyOf } from './envelope-decoder';

const record = sampleMilestone();
const envelope = sampleEnvelope(record, 'milestone');

const bytes = (value: unknown): Uint8Array =>
  new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));

describe('decodeEnvelope', () => {
  it('accepts a valid envelope on its own subject under its source key', () => {
    const decoded = decodeEnvelope('legacy.BJ.EE.milestone', bytes(envelope), natsMsgId(envelope.source));
    expect(decoded.ok).to.equal(true);
  });

  it('refuses bytes that are not JSON, naming the rule message.json and the origin from the subject', () => {
    const decoded = decodeEnvelope('legacy.TJ.HC.certificate', bytes('{"kind":'), undefined);
    expect(decoded).to.deep.include({
      ok: false,
      code: 'message.json',
      origin: { region: 'TJ', dept: 'HC', kind: 'certificate' },
    });
  });

  it('refuses text that is not UTF-8 (a GBK export published as is)', () => {
    const gbk = Uint8Array.from([0x7b, 0xb1, 0xb1, 0xbe, 0xa9, 0x7d]);
    expect(decodeEnvelope('legacy.BJ.EE.milestone', gbk, undefined)).to.include({
      ok: false,
      code: 'message.json',
    });
  });

  it('names the first broken schema rule and keeps the readable source', () => {
    const bad = {
      ...envelope,
      record: { ...record, applicant: { name: '某公司', uscc: '91110105MA01WJ3K7M' } },
    };
    const decoded = decodeEnvelope('legacy.BJ.EE.milestone', bytes(bad), undefined);
    expect(decoded).to.include({ ok: false, code: 'uscc.checksum' });
    if (!decoded.ok) expect(sourceKeyOf(decoded.origin)).to.equal('bj-eia:EIA-2025-0042:1');
  });

  it('refuses an envelope published on another region’s subject', () => {
    expect(decodeEnvelope('legacy.TJ.EE.milestone', bytes(envelope), undefined)).to.include({
      ok: false,
      code: 'envelope.subject',
    });
  });

  it('refuses a Nats-Msg-Id that is not the source key, but accepts a replay id', () => {
    expect(decodeEnvelope('legacy.BJ.EE.milestone', bytes(envelope), 'something-else')).to.include({
      ok: false,
      code: 'envelope.msgId',
    });
    expect(decodeEnvelope('legacy.BJ.EE.milestone', bytes(envelope), 'replay:17:1').ok).to.equal(true);
  });
});

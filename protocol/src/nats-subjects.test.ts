import { expect } from 'chai';
import {
  DLQ_CODES,
  DLQ_HEADERS,
  STREAMS,
  STREAM_NAMES,
  streamConfig,
  dlqSubject,
  envelopeSubject,
  legacySubject,
  natsMsgId,
  receiptSubject,
  recognitionSubject,
} from './nats-subjects.js';
import { recordIdOf } from './schemas/fields.js';

describe('NATS subjects', () => {
  it('publishes envelopes on legacy.<region>.<dept>.<kind>, revocations on the certificate subject', () => {
    expect(envelopeSubject({ region: 'BJ', dept: 'HC', kind: 'certificate' })).to.equal(
      'legacy.BJ.HC.certificate',
    );
    expect(envelopeSubject({ region: 'BJ', dept: 'HC', kind: 'certificate-revocation' })).to.equal(
      'legacy.BJ.HC.certificate',
    );
    expect(legacySubject('TJ', 'CREDIT', 'credit')).to.equal('legacy.TJ.CREDIT.credit');
    expect(legacySubject('HE', 'EE', 'milestone')).to.equal('legacy.HE.EE.milestone');
  });

  it('de-duplicates by system:recordId:version', () => {
    const source = { system: 'bj-eia', recordId: 'EIA-2025-0041', version: 2 };
    expect(natsMsgId(source)).to.equal('bj-eia:EIA-2025-0041:2');
    expect(recordIdOf(source)).to.equal(natsMsgId(source));
  });

  it('builds receipt, dead-letter and recognition subjects', () => {
    expect(receiptSubject('BJ', 'DRC')).to.equal('ledger.receipt.BJ.DRC');
    expect(dlqSubject('HE', 'FIRE')).to.equal('ledger.dlq.HE.FIRE');
    expect(recognitionSubject('TJ')).to.equal('ledger.recognition.TJ');
  });

  it('names the four streams and filters each subject into one of them', () => {
    expect(Object.keys(STREAMS)).to.deep.equal(['LEGACY', 'RECEIPTS', 'RECOGNITIONS', 'DLQ']);
    const covering = (subject: string): string[] =>
      Object.values(STREAMS)
        .filter((s) => s.subjects.some((f) => subject.startsWith(f.slice(0, -1))))
        .map((s) => s.name);
    expect(covering('legacy.BJ.HC.certificate')).to.deep.equal(['LEGACY']);
    expect(covering(receiptSubject('BJ', 'HC'))).to.deep.equal(['RECEIPTS']);
    expect(covering(recognitionSubject('BJ'))).to.deep.equal(['RECOGNITIONS']);
    expect(covering(dlqSubject('BJ', 'HC'))).to.deep.equal(['DLQ']);
  });

  it('gives every stream file storage and a de-duplication window, LEGACY 15 minutes', () => {
    expect(STREAM_NAMES).to.deep.equal(['LEGACY', 'RECEIPTS', 'RECOGNITIONS', 'DLQ']);
    expect(streamConfig('LEGACY')).to.deep.equal({
      name: 'LEGACY',
      subjects: ['legacy.>'],
      storage: 'file',
      duplicate_window: 15 * 60 * 1e9,
    });
    STREAM_NAMES.filter((n) => n !== 'LEGACY').forEach((name) =>
      expect(streamConfig(name)).to.include({ name, storage: 'file', duplicate_window: 10 * 60 * 1e9 }),
    );
    const config = streamConfig('DLQ');
    config.subjects.push('changed.>');
    expect(STREAMS.DLQ.subjects, 'a config is a copy').to.deep.equal(['ledger.dlq.>']);
  });

  it('names the dead-letter headers and codes once', () => {
    expect(Object.values(DLQ_HEADERS)).to.deep.equal([
      'Ledger-Dlq-Reason',
      'Ledger-Dlq-Code',
      'Ledger-Dlq-Subject',
      'Ledger-Dlq-Origin',
      'Ledger-Dlq-Source',
      'Ledger-Dlq-Stream-Seq',
      'Ledger-Dlq-Msg-Id',
      'Ledger-Dlq-Truncated',
      'Ledger-Dlq-Payload-Bytes',
      'Ledger-Dlq-Payload-Sha256',
    ]);
    Object.entries(DLQ_CODES).forEach(([key, value]) => expect(value).to.equal(key));
    expect(DLQ_CODES).to.include.keys('UNSAFE_XML', 'STALE_DELIVERY', 'CORRUPT_FILE', 'PUBLISH_REFUSED');
  });
});

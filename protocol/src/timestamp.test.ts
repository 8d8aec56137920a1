import { expect } from 'chai';
import { ProtocolValidationError } from './protocol-validation.error.js';
import {
  checkTimestamp,
  isValidTimestamp,
  legacyLocalToIso,
  parseLegacyDate,
  parseTimestamp,
} from './timestamp.js';

describe('timestamps', () => {
  describe('parseTimestamp', () => {
    it('accepts ISO 8601 with an offset and gives the instant', () => {
      const t = parseTimestamp('2025-03-06T16:30:00+08:00');
      expect(t).to.deep.equal({
        text: '2025-03-06T16:30:00+08:00',
        epochMs: Date.parse('2025-03-06T08:30:00Z'),
        offsetMinutes: 480,
      });
    });

    it('accepts Z, negative offsets and fractional seconds', () => {
      expect(parseTimestamp('2025-03-06T08:30:00Z').epochMs).to.equal(Date.parse('2025-03-06T08:30:00Z'));
      expect(parseTimestamp('2025-03-06T03:30:00-05:00').epochMs).to.equal(
        Date.parse('2025-03-06T08:30:00Z'),
      );
      expect(parseTimestamp('2025-03-06T08:30:00.250123Z').epochMs).to.equal(
        Date.parse('2025-03-06T08:30:00.250Z'),
      );
    });

    it('accepts 29 February in a leap year only', () => {
      expect(isValidTimestamp('2024-02-29T00:00:00+08:00')).to.be.true;
      expect(isValidTimestamp('2025-02-29T00:00:00+08:00')).to.be.false;
      expect(isValidTimestamp('1900-02-29T00:00:00+08:00')).to.be.false;
      expect(isValidTimestamp('2000-02-29T00:00:00+08:00')).to.be.true;
    });

    const refused: [string, string][] = [
      ['2025-03-06T16:30:00', 'timestamp.format'],
      ['2025-03-06 16:30:00+08:00', 'timestamp.format'],
      ['2025-03-06', 'timestamp.format'],
      ['2025-03-06T16:30+08:00', 'timestamp.format'],
      ['2025-13-40T00:00:00+08:00', 'timestamp.date'],
      ['2025-04-31T00:00:00+08:00', 'timestamp.date'],
      ['2025-03-06T24:00:00+08:00', 'timestamp.time'],
      ['2025-03-06T23:60:00+08:00', 'timestamp.time'],
      ['2025-03-06T16:30:00+24:00', 'timestamp.offset'],
    ];
    refused.forEach(([text, rule]) => {
      it(`refuses ${text} (${rule})`, () => {
        expect(checkTimestamp(text)).to.include({ ok: false, rule });
        expect(() => parseTimestamp(text)).to.throw(ProtocolValidationError, /timestamp: /);
      });
    });

    it('explains the expected form', () => {
      expect(() => parseTimestamp('2025-03-06T16:30:00')).to.throw(/expected YYYY-MM-DDTHH:MM:SS/);
      expect(() => parseTimestamp('2025-13-40T00:00:00+08:00')).to.throw(/2025-13-40 is not a calendar date/);
    });
  });

  describe('legacyLocalToIso', () => {
    const cases: [string, string][] = [
      ['2025-03-04 09:30:00', '2025-03-04T09:30:00+08:00'],
      ['2025-03-04', '2025-03-04T00:00:00+08:00'],
      ['2025-03-04T09:30:00', '2025-03-04T09:30:00+08:00'],
      ['2025-03-04 9:30', '2025-03-04T09:30:00+08:00'],
      ['2025-03-10 09:31:12.5', '2025-03-10T09:31:12.5+08:00'],
      ['2025年03月04日', '2025-03-04T00:00:00+08:00'],
      ['20250306', '2025-03-06T00:00:00+08:00'],
      ['2025/03/07 18:05:59', '2025-03-07T18:05:59+08:00'],
      [' 2025-03-04 09:30:00 ', '2025-03-04T09:30:00+08:00'],
    ];
    cases.forEach(([local, iso]) => {
      it(`reads Shanghai local time ${JSON.stringify(local)} as ${iso}`, () => {
        expect(legacyLocalToIso(local)).to.equal(iso);
        expect(isValidTimestamp(legacyLocalToIso(local))).to.be.true;
      });
    });

    it('keeps the same instant as Asia/Shanghai in the platform time-zone database', () => {
      const iso = legacyLocalToIso('2025-07-01 12:00:00');
      const shanghai = new Intl.DateTimeFormat('en-CA', {
        timeZone: 'Asia/Shanghai',
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
      }).format(new Date(parseTimestamp(iso).epochMs));
      expect(shanghai).to.equal('2025-07-01, 12:00');
    });

    const refused: [string, RegExp][] = [
      ['2025-03-04T09:30:00+08:00', /already carries a zone/],
      ['2025-03-04 09:30:00Z', /already carries a zone/],
      ['2025-02-30 10:00:00', /is not a calendar date/],
      ['2025-03-04 25:00:00', /no valid time of day/],
      ['yesterday', /is not a date/],
      ['2025-03-04 09:30:00 extra', /is not a local date or date-time/],
    ];
    refused.forEach(([local, message]) => {
      it(`refuses ${JSON.stringify(local)}`, () => {
        expect(() => legacyLocalToIso(local)).to.throw(ProtocolValidationError, message);
      });
    });
  });

  describe('parseLegacyDate', () => {
    const cases: [string, string][] = [
      ['2025年03月04日', '2025-03-04'],
      ['2025年3月4日', '2025-03-04'],
      ['2025-03-05', '2025-03-05'],
      ['20250306', '2025-03-06'],
      ['2025/03/07', '2025-03-07'],
      ['2025/3/7', '2025-03-07'],
    ];
    cases.forEach(([text, date]) => {
      it(`reads ${text} as ${date}`, () => expect(parseLegacyDate(text)).to.equal(date));
    });

    const refused: [string, string][] = [
      ['2025.03.04', 'date.format'],
      ['03/04/2025', 'date.format'],
      ['2025-3-4-1', 'date.format'],
      ['20251340', 'date.calendar'],
      ['2025年02月29日', 'date.calendar'],
      ['', 'date.format'],
    ];
    refused.forEach(([text, rule]) => {
      it(`refuses ${JSON.stringify(text)} (${rule})`, () => {
        try {
          parseLegacyDate(text);
          expect.fail('expected an error');
        } catch (error) {
          expect(error).to.be.instanceOf(ProtocolValidationError);
          expect((error as ProtocolValidationError).issues[0]?.rule).to.equal(rule);
        }
      });
    });
  });
});

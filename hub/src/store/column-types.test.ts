import { expect } from 'chai';
import { toDbTimestamp } from './column-types';

// toDbTimestamp keeps the text of the last millisecond it wrote: a repeat, a change and a return to an earlier
// millisecond must each give that date's own text.
describe('toDbTimestamp', () => {
  it("writes each date's UTC millisecond, repeated or not", () => {
    const dates = [
      '2025-03-06T08:30:00.123Z',
      '2025-03-06T08:30:00.123Z',
      '2025-03-06T08:30:00.124Z',
      '2025-03-06T08:30:00.123Z',
      '2024-12-31T23:59:59.999Z',
    ];
    for (const iso of dates) {
      expect(toDbTimestamp(new Date(iso))).to.equal(`${iso.slice(0, 10)} ${iso.slice(11, 23)}`);
    }
  });

  it('refuses an invalid date as before', () => {
    toDbTimestamp(new Date('2025-03-06T08:30:00.000Z'));
    expect(() => toDbTimestamp(new Date(Number.NaN))).to.throw(RangeError);
  });
});

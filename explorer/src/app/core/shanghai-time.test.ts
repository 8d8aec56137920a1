import { describe, expect, it } from 'vitest';
import {
  formatShanghaiDate,
  formatShanghaiTime,
  parseInstant,
  shanghaiIso,
  shanghaiLocalInputToIso,
} from './shanghai-time';

describe('times in Asia/Shanghai', () => {
  it('shows a UTC instant as Beijing wall-clock time, whatever the offset it was written with', () => {
    expect(formatShanghaiTime('2025-03-06T08:30:00Z', 'zh')).toBe('2025/03/06 16:30:00');
    expect(formatShanghaiTime('2025-03-06T16:30:00+08:00', 'zh')).toBe('2025/03/06 16:30:00');
    expect(formatShanghaiTime('2025-03-06T03:30:00-05:00', 'zh')).toBe('2025/03/06 16:30:00');
  });

  it('writes English dates day first, in the same zone', () => {
    expect(formatShanghaiTime('2025-03-06T08:30:00Z', 'en')).toBe('06/03/2025, 16:30:00');
    expect(formatShanghaiDate('2025-12-31T20:00:00Z', 'en')).toBe('01/01/2026');
  });

  it('crosses the date line at 16:00 UTC', () => {
    expect(formatShanghaiDate('2025-12-31T15:59:59Z', 'zh')).toBe('2025/12/31');
    expect(formatShanghaiDate('2025-12-31T16:00:00Z', 'zh')).toBe('2026/01/01');
  });

  it('reads ledger timestamps with nanoseconds', () => {
    expect(parseInstant('2025-03-06T08:30:00.123456789Z')).toBe(Date.parse('2025-03-06T08:30:00.123Z'));
    expect(formatShanghaiTime('2025-03-06T08:30:00.999999999Z', 'zh')).toBe('2025/03/06 16:30:00');
  });

  it('reads a bare date as that day in Shanghai', () => {
    expect(formatShanghaiDate('2026-06-30', 'zh')).toBe('2026/06/30');
  });

  it('leaves unreadable text as it is and empty values empty', () => {
    expect(formatShanghaiTime('not a time', 'zh')).toBe('not a time');
    expect(formatShanghaiTime(undefined, 'en')).toBe('');
    expect(formatShanghaiTime(null, 'en')).toBe('');
  });

  it('dates decisions with the +08:00 offset', () => {
    expect(shanghaiIso(Date.parse('2025-03-06T08:30:05.600Z'))).toBe('2025-03-06T16:30:05+08:00');
  });

  it('reads a datetime-local value as Shanghai time', () => {
    expect(shanghaiLocalInputToIso('2025-03-06T16:30')).toBe('2025-03-06T16:30:00+08:00');
    expect(shanghaiLocalInputToIso('2025-03-06T16:30:15')).toBe('2025-03-06T16:30:15+08:00');
    expect(shanghaiLocalInputToIso('')).toBeUndefined();
  });
});

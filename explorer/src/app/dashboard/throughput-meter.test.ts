import { describe, expect, it } from 'vitest';
import { ThroughputMeter } from './throughput-meter';

describe('ThroughputMeter', () => {
  it('knows no rate before the first event', () => {
    expect(new ThroughputMeter().perMinute(1000)).toBeUndefined();
  });

  it('reports events per minute over the last minute', () => {
    const meter = new ThroughputMeter();
    const t0 = 1_000_000;
    for (let s = 0; s < 120; s++) meter.record(5, t0 + s * 1000);
    expect(meter.perMinute(t0 + 119_000)).toBe(300);
  });

  it('scales the first seconds from the time watched, but not from less than ten seconds', () => {
    const meter = new ThroughputMeter();
    meter.record(10, 0);
    expect(meter.perMinute(1000)).toBe(60);
    meter.record(10, 20_000);
    expect(meter.perMinute(30_000)).toBe(40);
  });

  it('forgets events older than the window', () => {
    const meter = new ThroughputMeter();
    meter.record(100, 0);
    expect(meter.perMinute(61_000)).toBe(0);
  });
});

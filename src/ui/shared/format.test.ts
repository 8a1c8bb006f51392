import { describe, expect, it } from 'vitest';
import { formatBytes, formatCount, formatDuration, formatEndpoint, formatOffset, formatPercent, formatPlural, formatRtt } from './format.ts';

describe('formatBytes', () => {
  it('uses decimal units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1_600_000)).toBe('1.6 MB');
    expect(formatBytes(123_456_789)).toBe('123 MB');
    expect(formatBytes(-1)).toBe('–');
  });
});

describe('formatDuration', () => {
  it('picks a readable unit', () => {
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(0.00085)).toBe('850 µs');
    expect(formatDuration(0.0123)).toBe('12.3 ms');
    expect(formatDuration(4.2)).toBe('4.20 s');
    expect(formatDuration(42.25)).toBe('42.3 s');
    expect(formatDuration(185)).toBe('3 min 05 s');
    expect(formatDuration(7440)).toBe('2 h 04 min');
  });
});

describe('small formatters', () => {
  it('format offsets, counts, percents and endpoints', () => {
    expect(formatOffset(1.5)).toBe('1.500000');
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatPercent(0.834)).toBe('83%');
    expect(formatPlural(1, 'connection')).toBe('1 connection');
    expect(formatPlural(1200, 'packet')).toBe('1,200 packets');
    expect(formatEndpoint('10.0.0.1', 80)).toBe('10.0.0.1:80');
    expect(formatEndpoint('2001:db8::1', 443)).toBe('[2001:db8::1]:443');
  });
});

describe('formatRtt', () => {
  it('gives µs, ms or s, and nothing without a handshake', () => {
    expect(formatRtt(0.000085)).toBe('85 µs');
    expect(formatRtt(0.0123)).toBe('12.3 ms');
    expect(formatRtt(1.2)).toBe('1.20 s');
    expect(formatRtt(Number.NaN)).toBe('');
  });
});

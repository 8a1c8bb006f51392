import { describe, expect, it } from 'vitest';
import { formatAddress } from './packet.ts';

const v6 = (...groups: number[]) => {
  const words = new Uint32Array(4);
  for (let i = 0; i < 4; i++) words[i] = ((groups[2 * i]! << 16) | groups[2 * i + 1]!) >>> 0;
  return formatAddress(6, words);
};

describe('addresses as text (RFC 5952)', () => {
  it('writes IPv4 as a dotted quad', () => {
    expect(formatAddress(4, [0xc0a80001])).toBe('192.168.0.1');
  });
  it('compresses the longest run of zero groups, the first when tied, never a single group', () => {
    expect(v6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1)).toBe('2001:db8::1');
    expect(v6(0x2001, 0xdb8, 0, 1, 0, 0, 0, 1)).toBe('2001:db8:0:1::1');
    expect(v6(0x2001, 0, 0, 1, 0, 0, 1, 1)).toBe('2001::1:0:0:1:1');
    expect(v6(0x2001, 0xdb8, 0, 1, 1, 1, 1, 1)).toBe('2001:db8:0:1:1:1:1:1');
    expect(v6(0, 0, 0, 0, 0, 0, 0, 1)).toBe('::1');
    expect(v6(0, 0, 0, 0, 0, 0, 0, 0)).toBe('::');
    expect(v6(0xfe80, 0, 0, 0, 0x2e0, 0x81ff, 0xfe52, 0x9a6b)).toBe('fe80::2e0:81ff:fe52:9a6b');
  });
  it('keeps the dotted quad of IPv4-mapped addresses', () => {
    expect(v6(0, 0, 0, 0, 0, 0xffff, 0xc000, 0x0201)).toBe('::ffff:192.0.2.1');
  });
});

import { describe, expect, it } from 'vitest';
import { fromBase64Url, toBase64Url } from './base64url.ts';

describe('base64url', () => {
  it('base64url round-trips bytes without padding', () => {
    const bytes = Uint8Array.from({ length: 70000 }, (_, i) => (i * 37) & 0xff);
    const text = toBase64Url(bytes);
    expect(text).not.toMatch(/[+/=]/);
    expect(fromBase64Url(text)).toEqual(bytes);
  });
});

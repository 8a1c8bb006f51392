/**
 * Annotated hex for byte-exact tests: pairs of hex digits, any whitespace, and comments from `#` or
 * `//` to the end of the line.
 *
 *   fromHex(`
 *     45 00 00 28   # version 4, IHL 5, TOS 0, total length 40
 *   `)
 */
export function fromHex(text: string): Uint8Array {
  const digits = text.replace(/(#|\/\/).*$/gm, '').replace(/\s+/g, '');
  if (!/^([0-9a-fA-F]{2})*$/.test(digits)) throw new Error(`not hex: ${digits.slice(0, 40)}`);
  const out = new Uint8Array(digits.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(digits.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Lowercase hex, bytes separated by spaces (for readable failure messages). */
export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

export { utf8 } from '../../src/core/capture/bytes.ts';

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

/**
 * UTF-8 bytes of a string. Written out because the core's library settings have no `TextEncoder`
 * type (it exists at run time in Node and browsers alike).
 */
export function utf8(text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Uint8Array.from(out);
}

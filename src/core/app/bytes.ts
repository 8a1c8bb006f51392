/** Bounded byte helpers for the application parsers: every read checks `end`, nothing throws. */

export function startsWith(b: Uint8Array, o: number, end: number, text: string): boolean {
  if (o + text.length > end) return false;
  for (let i = 0; i < text.length; i++) if (b[o + i] !== text.charCodeAt(i)) return false;
  return true;
}

/** Index of the first CR or LF at or after `o` (or `end`). */
export function lineEnd(b: Uint8Array, o: number, end: number): number {
  for (let i = o; i < end; i++) if (b[i] === 0x0d || b[i] === 0x0a) return i;
  return end;
}

/** Printable ASCII of `b[o..end)`, other bytes as '.', at most `max` characters. */
export function ascii(b: Uint8Array, o: number, end: number, max = 120): string {
  const stop = Math.min(end, o + max);
  if (stop <= o) return '';
  let printable = true;
  for (let i = o; i < stop; i++) {
    const c = b[i]!;
    if (c < 0x20 || c >= 0x7f) {
      printable = false;
      break;
    }
  }
  // The common case in one call; a copy only when some byte must become '.'.
  if (printable) return String.fromCharCode.apply(null, b.subarray(o, stop) as unknown as number[]);
  const copy = b.slice(o, stop);
  for (let i = 0; i < copy.length; i++) if (copy[i]! < 0x20 || copy[i]! >= 0x7f) copy[i] = 0x2e;
  return String.fromCharCode.apply(null, copy as unknown as number[]);
}

/** The first line from `o`, printable characters only, at most `max`. */
export function firstLine(b: Uint8Array, o: number, end: number, max = 120): string {
  return ascii(b, o, lineEnd(b, o, end), max);
}

export function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= 0x30 && c <= 0x39;
}

/** Three ASCII digits at `o` as a number, or -1. */
export function threeDigits(b: Uint8Array, o: number, end: number): number {
  if (o + 3 > end || !isDigit(b[o]) || !isDigit(b[o + 1]) || !isDigit(b[o + 2])) return -1;
  return (b[o]! - 48) * 100 + (b[o + 1]! - 48) * 10 + (b[o + 2]! - 48);
}

export function u16(b: Uint8Array, o: number): number {
  return ((b[o] ?? 0) << 8) | (b[o + 1] ?? 0);
}

export function u24(b: Uint8Array, o: number): number {
  return ((b[o] ?? 0) << 16) | ((b[o + 1] ?? 0) << 8) | (b[o + 2] ?? 0);
}

/**
 * The Internet checksum (RFC 1071): the ones' complement of the ones' complement sum of 16-bit
 * big-endian words. Sums are kept unfolded in a float64 (exact up to 2^53), folded only at the end.
 */

/** Adds the 16-bit big-endian words of `bytes[start, end)` to `sum`; an odd last byte is padded with zero. */
export function sumWords(bytes: Uint8Array, start: number, end: number, sum = 0): number {
  let i = start;
  const even = end - ((end - start) & 1);
  for (; i < even; i += 2) sum += (bytes[i]! << 8) | bytes[i + 1]!;
  if (i < end) sum += bytes[i]! << 8;
  return sum;
}

/** Folds a running sum to 16 bits (end-around carry). */
export function foldSum(sum: number): number {
  while (sum > 0xffff) sum = (sum % 0x10000) + Math.floor(sum / 0x10000);
  return sum;
}

/** The checksum field value for a running sum: `~fold(sum) & 0xffff`. */
export function finishChecksum(sum: number): number {
  return ~foldSum(sum) & 0xffff;
}

/** Checksum of `bytes[start, end)` (e.g. an IPv4 header with its checksum field zeroed). */
export function internetChecksum(bytes: Uint8Array, start = 0, end = bytes.length): number {
  return finishChecksum(sumWords(bytes, start, end));
}

/**
 * Sum of the TCP pseudo-header: RFC 9293 §3.1 (IPv4: src, dst, zero, protocol 6, TCP length) and
 * RFC 8200 §8.1 (IPv6: src, dst, upper-layer length, next header 6).
 */
export function pseudoHeaderSum(src: Uint8Array, dst: Uint8Array, tcpLength: number): number {
  let sum = sumWords(src, 0, src.length) + sumWords(dst, 0, dst.length) + 6;
  sum += Math.floor(tcpLength / 0x10000) + (tcpLength & 0xffff);
  return sum;
}

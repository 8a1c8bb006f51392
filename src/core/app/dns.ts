/** DNS answers (RFC 1035 §4.1): which name an A or AAAA record gave which address. */
import { formatAddress } from '../decode/packet.ts';
import { u16 } from './bytes.ts';

export interface DnsAnswer {
  /** The question's name (what the client asked for, before any CNAME). */
  name: string;
  address: string;
}

/** The A/AAAA answers of a DNS response message `b[o..end)`; [] for anything else. Never throws. */
export function parseDnsAnswers(b: Uint8Array, o: number, end: number): DnsAnswer[] {
  if (end - o < 12 || !((b[o + 2] ?? 0) & 0x80)) return [];
  const qd = u16(b, o + 4);
  const an = u16(b, o + 6);
  if (qd !== 1 || an === 0) return [];
  const q = readName(b, o, o + 12, end);
  if (!q) return [];
  let p = q.next + 4; // type, class
  const out: DnsAnswer[] = [];
  const words = new Uint32Array(4);
  for (let i = 0; i < Math.min(an, 32) && p < end; i++) {
    const n = readName(b, o, p, end);
    if (!n || n.next + 10 > end) break;
    const type = u16(b, n.next);
    const len = u16(b, n.next + 8);
    const r = n.next + 10;
    if (r + len > end) break;
    if (type === 1 && len === 4) {
      words[0] = ((b[r]! << 24) | (b[r + 1]! << 16) | (b[r + 2]! << 8) | b[r + 3]!) >>> 0;
      out.push({ name: q.name, address: formatAddress(4, words) });
    } else if (type === 28 && len === 16) {
      for (let w = 0; w < 4; w++) words[w] = ((b[r + 4 * w]! << 24) | (b[r + 4 * w + 1]! << 16) | (b[r + 4 * w + 2]! << 8) | b[r + 4 * w + 3]!) >>> 0;
      out.push({ name: q.name, address: formatAddress(6, words) });
    }
    p = r + len;
  }
  return out;
}

/** A (possibly compressed) name at `p` of the message starting at `msg`; null when malformed. */
function readName(b: Uint8Array, msg: number, p: number, end: number): { name: string; next: number } | null {
  const labels: string[] = [];
  let next = -1;
  let length = 0;
  for (let guard = 0; guard < 128; guard++) {
    if (p >= end) return null;
    const len = b[p]!;
    if (len === 0) {
      if (next < 0) next = p + 1;
      return { name: labels.join('.') || '.', next };
    }
    if ((len & 0xc0) === 0xc0) {
      if (p + 2 > end) return null;
      if (next < 0) next = p + 2;
      p = msg + (((len & 0x3f) << 8) | b[p + 1]!);
      continue;
    }
    if (len > 63 || p + 1 + len > end) return null;
    length += len + 1;
    if (length > 255) return null;
    let label = '';
    for (let i = p + 1; i <= p + len; i++) {
      const c = b[i]!;
      label += c > 0x20 && c < 0x7f ? String.fromCharCode(c) : '?';
    }
    labels.push(label);
    p += 1 + len;
  }
  return null;
}

/**
 * IPv4 and IPv6 addresses and CIDR blocks as the filter compares them: an address is a list of
 * 16-bit words (2 for IPv4, 8 for IPv6), so one prefix test serves both. Text forms: RFC 4632 §3.1
 * (CIDR), RFC 4291 §2.2 (IPv6 text, `::` and an embedded dotted quad).
 */

/** An address or a CIDR block: its words and how many leading bits count. */
export interface AddressBlock {
  version: 4 | 6;
  words: Uint16Array;
  bits: number;
}

function parseIpv4Words(text: string): number[] | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const bytes: number[] = [];
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return null;
    const v = Number(p);
    if (v > 255) return null;
    bytes.push(v);
  }
  return [(bytes[0]! << 8) | bytes[1]!, (bytes[2]! << 8) | bytes[3]!];
}

function parseIpv6Words(text: string): number[] | null {
  if (text.length < 2 || !/^[0-9a-fA-F:.]+$/.test(text)) return null;
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const group = (s: string, last: boolean): number[] | null => {
    if (s === '') return [];
    const out: number[] = [];
    const parts = s.split(':');
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!;
      if (last && i === parts.length - 1 && p.includes('.')) {
        const v4 = parseIpv4Words(p);
        if (!v4) return null;
        out.push(...v4);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(p)) out.push(parseInt(p, 16));
      else return null;
    }
    return out;
  };
  if (halves.length === 1) {
    const words = group(halves[0]!, true);
    return words && words.length === 8 ? words : null;
  }
  const head = group(halves[0]!, false);
  const tail = group(halves[1]!, true);
  if (!head || !tail || head.length + tail.length > 7) return null;
  return [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
}

/** An address ("10.0.0.1", "2001:db8::1") or a block ("10.0.0.0/8", "fe80::/10"); null if neither. */
export function parseAddressBlock(text: string): AddressBlock | null {
  const slash = text.indexOf('/');
  const addr = slash < 0 ? text : text.slice(0, slash);
  const isV6 = addr.includes(':');
  const words = isV6 ? parseIpv6Words(addr) : parseIpv4Words(addr);
  if (!words) return null;
  const max = isV6 ? 128 : 32;
  let bits = max;
  if (slash >= 0) {
    const b = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(b) || Number(b) > max) return null;
    bits = Number(b);
  }
  return { version: isV6 ? 6 : 4, words: Uint16Array.from(words), bits };
}

/** Whether `addr` (a full address) lies in `block` (same version). */
export function inBlock(addr: AddressBlock, block: AddressBlock): boolean {
  if (addr.version !== block.version) return false;
  let bits = block.bits;
  for (let i = 0; bits > 0; i++, bits -= 16) {
    const mask = bits >= 16 ? 0xffff : (0xffff << (16 - bits)) & 0xffff;
    if ((addr.words[i]! & mask) !== (block.words[i]! & mask)) return false;
  }
  return true;
}

/** Order of two addresses of the same version, word by word (for `<`, `>` on addresses). */
export function compareAddresses(a: AddressBlock, b: AddressBlock): number {
  for (let i = 0; i < a.words.length; i++) {
    const d = a.words[i]! - b.words[i]!;
    if (d !== 0) return d;
  }
  return 0;
}

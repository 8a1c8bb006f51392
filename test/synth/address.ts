/** Parsing and formatting of the address literals the synthesizer accepts. */
import { formatAddress } from '../../src/core/decode/packet.ts';

/** Parses a dotted-quad IPv4 address or an IPv6 address (RFC 4291 §2.2, `::` and a trailing IPv4). */
export function parseIp(text: string): Uint8Array {
  if (!text.includes(':')) return parseIpv4(text);
  return parseIpv6(text);
}

function parseIpv4(text: string): Uint8Array {
  const parts = text.split('.');
  if (parts.length !== 4) throw new Error(`not an IPv4 address: ${text}`);
  const out = new Uint8Array(4);
  parts.forEach((p, i) => {
    const n = Number(p);
    if (!/^\d{1,3}$/.test(p) || n > 255) throw new Error(`not an IPv4 address: ${text}`);
    out[i] = n;
  });
  return out;
}

function parseIpv6(text: string): Uint8Array {
  const bad = (): never => {
    throw new Error(`not an IPv6 address: ${text}`);
  };
  const halves = text.split('::');
  if (halves.length > 2) bad();
  const groups = (s: string): number[] => {
    if (s === '') return [];
    const out: number[] = [];
    const items = s.split(':');
    items.forEach((g, i) => {
      if (g.includes('.') && i === items.length - 1) {
        const v4 = parseIpv4(g);
        out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(g)) bad();
        out.push(parseInt(g, 16));
      }
    });
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  const fill = 8 - head.length - tail.length;
  if (halves.length === 2 ? fill < 1 : fill !== 0) bad();
  const all = [...head, ...new Array<number>(halves.length === 2 ? fill : 0).fill(0), ...tail];
  const out = new Uint8Array(16);
  all.forEach((g, i) => {
    out[2 * i] = g >> 8;
    out[2 * i + 1] = g & 0xff;
  });
  return out;
}

/** Formats 4 or 16 address bytes the way the decoder does (IPv6 in RFC 5952 canonical form). */
export function formatIp(bytes: Uint8Array): string {
  const words: number[] = [];
  for (let i = 0; i < bytes.length; i += 4) words.push(((bytes[i]! << 24) | (bytes[i + 1]! << 16) | (bytes[i + 2]! << 8) | bytes[i + 3]!) >>> 0);
  return formatAddress(bytes.length === 4 ? 4 : 6, words);
}

export interface ParsedEndpoint {
  ip: Uint8Array;
  port: number;
}

/** Parses `10.0.0.1:80` or `[2001:db8::1]:443`. */
export function parseEndpoint(text: string): ParsedEndpoint {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(text) ?? /^([^:]+):(\d+)$/.exec(text);
  if (!m) throw new Error(`not an endpoint (want 10.0.0.1:80 or [2001:db8::1]:443): ${text}`);
  const port = Number(m[2]);
  if (port > 65535) throw new Error(`port out of range: ${text}`);
  return { ip: parseIp(m[1]!), port };
}

/** Parses `aa:bb:cc:dd:ee:ff` (or with dashes). */
export function parseMac(text: string): Uint8Array {
  const parts = text.split(/[:-]/);
  if (parts.length !== 6 || parts.some((p) => !/^[0-9a-fA-F]{2}$/.test(p))) {
    throw new Error(`not a MAC address: ${text}`);
  }
  return Uint8Array.from(parts, (p) => parseInt(p, 16));
}

/**
 * A locally administered unicast MAC derived from an IP address (02:00 + its last four bytes), so
 * every synthetic host has a stable, distinct link address.
 */
export function macForIp(ip: Uint8Array): Uint8Array {
  const n = ip.length;
  return Uint8Array.of(0x02, 0x00, ip[n - 4]!, ip[n - 3]!, ip[n - 2]!, ip[n - 1]!);
}

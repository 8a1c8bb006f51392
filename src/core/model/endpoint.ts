import type { Endpoint } from './types.ts';

/** An endpoint as people write it: "10.0.0.1:80", "[2001:db8::1]:443" (RFC 5952 §6 brackets). */
export function endpointText(e: Endpoint): string {
  return e.ip.includes(':') ? `[${e.ip}]:${e.port}` : `${e.ip}:${e.port}`;
}

/** Numeric for IPv4 (so 10.0.0.9 < 10.0.0.10); IPv6 after IPv4, then as text. */
export function compareIp(a: string, b: string): number {
  const pa = a.split('.');
  const pb = b.split('.');
  if (pa.length === 4 && pb.length === 4) {
    for (let i = 0; i < 4; i++) {
      const d = Number(pa[i]) - Number(pb[i]);
      if (d !== 0) return d;
    }
    return 0;
  }
  if (pa.length === 4) return -1;
  if (pb.length === 4) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

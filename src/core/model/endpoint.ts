import type { Endpoint } from './types.ts';

/** An endpoint as people write it: "10.0.0.1:80", "[2001:db8::1]:443" (RFC 5952 §6 brackets). */
export function endpointText(e: Endpoint): string {
  return e.ip.includes(':') ? `[${e.ip}]:${e.port}` : `${e.ip}:${e.port}`;
}

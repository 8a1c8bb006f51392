/** TLS records (RFC 8446 §5.1), ClientHello SNI (RFC 6066 §3) and ALPN (RFC 7301 §3.1), alerts (RFC 8446 §6). */
import { ascii, u16, u24 } from './bytes.ts';

export const RecordType = { changeCipherSpec: 20, alert: 21, handshake: 22, applicationData: 23 } as const;

/** Alert descriptions by code (RFC 8446 §6 and the IANA TLS Alerts registry). */
const ALERTS: Record<number, string> = {
  0: 'close_notify', 10: 'unexpected_message', 20: 'bad_record_mac', 21: 'decryption_failed', 22: 'record_overflow',
  30: 'decompression_failure', 40: 'handshake_failure', 41: 'no_certificate', 42: 'bad_certificate',
  43: 'unsupported_certificate', 44: 'certificate_revoked', 45: 'certificate_expired', 46: 'certificate_unknown',
  47: 'illegal_parameter', 48: 'unknown_ca', 49: 'access_denied', 50: 'decode_error', 51: 'decrypt_error',
  60: 'export_restriction', 70: 'protocol_version', 71: 'insufficient_security', 80: 'internal_error',
  86: 'inappropriate_fallback', 90: 'user_canceled', 100: 'no_renegotiation', 109: 'missing_extension',
  110: 'unsupported_extension', 111: 'certificate_unobtainable', 112: 'unrecognized_name',
  113: 'bad_certificate_status_response', 114: 'bad_certificate_hash_value', 115: 'unknown_psk_identity',
  116: 'certificate_required', 120: 'no_application_protocol',
};

export function alertName(code: number): string {
  return ALERTS[code] ?? `alert_${code}`;
}

/** A TLS record header at `o`: content type 20..23, version 3.x, length up to 2^14 + 2048. */
export function isRecordHeader(b: Uint8Array, o: number, end: number): boolean {
  if (o + 5 > end) return false;
  const type = b[o]!;
  return type >= 20 && type <= 23 && b[o + 1] === 3 && (b[o + 2] ?? 9) <= 4 && u16(b, o + 3) <= 18432;
}

export interface ClientHello {
  serverName: string | null;
  alpn: string[];
}

/**
 * The ClientHello in the handshake record at `o` (the record header included), or null when there is
 * none. What lies past `end` (a hello longer than the segment) is simply not read.
 */
export function parseClientHello(b: Uint8Array, o: number, end: number): ClientHello | null {
  if (!isRecordHeader(b, o, end) || b[o] !== RecordType.handshake || b[o + 5] !== 1) return null;
  const helloEnd = Math.min(end, o + 9 + u24(b, o + 6));
  let p = o + 9 + 2 + 32; // legacy_version, random
  if (p >= helloEnd) return { serverName: null, alpn: [] };
  p += 1 + (b[p] ?? 0); // session id
  if (p + 2 > helloEnd) return { serverName: null, alpn: [] };
  p += 2 + u16(b, p); // cipher suites
  if (p + 1 > helloEnd) return { serverName: null, alpn: [] };
  p += 1 + (b[p] ?? 0); // compression methods
  if (p + 2 > helloEnd) return { serverName: null, alpn: [] };
  const extEnd = Math.min(helloEnd, p + 2 + u16(b, p));
  p += 2;
  let serverName: string | null = null;
  const alpn: string[] = [];
  for (let guard = 0; guard < 64 && p + 4 <= extEnd; guard++) {
    const type = u16(b, p);
    const len = u16(b, p + 2);
    const q = p + 4;
    const e = Math.min(extEnd, q + len);
    if (type === 0 && q + 5 <= e && b[q + 2] === 0) {
      // server_name_list: list length, name type 0 (host_name), name length, name.
      const n = u16(b, q + 3);
      serverName = ascii(b, q + 5, Math.min(e, q + 5 + n), 253);
    } else if (type === 16 && q + 2 <= e) {
      for (let r = q + 2; r < e && alpn.length < 8; ) {
        const n = b[r]!;
        alpn.push(ascii(b, r + 1, Math.min(e, r + 1 + n), 40));
        r += 1 + n;
      }
    }
    p = q + len;
  }
  return { serverName, alpn };
}

/** Handshake message type at the start of a handshake record (1 ClientHello, 2 ServerHello...), or -1. */
export function handshakeType(b: Uint8Array, o: number, end: number): number {
  if (!isRecordHeader(b, o, end) || b[o] !== RecordType.handshake || o + 6 > end) return -1;
  return b[o + 5]!;
}

export interface RecordWalk {
  /** Offset of the byte after the last whole record in `b[o..end)`, or where the cut record starts. */
  next: number;
  /** True when the last record ends exactly at `end`. */
  complete: boolean;
  /** The last alert in clear (2-byte alert record) and whether an encrypted alert was seen. */
  alertLevel: number;
  alertCode: number;
  encryptedAlert: boolean;
}

/**
 * Walk the records from a record boundary at `o`: returns where the record after the last complete
 * one starts (possibly past `end`, for a record that continues in later segments). At most 256 records.
 */
export function walkRecords(b: Uint8Array, o: number, end: number, out: RecordWalk): boolean {
  out.alertLevel = -1;
  out.alertCode = -1;
  out.encryptedAlert = false;
  let p = o;
  for (let guard = 0; guard < 256 && p < end; guard++) {
    if (!isRecordHeader(b, p, end)) {
      if (p + 5 > end) break; // a header cut by the segment's end
      return false; // not a record boundary: alignment lost
    }
    const len = u16(b, p + 3);
    if (b[p] === RecordType.alert) {
      if (len === 2 && p + 7 <= end) {
        out.alertLevel = b[p + 5]!;
        out.alertCode = b[p + 6]!;
      } else if (len !== 2) out.encryptedAlert = true;
    }
    p += 5 + len;
  }
  out.next = p;
  out.complete = p === end;
  return true;
}

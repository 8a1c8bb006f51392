/** Greetings and replies of line protocols: SSH banner (RFC 4253 §4.2), SMTP/FTP codes (RFC 5321 §4.2, RFC 959 §4.2), POP3 (RFC 1939 §3), IMAP (RFC 9051 §7.1). */
import type { AppProtocol } from './types.ts';
import { firstLine, startsWith, threeDigits } from './bytes.ts';

export interface LineReply {
  protocol: AppProtocol;
  text: string;
  /** SMTP/FTP code; POP3 0 for +OK, 1 for -ERR; 0 otherwise. */
  code: number;
}

/** A server's greeting or reply line, or null. `port` tells SMTP from FTP when the text does not. */
export function parseServerLine(b: Uint8Array, o: number, end: number, port: number): LineReply | null {
  if (startsWith(b, o, end, 'SSH-')) return { protocol: 'ssh', text: firstLine(b, o, end), code: 0 };
  if (startsWith(b, o, end, '+OK') || startsWith(b, o, end, '-ERR')) {
    return { protocol: 'pop3', text: firstLine(b, o, end), code: b[o] === 0x2b ? 0 : 1 };
  }
  if (startsWith(b, o, end, '* OK') || startsWith(b, o, end, '* PREAUTH') || startsWith(b, o, end, '* BYE')) {
    return { protocol: 'imap', text: firstLine(b, o, end), code: 0 };
  }
  const code = threeDigits(b, o, end);
  const sep = b[o + 3];
  if (code >= 100 && code < 600 && (sep === 0x20 || sep === 0x2d || sep === 0x0d)) {
    const text = firstLine(b, o, end);
    const protocol: AppProtocol = /SMTP/i.test(text) ? 'smtp' : /FTP/i.test(text) ? 'ftp' : port === 21 ? 'ftp' : 'smtp';
    return { protocol, text, code };
  }
  return null;
}

/** A client's first line in a line protocol (an SSH banner), or null. */
export function parseClientLine(b: Uint8Array, o: number, end: number): LineReply | null {
  if (startsWith(b, o, end, 'SSH-')) return { protocol: 'ssh', text: firstLine(b, o, end), code: 0 };
  return null;
}

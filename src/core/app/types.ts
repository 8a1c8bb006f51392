/**
 * What the application said on a connection, read from the bytes already in the capture: a light,
 * bounded look at the first and last few payload segments of each direction, never a dissector.
 * The classifier reads these facts (a TLS alert or a protocol mismatch before a reset, an HTTP body
 * cut short, a close_notify); screens show the service name and the labels.
 */
import type { FrameNumber, Side } from '../model/primitives.ts';

export type AppProtocol = 'http' | 'tls' | 'ssh' | 'smtp' | 'ftp' | 'pop3' | 'imap';

/** A short text for one frame of the ladder: `GET /x`, `200 OK`, `ClientHello example.com`, `Alert: unknown_ca`. */
export interface AppLabel {
  frame: FrameNumber;
  from: Side;
  text: string;
}

export interface TlsAlert {
  frame: FrameNumber;
  from: Side;
  /** 'warning' (1) or 'fatal' (2); null when the alert was encrypted. */
  level: 'warning' | 'fatal' | null;
  /** RFC 8446 §6 name (`close_notify`, `unknown_ca`...), `alert_N` for an unknown one, null when encrypted. */
  description: string | null;
}

export interface AppFacts {
  /** HTTP: the first request and response. */
  httpRequest?: { frame: FrameNumber; method: string; target: string };
  httpStatus?: { frame: FrameNumber; code: number; reason: string };
  httpContentLength?: number;
  httpChunked?: boolean;
  /**
   * The first response's body reached its Content-Length (from sequence numbers) or its last chunk;
   * null when it cannot be told (no length, a response that has no body is `true`).
   */
  httpBodyComplete?: boolean | null;
  /** TLS: the ClientHello's server name and ALPN list, the ServerHello's frame. */
  tlsServerName?: string;
  tlsAlpn?: string[];
  tlsServerHello?: FrameNumber;
  /** The last alert seen (either side). */
  tlsAlert?: TlsAlert;
  /** The first close_notify (in clear) from each side. */
  closeNotify?: { frame: FrameNumber; from: Side }[];
  /** Per side: the last TLS record ended where that side's data ends (false: cut mid-record); absent when not followed. */
  tlsLastRecordComplete?: { client?: boolean; server?: boolean };
  /** SSH banner, SMTP/FTP/POP3/IMAP greeting: the first line and its reply code (0 when none). */
  greeting?: { frame: FrameNumber; from: Side; text: string; code: number };
  /** The last reply with a code from the server (SMTP/FTP 3-digit, POP3 +OK 0 / -ERR 1). */
  lastReply?: { frame: FrameNumber; text: string; code: number };
  /** Each side spoke a different protocol (e.g. an HTTP request to an SSH server). */
  protocolMismatch?: { client: AppProtocol; server: AppProtocol };
}

export interface AppContext {
  /** The protocol recognised (the server's when both sides were recognised). */
  protocol: AppProtocol;
  /** SNI, HTTP Host, or a name a DNS answer in the capture gave the server's address. */
  service: string | null;
  labels: AppLabel[];
  facts: AppFacts;
}

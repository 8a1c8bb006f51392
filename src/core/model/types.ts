/**
 * The shapes the analysis core hands to its callers (worker, command line, tests).
 *
 * Per-packet data lives in typed-array columns (see `PacketTable`), and so does the per-connection
 * state (`ConnectionTable`, src/core/tcp), which makes the `Connection` objects below on demand; a
 * reset's verdict is a small plain object. Absolute times are whole seconds since the epoch plus
 * nanoseconds (the report's `firstTime` writes the first frame's as a decimal string); every other
 * time is an offset from the first frame in float64 nanoseconds (exact for captures shorter than
 * 104 days).
 */

import type { AppContext } from '../app/types.ts';
import type { FrameNumber, Side } from './primitives.ts';

export type { FrameNumber, Side };

export type CaptureFormat = 'pcap' | 'pcapng';

export interface InterfaceInfo {
  /** LINKTYPE_* value (https://www.tcpdump.org/linktypes.html). */
  linkType: number;
  linkTypeName: string;
  snaplen: number;
  name?: string;
  description?: string;
  /** Timestamp units per second (pcapng if_tsresol; 1e6 or 1e9 for pcap). */
  tsUnitsPerSecond: number;
}

export interface Warning {
  frame?: FrameNumber;
  offset?: number;
  code: WarningCode;
  message: string;
}

export type WarningCode =
  | 'truncated'
  | 'bad-record'
  | 'bad-block'
  | 'resync'
  | 'unsupported-link'
  | 'unsupported-encapsulation'
  | 'malformed-packet'
  | 'bad-interface'
  | 'bad-gzip'
  | 'not-gzip'
  | 'trailing-bytes'
  | 'other-section-version'
  | 'shared-link';

/** Flag bits as in the TCP header's 12-bit flags field (RFC 9293 §3.1, RFC 3168, RFC 3540). */
export const TcpFlag = {
  FIN: 0x001,
  SYN: 0x002,
  RST: 0x004,
  PSH: 0x008,
  ACK: 0x010,
  URG: 0x020,
  ECE: 0x040,
  CWR: 0x080,
  AE: 0x100,
} as const;

/** Per-packet analysis marks, one bit each, as Wireshark's tcp.analysis.* flags. */
export const PacketMark = {
  retransmission: 0x01,
  keepalive: 0x02,
  zeroWindow: 0x04,
  dupAck: 0x08,
  /** Outside the receiver's window as the capture shows it (never from ACKs the capture lacks). */
  outOfWindow: 0x10,
  keepaliveAck: 0x20,
  /** Acknowledges bytes the capture does not hold (Wireshark's "ACKed segment that wasn't captured"). */
  ackedUnseen: 0x40,
  /** Starts beyond the sender's highest sequence so far (Wireshark's "previous segment not captured"). */
  lostSegment: 0x80,
} as const;


export interface Endpoint {
  ip: string;
  port: number;
}

/** What one direction of a connection did. */
export interface DirectionStats {
  packets: number;
  /** TCP payload bytes. */
  bytes: number;
  /** IP-level bytes (as Zeek's orig_ip_bytes). */
  ipBytes: number;
  /** Initial sequence number, from this side's SYN (null without one). */
  isn: number | null;
  /** Sequence number relative numbers count from: the ISN, or first seq seen minus one. */
  baseSeq: number | null;
  /** One past the highest sequence number this side has sent (SYN and FIN count one). */
  nextSeq: number | null;
  /** Highest acknowledgement this side has sent (raw). */
  highestAck: number | null;
  synFrame: FrameNumber | null;
  finFrame: FrameNumber | null;
  rstFrames: FrameNumber[];
  retransmissions: number;
  keepalives: number;
  zeroWindows: number;
  dupAcks: number;
  /** Minimum and maximum TTL / hop limit seen. */
  ttlMin: number;
  ttlMax: number;
  /** Window scale shift announced in the SYN (-1 when not announced or no SYN seen). */
  windowScale: number;
  mss: number;
  sackPermitted: boolean;
  timestamps: boolean;
}

export interface Connection {
  /** 0-based, in order of first frame; equals Wireshark's tcp.stream. */
  id: number;
  client: Endpoint;
  server: Endpoint;
  ipVersion: 4 | 6;
  firstFrame: FrameNumber;
  lastFrame: FrameNumber;
  /** Seconds since the capture's first frame. */
  start: number;
  end: number;
  packets: number;
  bytes: { client: number; server: number };
  /** Zeek's conn_state. */
  state: string;
  /** Zeek's history string. */
  history: string;
  resets: ResetVerdict[];
  /** Handshake split (seconds): SYN to SYN-ACK and SYN-ACK to ACK, as seen at the capture point. */
  handshake: { synToSynAck: number | null; synAckToAck: number | null };
  /** Largest silence between two packets of the connection, seconds. */
  maxIdle: number;
  /** Median gap between packets of the connection, seconds (its own rhythm). */
  medianGap: number;
  /** Per direction details. */
  dir: { client: DirectionStats; server: DirectionStats };
  /**
   * The last application reply line seen from each side, at most one per side: an HTTP status line
   * ("HTTP/1.1 500 ..."), an FTP/SMTP reply ("550 ..."), a POP3 "-ERR"/"+OK" (code 0 for +OK, 1 for -ERR).
   */
  appReplies: AppReply[];
  /** What the capture is missing of this connection. */
  completeness: Completeness;
  /** What the application said, when it was recognised (HTTP/1, TLS, SSH, SMTP, FTP, POP3, IMAP). */
  app?: AppContext;
}

/**
 * What the capture holds of a connection, so that nothing is inferred from what it cannot show: the
 * handshake or the close outside the capture, a direction absent or only partly there, segments not
 * captured, payloads cut by the snapshot length.
 */
export interface Completeness {
  /** No SYN from the client in the capture: it began after the connection was opened. */
  startedMidConnection: boolean;
  /** Neither a RST nor a FIN from each side: the capture ended before the connection closed. */
  endedBeforeClose: boolean;
  client: DirectionCompleteness;
  server: DirectionCompleteness;
}

export interface DirectionCompleteness {
  /**
   * `absent`: no packet of this side was captured. `partial`: the other side kept sending past every
   * window this side advertised in the capture, so this side's ACKs that opened it are missing
   * (asymmetric routing, a capture filter). `seen` otherwise.
   */
  presence: 'seen' | 'partial' | 'absent';
  /** Segments of this side that start past its highest sequence number so far, the bytes skipped, the first such frame. */
  gaps: number;
  gapBytes: number;
  firstGapFrame: FrameNumber | null;
  /** ACKs of this side acknowledging the other side's bytes the capture does not hold, and the first. */
  ackedUnseen: number;
  firstAckedUnseenFrame: FrameNumber | null;
  /** Segments of this side sent in sequence past the window its peer last advertised in the capture. */
  beyondPeerWindow: number;
  /** Segments whose payload the snapshot length cut, and the first. */
  snapCut: number;
  firstSnapCutFrame: FrameNumber | null;
}

export interface AppReply {
  frame: FrameNumber;
  from: Side;
  /** The protocol that matched: 'http' | 'ftp-smtp' | 'pop3'. */
  protocol: 'http' | 'ftp-smtp' | 'pop3';
  code: number;
  /** The first line, printable characters only, at most 120. */
  text: string;
}

export type Severity = 'normal' | 'problem' | 'suspicious';

export interface Evidence {
  frame?: FrameNumber;
  fact: string;
  /** What the fact states about its frame, in a form a test can check against the capture. */
  claim?: FrameClaim;
  /** For a fact about what is not there ("no SYN-ACK from ..."): what the connection must not hold. */
  absent?: AbsenceClaim;
}

/**
 * A fact's checkable claim about an absence: the verdict's connection holds no packet from `from`
 * that is not a RST and carries all of the `set` flags (any packet when none), before frame
 * `before` when given.
 */
export interface AbsenceClaim {
  from: Side;
  set?: number;
  before?: FrameNumber;
}

/**
 * A fact's checkable claim about its frame: the frame belongs to the verdict's connection (or to
 * one of its host finding's connections), was sent by `from`, and has the flags, payload and
 * sequence relation given.
 */
export interface FrameClaim {
  from: Side;
  /** TCP flag bits all set on the frame, and bits all clear. */
  set?: number;
  clear?: number;
  /** Payload length at least / at most. */
  minLen?: number;
  maxLen?: number;
  /** Its sequence number equals the acknowledgement number of that frame. */
  seqIsAckOf?: FrameNumber;
  /** Its acknowledgement number is that frame's sequence number + 1 (it acknowledges that SYN). */
  acksSynOf?: FrameNumber;
}

/**
 * The scenario ids of the catalogue (SCENARIOS.md): a contract of the JSON report, the URL, the UI
 * and the tests. The catalogue itself (classify/scenarios.ts) is keyed by exactly these.
 */
export type ScenarioId =
  | 'refused'
  | 'firewall-reject'
  | 'port-scan'
  | 'abort'
  | 'fast-close'
  | 'data-after-close'
  | 'stale'
  | 'unexpected'
  | 'idle-timeout'
  | 'retransmission-timeout'
  | 'rst-not-received'
  | 'injected'
  | 'out-of-window'
  | 'overload'
  | 'app-error'
  | 'unknown';

export type SeqValidity = 'exact' | 'in-window' | 'out-of-window' | 'unknown';

/** One RST frame and what the classifier made of it. */
export interface ResetVerdict {
  frame: FrameNumber;
  /** Seconds since the capture's first frame. */
  time: number;
  from: Side;
  /** Wireshark-style flag text, e.g. "RST, ACK". */
  flags: string;
  scenario: ScenarioId;
  severity: Severity;
  confidence: number;
  alternatives: { scenario: ScenarioId; confidence: number }[];
  evidence: Evidence[];
  explanation: string;
  nextSteps: readonly string[];
  reference: string;
  /** Ids of host findings this RST belongs to. */
  findings: string[];
  facts: ResetFacts;
  /**
   * Set on a RST that repeats the one before it exactly (a long run of identical resets): the frame
   * whose verdict it shares (its text, evidence and facts are that frame's).
   */
  repeatOf?: FrameNumber;
}

export interface ResetFacts {
  sender: Endpoint;
  receiver: Endpoint;
  /** Relative to the connection's ISNs (null when the ISN is unknown: then raw). */
  seq: number;
  ack: number | null;
  seqValidity: SeqValidity;
  ttl: number;
  /** TTL/hop limit range of the sender's other packets (null when none). */
  senderTtl: { min: number; max: number; packets: number } | null;
  ipId: number | null;
  sincePreviousPacket: number | null;
  sinceSendersPreviousPacket: number | null;
  payloadLength: number;
  /** Printable text carried in the RST's payload, if any. */
  payloadText?: string;
}

export interface Finding {
  id: string;
  kind: 'port-scan' | 'overload';
  host: string;
  /** Human summary. */
  title: string;
  frames: FrameNumber[];
  connections: number[];
  evidence: Evidence[];
}

export interface ReportSummary {
  resets: number;
  byScenario: Record<string, number>;
  bySeverity: Record<Severity, number>;
  verdict: string;
  /** Where the capture seems to have been taken, if it can be told. */
  capturePoint?: string;
}

/**
 * What the analysis says about the capture as a whole. The connections are not part of it: they
 * stay in the connection table (`AnalysisResult.connections`), made objects one at a time.
 */
export interface Report {
  file: { name: string; bytes: number; format: CaptureFormat; compressed: boolean };
  interfaces: InterfaceInfo[];
  packets: number;
  tcpPackets: number;
  /**
   * Absolute time of the first frame: seconds since the epoch, as a decimal string with 9 digits. For
   * a shared connection whose link gives it, the first frame of the capture it was shared from:
   * relative times count from there, as on the sender's page.
   */
  firstTime: string | null;
  duration: number;
  findings: Finding[];
  summary: ReportSummary;
  warnings: Warning[];
  /** Packets that could not be decoded down to TCP, by reason. */
  skipped: Record<string, number>;
  /**
   * Present only for a connection shared by a Resetscope link (pcapng, export/shared-link.ts): the
   * capture it comes from. Frame numbers are then that capture's, read from each packet's comment.
   */
  shared?: SharedOrigin;
}

/** The capture a shared connection comes from, as its link says. */
export interface SharedOrigin {
  file: string;
  /** `<12 hex of SHA-256 of the first MiB>.<size>`, when the sender knew it. */
  fingerprint: string | null;
  /** Frames of that capture. */
  frames: number;
  /** The connection's tcp.stream there. */
  stream: number;
  /** Resets whose verdict the link left out for length (the app shows those as read here). */
  omitted: number;
}

/** The document `npm run analyze -- FILE --json` prints: the report, then every connection. */
export type ReportDocument = Report & { connections: Connection[] };

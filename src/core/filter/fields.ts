/**
 * The fields the connection filter knows. The first group share their names and meaning with
 * Wireshark's display filters; the second are Resetscope's own (a connection's analysis).
 *
 * Scope: a `packet` field takes its value from one packet (the direction it travels, whether it is a
 * RST), so a connection matches an expression when any of its packets does, as tshark's
 * `-Y EXPR -T fields -e tcp.stream` selects streams. A `connection` field has the same value on every
 * packet of the connection.
 */
import { SCENARIO_IDS } from '../classify/scenarios.ts';
import { ANALYSIS_FLAGS_MASK, EXPERT_KINDS } from '../expert/expert.ts';
import { SERVICE_NAMES } from './services.ts';

export type FieldType = 'ipv4' | 'ipv6' | 'port' | 'uint' | 'bool' | 'seconds' | 'text' | 'protocol' | 'flag';

export interface FieldDef {
  name: string;
  type: FieldType;
  scope: 'packet' | 'connection';
  /** One line for completion and the README. */
  description: string;
  /** For text fields with a closed set of values (checked when parsing, offered by completion). */
  values?: readonly string[];
  /** Values compare case-insensitively (and are stored in their canonical case). */
  caseless?: boolean;
  /** Shared with Wireshark's display filters. */
  wireshark: boolean;
  /**
   * For a `flag` field (Wireshark's FT_NONE: present or not, never compared): the expert kinds that
   * set it, as bits of a direction's expert mask (expert.ts, `expertMasks`).
   */
  expertBits?: number;
}

/** Zeek's conn_state values. */
export const CONN_STATES = ['S0', 'S1', 'SF', 'REJ', 'S2', 'S3', 'RSTO', 'RSTR', 'RSTOS0', 'RSTRH', 'SH', 'SHR', 'OTH'] as const;

export const SEVERITIES = ['normal', 'problem', 'suspicious'] as const;

const f = (name: string, type: FieldType, scope: FieldDef['scope'], description: string, extra: Partial<FieldDef> = {}): FieldDef => ({
  name,
  type,
  scope,
  description,
  wireshark: !/^(rst|conn)\./.test(name),
  ...extra,
});

/** The mask bits of a kind; Wireshark's retransmission field is set on fast and spurious ones too (packet-tcp.c). */
function bitsOf(kind: string): number {
  const kinds = kind === 'retransmission' ? ['retransmission', 'fast-retransmission', 'spurious-retransmission'] : [kind];
  return kinds.reduce((m, k) => m | (1 << EXPERT_KINDS.findIndex((d) => d.id === k)), 0);
}

/**
 * Wireshark's `tcp.analysis.*` fields for the kinds the expert list computes, present on a packet of
 * that kind (a bare field keeps the connections with at least one); `tcp.analysis.flags` on a packet
 * of any of them. Wireshark also sets `tcp.analysis.flags` on window updates, keep-alive ACKs,
 * zero-window probes and reused ports, which the expert list does not compute (README, filter fields).
 */
const ANALYSIS_FIELDS: FieldDef[] = [
  ...EXPERT_KINDS.flatMap((k): FieldDef[] =>
    k.field?.startsWith('tcp.analysis.')
      ? [{ name: k.field, type: 'flag', scope: 'packet', description: `a packet marked "${k.title}"`, wireshark: true, expertBits: bitsOf(k.id) }]
      : [],
  ),
  { name: 'tcp.analysis.flags', type: 'flag', scope: 'packet', description: 'a packet with any tcp.analysis mark (retransmission, duplicate ACK, zero window, ...)', wireshark: true, expertBits: ANALYSIS_FLAGS_MASK },
];

/** The expert list's kind ids, the values of `conn.expert`. */
export const EXPERT_KIND_IDS: readonly string[] = EXPERT_KINDS.map((k) => k.id);

export const FIELDS: readonly FieldDef[] = [
  f('tcp', 'protocol', 'connection', 'every TCP connection'),
  f('ip', 'protocol', 'connection', 'connections over IPv4'),
  f('ipv6', 'protocol', 'connection', 'connections over IPv6'),
  f('ip.addr', 'ipv4', 'connection', 'either IPv4 address (client or server); CIDR blocks allowed'),
  f('ip.src', 'ipv4', 'packet', 'IPv4 source address of a packet of the connection'),
  f('ip.dst', 'ipv4', 'packet', 'IPv4 destination address of a packet of the connection'),
  f('ipv6.addr', 'ipv6', 'connection', 'either IPv6 address; CIDR blocks allowed'),
  f('ipv6.src', 'ipv6', 'packet', 'IPv6 source address of a packet of the connection'),
  f('ipv6.dst', 'ipv6', 'packet', 'IPv6 destination address of a packet of the connection'),
  f('tcp.port', 'port', 'connection', 'either port'),
  f('tcp.srcport', 'port', 'packet', 'source port of a packet of the connection'),
  f('tcp.dstport', 'port', 'packet', 'destination port of a packet of the connection'),
  f('tcp.stream', 'uint', 'connection', "the connection's number, as Wireshark's stream index"),
  f('tcp.flags.reset', 'bool', 'packet', 'a packet of the connection with (1) or without (0) the RST flag'),
  ...ANALYSIS_FIELDS,
  f('rst.scenario', 'text', 'connection', "a reset's scenario", { values: SCENARIO_IDS, caseless: true }),
  f('rst.severity', 'text', 'connection', "a reset's severity", { values: SEVERITIES, caseless: true }),
  f('rst.count', 'uint', 'connection', 'how many resets the connection has'),
  f('conn.state', 'text', 'connection', "Zeek's conn_state", { values: CONN_STATES, caseless: true }),
  f('conn.history', 'text', 'connection', "Zeek's history string (case matters: S is the client's SYN, s the server's)"),
  f('conn.bytes', 'uint', 'connection', 'TCP payload bytes, both directions'),
  f('conn.packets', 'uint', 'connection', 'packets, both directions'),
  f('conn.duration', 'seconds', 'connection', 'seconds from the first to the last packet'),
  f('conn.rtt', 'seconds', 'connection', "the handshake's round trip, SYN to the ACK that completes it (seconds)"),
  f('conn.expert', 'text', 'connection', "the kinds of the connection's expert items (retransmission, duplicate-ack, out-of-window, ...)", {
    values: EXPERT_KIND_IDS,
    caseless: true,
  }),
  f('conn.name', 'text', 'connection', "the server's name the capture shows: TLS SNI, HTTP Host or a DNS answer"),
  f('conn.service', 'text', 'connection', "the service of the server's port (IANA name, e.g. http, ssh)", { values: SERVICE_NAMES, caseless: true }),
];

const BY_NAME = new Map(FIELDS.map((d) => [d.name, d]));

export function fieldNamed(name: string): FieldDef | undefined {
  return BY_NAME.get(name);
}

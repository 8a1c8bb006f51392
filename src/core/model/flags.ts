import { TcpFlag } from './types.ts';

/** TCP flag names in the order Wireshark prints them (RFC 9293 §3.1, RFC 3168, RFC 9768 for AE). */
const FLAG_ORDER: readonly (readonly [number, string])[] = [
  [TcpFlag.FIN, 'FIN'],
  [TcpFlag.SYN, 'SYN'],
  [TcpFlag.RST, 'RST'],
  [TcpFlag.PSH, 'PSH'],
  [TcpFlag.ACK, 'ACK'],
  [TcpFlag.URG, 'URG'],
  [TcpFlag.ECE, 'ECE'],
  [TcpFlag.CWR, 'CWR'],
  [TcpFlag.AE, 'AE'],
];

/** The names of the flags set: 0x012 -> ["SYN", "ACK"]; the three reserved bits as "Reserved". */
export function flagNames(flags: number): string[] {
  const names = FLAG_ORDER.filter(([bit]) => (flags & bit) !== 0).map(([, name]) => name);
  if (flags & 0xe00) names.push('Reserved');
  return names;
}

/** flagText's answers by flag bits (12 bits: at most 4096), filled as they are asked for. */
const JOINED: (string | undefined)[] = [];

/**
 * Wireshark's flag text: "SYN, ACK", "FIN, PSH, ACK", "RST, ACK"; `none` when no flag is set
 * ("none" in packet details, "" in verdict text, "<None>" on the ladder).
 */
export function flagText(flags: number, none = 'none'): string {
  const bits = flags & 0xfff;
  return bits === 0 ? none : (JOINED[bits] ??= flagNames(bits).join(', '));
}

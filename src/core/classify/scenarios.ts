/**
 * The scenario catalogue of shared/SCENARIOS.md as one `as const` table: the ids are a contract
 * (JSON report, URL, UI, tests), so they are spelled here once and nowhere else.
 *
 * Sources, cited by title in what users read:
 * - WildPackets, "Understanding TCP Resets" (Tip of the Month, May 2000) — three scenarios.
 * - "What are TCP Resets? Are they necessarily a problem?" — normal server resets, cases one to three.
 * - "Packet Capture – TCP Flags" — when RST, ACK is captured, and more examples.
 * - RFC 9293 (TCP) and RFC 5961 (blind reset defence).
 */
import type { ScenarioId, Severity } from '../model/types.ts';

export type { ScenarioId } from '../model/types.ts';

export interface ScenarioInfo {
  severity: Severity;
  /** Where the sources document it, cited by title (the catalogue's third column). */
  documented: string;
  /** What to check next. */
  nextSteps: readonly string[];
  /** Noun phrase for the summary sentence: singular and plural. */
  noun: readonly [string, string];
}

export const SCENARIOS = {
  refused: {
    severity: 'problem',
    documented: 'WildPackets, "Understanding TCP Resets" (2000), scenario 1; "What are TCP Resets?", case one; "Packet Capture – TCP Flags": refusal of connection, port closed',
    nextSteps: ['Is the service running and listening on that port and address?', 'Does it listen on the right interface (0.0.0.0 / :: rather than 127.0.0.1)?'],
    noun: ['refused connection', 'refused connections'],
  },
  'firewall-reject': {
    severity: 'problem',
    documented: '"What are TCP Resets?", case one ("usually a firewall"); "Packet Capture – TCP Flags": firewall or security device intervention',
    nextSteps: ['Check firewall and security-group rules between the two hosts for this port.', 'Compare with a capture taken next to the server: does the SYN reach it at all?'],
    noun: ['connection rejected by a device in the path', 'connections rejected by a device in the path'],
  },
  'port-scan': {
    severity: 'suspicious',
    documented: 'WildPackets, "Understanding TCP Resets" (2000), note on scenario 1 (hundreds of resets: port scanning)',
    nextSteps: ['Find out who runs the scanning host and whether the scan is authorised.', 'Check which probed ports answered (SYN-ACK): those services are exposed.'],
    noun: ['reset answering a port scan', 'resets answering a port scan'],
  },
  abort: {
    severity: 'problem',
    documented: 'WildPackets, "Understanding TCP Resets" (2000), scenario 2 (abortive release); "Packet Capture – TCP Flags": application closed or crashed, application error',
    nextSteps: ["Read the RST sender's application logs at that time: crash, abort, timeout, close with unread data.", 'Check whether the peer saw an error (connection reset by peer) and retried.'],
    noun: ['aborted connection', 'aborted connections'],
  },
  'fast-close': {
    severity: 'normal',
    documented: '"What are TCP Resets?" (resets after a complete exchange are normal server behaviour)',
    nextSteps: ['Nothing, unless the peer reports truncated responses.'],
    noun: ['normal fast close', 'normal fast closes'],
  },
  'data-after-close': {
    severity: 'problem',
    documented: '"What are TCP Resets?", case two (FTP LIST after FIN); "Packet Capture – TCP Flags": unexpected data',
    nextSteps: ["Check the protocol's close sequence: one side closed while the other still had a reply to send.", 'Make the closing side wait for the reply (or half-close with shutdown) before close().'],
    noun: ['reset of data sent after a close', 'resets of data sent after a close'],
  },
  stale: {
    severity: 'problem',
    documented: 'WildPackets, "Understanding TCP Resets" (2000), scenario 3 (timed-out or rebooted host, a "half" session); RFC 9293 §3.10.7.1',
    nextSteps: ['Check uptime and restarts of the RST sender, and failovers in front of it.', 'Check the idle timers of the application on both sides.'],
    noun: ['reset of a connection its host had forgotten', 'resets of connections their host had forgotten'],
  },
  unexpected: {
    severity: 'suspicious',
    documented: '"Packet Capture – TCP Flags": a packet was received that was not expected; RFC 9293 §3.10.7.3',
    nextSteps: ['Look for spoofed traffic (backscatter) or asymmetric routing.', 'If the capture began mid-stream, capture from before the connection opened.'],
    noun: ['reset answering an unexpected segment', 'resets answering unexpected segments'],
  },
  'idle-timeout': {
    severity: 'problem',
    documented: '"Packet Capture – TCP Flags": keepalive timeout',
    nextSteps: ['Compare the silence with the idle timeouts of the application, load balancer, NAT and firewall.', 'Enable TCP or application keepalives shorter than the smallest idle timeout on the path.'],
    noun: ['reset after an idle timeout', 'resets after an idle timeout'],
  },
  'retransmission-timeout': {
    severity: 'problem',
    documented: '"Packet Capture – TCP Flags": network issues (latency, jitter, packet loss)',
    nextSteps: ['Look for packet loss or a dead path between the hosts (interface errors, MTU black holes, routing).', 'Capture on the other side too: did the retransmitted segments arrive?'],
    noun: ['reset after unanswered retransmissions', 'resets after unanswered retransmissions'],
  },
  'rst-not-received': {
    severity: 'problem',
    documented: '"What are TCP Resets?", case three (resets every few µs while the server keeps sending)',
    nextSteps: ['Look for loss between the capture point and the peer: the resets never arrived.', 'The capture was taken on the RST sender\'s side: capture at the peer to confirm.'],
    noun: ['reset the peer never received', 'resets the peer never received'],
  },
  injected: {
    severity: 'suspicious',
    documented: '"Packet Capture – TCP Flags": firewall or security device intervention, security software on the PC',
    nextSteps: ['Look for an IPS, firewall, proxy or endpoint security product that forges resets on this path.', 'Compare with a capture at the claimed sender: did it send this RST?'],
    noun: ['reset probably injected by a middlebox', 'resets probably injected by a middlebox'],
  },
  'out-of-window': {
    severity: 'suspicious',
    documented: '"Packet Capture – TCP Flags": desynchronisation; RFC 5961 (blind reset attacks)',
    nextSteps: ['Look for blind reset attempts (spoofed RSTs guessing sequence numbers).', 'Check middleboxes that rewrite sequence numbers (some firewalls randomise ISNs).'],
    noun: ['reset outside the receiver\'s window', 'resets outside the receiver\'s window'],
  },
  overload: {
    severity: 'problem',
    documented: '"Packet Capture – TCP Flags": resource constraints, resource exhaustion',
    nextSteps: ["Check the server's load, listen backlog (somaxconn), accept rate and connection limits.", 'Check memory and file-descriptor limits of the server process.'],
    noun: ['reset by an overloaded server', 'resets by an overloaded server'],
  },
  'app-error': {
    severity: 'problem',
    documented: '"Packet Capture – TCP Flags": application layer error',
    nextSteps: ['Look at the error itself: the request that caused it and the server\'s logs.'],
    noun: ['reset right after an application error', 'resets right after an application error'],
  },
  unknown: {
    severity: 'problem',
    documented: 'none of the documented scenarios fits',
    nextSteps: ['Look at the facts shown: who sent it, when, after what.', 'Capture from before the connection opened, on both sides if possible.'],
    noun: ['reset that fits no known scenario', 'resets that fit no known scenario'],
  },
} as const satisfies Record<ScenarioId, ScenarioInfo>;

export const SCENARIO_IDS = Object.keys(SCENARIOS) as ScenarioId[];

/**
 * Where a scenario is documented, by the sources' titles, and its entry in the project's catalogue
 * (docs/scenarios.md, one section per id), built once per scenario (every verdict carries one).
 */
const REFERENCES = new Map(SCENARIO_IDS.map((id) => [id, `${SCENARIOS[id].documented} — the reset scenario catalogue: ${id}`]));

export function referenceFor(id: ScenarioId): string {
  return REFERENCES.get(id)!;
}

/**
 * What the rules take from the application's context (src/core/app) and from the capture's
 * completeness (the tracker's `Completeness`): each question answered with the frames that show it,
 * so a rule that uses one can cite them.
 */
import type { AppContext } from '../../app/types.ts';
import { isFromClient } from '../../model/packet-table.ts';
import { TcpFlag, type Completeness, type Evidence, type Side } from '../../model/types.ts';
import { endpointText } from '../format.ts';
import type { Pkt, ResetContext } from '../reset-context.ts';
import { claim, dataClaim, oneText } from './common.ts';

/** The application refused the conversation before the RST: a fatal TLS alert, or a protocol mismatch. */
export interface AppRefusal {
  kind: 'alert' | 'mismatch';
  /** The alert's or the server's greeting's frame, and who sent it. */
  frame: number;
  from: Side;
  /** Short words for the explanation: `a TLS alert "unknown_ca"`, `an SSH greeting`. */
  what: string;
  evidence: Evidence[];
}

const PROTOCOL_NAMES: Record<string, string> = { http: 'HTTP', tls: 'TLS', ssh: 'SSH', smtp: 'SMTP', ftp: 'FTP', pop3: 'POP3', imap: 'IMAP' };

function protocolName(p: string): string {
  return PROTOCOL_NAMES[p] ?? p.toUpperCase();
}

/** A fatal TLS alert (either side) or a protocol mismatch seen before the RST, with the frames that show it. */
export function appRefusal(x: ResetContext): AppRefusal | null {
  const app = x.app;
  if (!app) return null;
  const f = app.facts;
  const alert = f.tlsAlert;
  if (alert && alert.level === 'fatal' && alert.frame < x.rst.frame) {
    const who = alert.from === 'server' ? x.conn.server : x.conn.client;
    const name = alert.description ?? 'unknown';
    return {
      kind: 'alert',
      frame: alert.frame,
      from: alert.from,
      what: `a fatal TLS alert "${name}" from the ${alert.from}`,
      evidence: [{ frame: alert.frame, fact: `fatal TLS alert "${name}" from the ${alert.from} ${endpointText(who)}: it refused the TLS session`, claim: dataClaim(alert.from) }],
    };
  }
  const mm = f.protocolMismatch;
  if (mm) {
    const server = app.labels.find((l) => l.from === 'server' && l.frame < x.rst.frame);
    const client = app.labels.find((l) => l.from === 'client' && l.frame < x.rst.frame);
    if (!server || !client) return null;
    return {
      kind: 'mismatch',
      frame: server.frame,
      from: 'server',
      what: `a protocol mismatch (the client spoke ${protocolName(mm.client)}, the server ${protocolName(mm.server)})`,
      evidence: [
        { frame: client.frame, fact: `the client ${endpointText(x.conn.client)} spoke ${protocolName(mm.client)}: "${client.text}"`, claim: dataClaim('client') },
        { frame: server.frame, fact: `the server ${endpointText(x.conn.server)} speaks ${protocolName(mm.server)}: "${server.text}"; the two do not understand each other`, claim: dataClaim('server') },
      ],
    };
  }
  return null;
}

/** The application's message was cut short at the RST: an HTTP body short of its length, a TLS record cut mid-way. */
export function cutShort(x: ResetContext): Evidence | null {
  const app = x.app;
  if (!app) return null;
  const f = app.facts;
  if (f.httpBodyComplete === false && f.httpStatus && f.httpStatus.frame < x.rst.frame) {
    const announced = f.httpChunked ? 'a chunked body, and its last chunk never came' : f.httpContentLength !== undefined ? `a body of ${f.httpContentLength} bytes (Content-Length), and fewer arrived` : 'a body that never completed';
    return { frame: f.httpStatus.frame, fact: `the HTTP response "${f.httpStatus.code} ${f.httpStatus.reason}" announced ${announced}: the reset cut it short`, claim: dataClaim('server') };
  }
  const rec = f.tlsLastRecordComplete;
  const comp = x.completeness;
  for (const [side, run] of [
    [x.side, x.me],
    [x.peerSide, x.peer],
  ] as const) {
    // A payload cut by the snapshot length hides the record's end: nothing said then. Nor after
    // that side's FIN: it had finished sending (and a repeated FIN can make its data end look off by one).
    if (rec?.[side] === false && run.lastData && run.lastData.frame < x.rst.frame && !run.finFrame && (!comp || comp[side].snapCut === 0)) {
      return { frame: run.lastData.frame, fact: `the ${side}'s last TLS record was cut mid-way: the reset came in the middle of a message`, claim: dataClaim(side) };
    }
  }
  return null;
}

/** The application said its exchange was complete before the RST: the HTTP body reached its end, or TLS sent close_notify. */
export function appComplete(x: ResetContext): Evidence | null {
  const app = x.app;
  if (!app) return null;
  const f = app.facts;
  const bye = f.closeNotify?.find((c) => c.frame < x.rst.frame);
  if (bye) return { frame: bye.frame, fact: `close_notify from the ${bye.from}: TLS said goodbye, the session ended cleanly`, claim: dataClaim(bye.from) };
  if (f.httpBodyComplete === true && f.httpStatus && f.httpStatus.frame < x.rst.frame && f.httpStatus.code < 400) {
    return { frame: f.httpStatus.frame, fact: oneText(`the HTTP response "${f.httpStatus.code} ${f.httpStatus.reason}" was complete (its body reached its end)`), claim: dataClaim('server') };
  }
  return null;
}

/** Largest TLS alert record sent as a goodbye (5-byte header, 2 bytes of alert, a cipher's overhead). */
const MAX_GOODBYE_LEN = 128;

/**
 * The data `d` the peer sent after the RST sender's FIN is only TLS's goodbye: an alert record
 * (close_notify, or an encrypted alert, which after a FIN is the close_notify) in a segment of its own.
 */
export function goodbyeOnly(x: ResetContext, d: Pkt): Evidence | null {
  const alert = x.app?.facts.tlsAlert;
  if (!alert || alert.from !== x.peerSide || alert.frame !== d.frame || d.len > MAX_GOODBYE_LEN) return null;
  if (alert.description !== null && alert.description !== 'close_notify') return null;
  // Nothing else from the peer after the sender's FIN (its rows between the FIN and the alert).
  const cols = x.shared.cols;
  const from = x.shared.result.connStart[x.conn.id]!;
  const peerIsClient = x.peerSide === 'client';
  for (let row = d.row - 1; row >= from && cols.frame[row]! > x.me.finFrame; row--) {
    if (cols.payloadLen[row]! > 0 && isFromClient(cols, row) === peerIsClient) return null;
  }
  const what = alert.description === null ? 'an encrypted TLS alert (after a FIN, the close_notify)' : 'a TLS close_notify';
  return { frame: d.frame, fact: `the only data after the close was ${what} from ${endpointText(x.receiver)}: the protocol's goodbye, nothing was lost`, claim: claim(x.peerSide, { minLen: d.len, maxLen: d.len }) };
}

/** The client's ClientHello or request that the RST came right after (no server data since), or null. */
export function rightAfterRequest(x: ResetContext): Evidence | null {
  const app = x.app;
  if (!app || x.side !== 'server') return null;
  const p = x.prevPeer;
  if (!p || p.len === 0 || (x.me.lastData && x.me.lastData.frame > p.frame)) return null;
  const label = app.labels.find((l) => l.from === 'client' && l.frame === p.frame && (l.text.startsWith('ClientHello') || l.frame === app.facts.httpRequest?.frame));
  if (!label) return null;
  return { frame: p.frame, fact: `the reset came right after the client's "${label.text}", before any answer from the server: where a filtering middlebox reads the name or the request and cuts the connection`, claim: dataClaim('client') };
}

/** The ACKs of `side` can be seen in the capture (the direction is there, not only partly). */
export function acksVisible(x: ResetContext, side: Side): boolean {
  return !x.completeness || x.completeness[side].presence === 'seen';
}

/**
 * Whether `acker`'s acknowledgements of the other side's data can be judged: its direction is all
 * there, none of its ACKs covers bytes the capture lacks, and the other side's data has no gap.
 */
export function acksKnown(x: ResetContext, acker: Side): boolean {
  const c = x.completeness;
  if (!c) return true;
  const other = acker === 'client' ? 'server' : 'client';
  return c[acker].presence === 'seen' && c[acker].ackedUnseen === 0 && c[other].gaps === 0;
}

/**
 * What the capture is missing of a connection, as short phrases (empty when it holds it all).
 * Payloads cut by the snapshot length are not among them: the TCP headers are whole, so no TCP-level
 * reading depends on them (a shared link without payloads must give the same verdicts); the rules
 * that read payloads (`cutShort`) check `snapCut` themselves.
 * `midStream` false leaves out a missing handshake (for a verdict whose story it is part of).
 */
export function missingPhrases(c: Completeness | undefined, midStream = true): string[] {
  if (!c) return [];
  const out: string[] = [];
  if (c.startedMidConnection && midStream) out.push('the capture began after the connection was opened, without its handshake');
  for (const side of ['client', 'server'] as const) {
    const d = c[side];
    if (d.presence === 'absent') out.push(`no packet of the ${side} was captured`);
    else if (d.presence === 'partial') out.push(`most of the ${side}'s ACKs are not in the capture`);
    if (d.gaps > 0) out.push(`${d.gaps} stretch${d.gaps === 1 ? '' : 'es'} of the ${side}'s data (${d.gapBytes} bytes) not captured`);
    if (d.ackedUnseen > 0) out.push(`the ${side} acknowledged data the capture does not hold`);
  }
  return out;
}

/** The frames that show what the capture is missing, marked as Wireshark marks them. */
export function missingEvidence(c: Completeness | undefined): Evidence[] {
  if (!c) return [];
  const e: Evidence[] = [];
  for (const side of ['client', 'server'] as const) {
    const d = c[side];
    if (d.firstGapFrame) e.push({ frame: d.firstGapFrame, fact: `previous segment not captured: ${d.gapBytes} bytes of the ${side}'s data are missing from the capture (${d.gaps} gap${d.gaps === 1 ? '' : 's'})`, claim: claim(side) });
    if (d.firstAckedUnseenFrame) e.push({ frame: d.firstAckedUnseenFrame, fact: `ACKed segment that wasn't captured: the ${side} acknowledges bytes the capture does not hold`, claim: claim(side, { set: TcpFlag.ACK }) });
  }
  return e;
}

export type { AppContext };

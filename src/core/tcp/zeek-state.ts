import { TcpFlag } from '../model/types.ts';

/**
 * Zeek's TCP endpoint states and its conn_state summary (base/protocols/conn/main.zeek, documented in
 * Zeek's conn.log reference), so our `state` column reads like the conn.log people already know.
 */
export const EndpointState = {
  Inactive: 0,
  SynSent: 1,
  SynAckSent: 2,
  Partial: 3,
  Established: 4,
  Closed: 5,
  Reset: 6,
} as const;
export type EndpointState = (typeof EndpointState)[keyof typeof EndpointState];

const { FIN, SYN, RST, ACK } = TcpFlag;

/** Endpoint states held in a column; `e` and `peer` index it. */
type States = { [i: number]: number };

/** Advance both endpoints' states (`states[e]`, `states[peer]`) for one segment sent by `e` to `peer`. */
export function updateEndpoints(states: States, e: number, peer: number, flags: number, len: number): void {
  const S = EndpointState;
  switch (states[e]) {
    case S.Inactive:
      if (flags & SYN) {
        if (flags & ACK) {
          states[e] = S.SynAckSent;
          if (states[peer] === S.SynSent) states[peer] = S.Established;
        } else {
          states[e] = S.SynSent;
        }
      } else if (flags & (FIN | RST)) {
        // handled below
      } else if (len > 0 || flags & ACK) {
        states[e] = states[peer] === S.SynAckSent || states[peer] === S.Established ? S.Established : S.Partial;
      }
      break;
    case S.SynSent:
    case S.SynAckSent:
      if (flags & ACK && !(flags & SYN) && !(flags & (FIN | RST))) {
        if (states[peer] !== S.Inactive && states[peer] !== S.Partial) {
          states[e] = S.Established;
          if (states[peer] === S.SynAckSent || states[peer] === S.SynSent) states[peer] = S.Established;
        } else if (len > 0) {
          states[e] = S.Partial;
        }
      }
      break;
    default:
      break;
  }
  // Zeek keeps an endpoint that already closed with FIN in the closed state when it then resets.
  if (flags & RST) {
    if (states[e] !== S.Closed) states[e] = S.Reset;
  } else if (flags & FIN && states[e] !== S.Reset) states[e] = S.Closed;
}

/** Zeek's conn_state from the two endpoint states (originator first). */
export function conversationState(os: EndpointState, rs: EndpointState, origBytes: number, respBytes: number, history: string): string {
  const S = EndpointState;
  const oInactive = os === S.Inactive || os === S.Partial;
  const rInactive = rs === S.Inactive || rs === S.Partial;
  if (rs === S.Reset) {
    if (os === S.SynSent || os === S.SynAckSent || (os === S.Reset && origBytes === 0 && respBytes === 0)) return 'REJ';
    return oInactive ? 'RSTRH' : 'RSTR';
  }
  if (os === S.Reset) {
    if (rInactive) return /^\^?S[^HAFGIQ]*R/.test(history) ? 'RSTOS0' : 'OTH';
    return 'RSTO';
  }
  if (rs === S.Closed && os === S.Closed) return 'SF';
  if (os === S.Closed) return rInactive ? 'SH' : 'S2';
  if (rs === S.Closed) return oInactive ? 'SHR' : 'S3';
  if (os === S.SynSent && rs === S.Inactive) return 'S0';
  if (os === S.Established && rs === S.Established) return 'S1';
  return 'OTH';
}

/** The bit of each history letter (`historyLetter`). */
export const LETTER = { S: 1, H: 2, A: 4, D: 8, F: 16, R: 32, T: 64, W: 128 } as const;
const LETTER_BITS: Record<string, number> = LETTER;

/** A bit per history letter, to record most letters once per direction. */
export function historyLetter(upper: string): number {
  return LETTER_BITS[upper] ?? 0;
}

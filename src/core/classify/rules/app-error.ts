/**
 * `app-error` — seed 002 "Application Layer Error" (an error at the application layer, e.g. HTTP or
 * FTP, makes the application reset the connection); SCENARIOS.md `app-error`.
 * The RST comes right after an error reply (HTTP status >= 400, FTP/SMTP 4xx/5xx, POP3 -ERR) on the
 * connection, with no new request after it; or right after the application refused the conversation
 * in its own protocol: a fatal TLS alert, or a protocol mismatch (the server greeted in one
 * protocol, the client spoke another), from the application context.
 */
import type { AppReply } from '../../model/types.ts';
import { durationText, endpointText } from '../format.ts';
import { appRefusal } from './app-facts.ts';
import { clamp, dataClaim, rstClaim, rstFact, type Rule } from './common.ts';

export function isErrorReply(r: AppReply): boolean {
  return r.protocol === 'pop3' ? r.code === 1 : r.code >= 400 && r.code < 600;
}

export const appError: Rule = {
  id: 'app-error',
  match(x) {
    const reply = x.conn.appReplies.find((r) => r.from === 'server' && r.frame < x.rst.frame);
    if (!reply || !isErrorReply(reply)) return refusalMatch(x);
    const clientRun = x.side === 'client' ? x.me : x.peer;
    if (clientRun.lastData && clientRun.lastData.frame > reply.frame) return null;
    const fromReplier = x.side === 'server';
    return {
      confidence: clamp(fromReplier ? 0.85 : 0.7),
      evidence: () => [
        { frame: reply.frame, fact: `error reply from the server ${endpointText(x.conn.server)}: "${reply.text}"`, claim: dataClaim('server') },
        { fact: 'no new request from the client after it' },
        { frame: x.rst.frame, fact: `${rstFact(x)} ${durationText(x.rst.timeNs - replyTime(x, reply.frame))} after the error`, claim: rstClaim(x) },
      ],
    };
  },
  explain(x) {
    const refusal = appRefusal(x);
    const replied = x.conn.appReplies.find((r) => r.from === 'server' && r.frame < x.rst.frame);
    if (refusal && !(replied && isErrorReply(replied))) {
      const tail = refusal.kind === 'mismatch' ? 'the client is talking to the wrong service or port' : 'the real problem is what the alert names (a certificate, a protocol version, a cipher)';
      return `The ${x.side} ${endpointText(x.sender)} reset the connection with ${endpointText(x.receiver)} right after ${refusal.what}. The reset is a consequence: ${tail}.`;
    }
    const reply = x.conn.appReplies.find((r) => r.from === 'server');
    const text = reply ? `"${reply.text}"` : 'an error';
    return x.side === 'server'
      ? `The server ${endpointText(x.sender)} answered ${endpointText(x.receiver)} with ${text} and then reset the connection instead of closing it. The reset is a consequence: the real problem is the error the application reported.`
      : `The client ${endpointText(x.sender)} got ${text} from ${endpointText(x.receiver)} and then reset the connection. The reset is a consequence: the real problem is the error the server reported.`;
  },
};

/** A fatal TLS alert or a protocol mismatch before the RST, with no new data from the client after it. */
function refusalMatch(x: Parameters<Rule['match']>[0]): ReturnType<Rule['match']> {
  const refusal = appRefusal(x);
  if (!refusal) return null;
  const clientRun = x.side === 'client' ? x.me : x.peer;
  if (refusal.from === 'server' && refusal.kind === 'alert' && clientRun.lastData && clientRun.lastData.frame > refusal.frame) return null;
  // The side that refused resets: the usual end; the other side resetting after it is a reaction.
  const fromRefuser = x.side === refusal.from;
  return {
    confidence: clamp(fromRefuser ? 0.85 : 0.75),
    evidence: () => [
      ...refusal.evidence,
      { frame: x.rst.frame, fact: `${rstFact(x)} ${sinceText(x, refusal.frame)}after it`, claim: rstClaim(x) },
    ],
  };
}

/** "12 ms " when the frame is one of the last data segments the context holds, else nothing. */
function sinceText(x: Parameters<Rule['match']>[0], frame: number): string {
  const t = replyTime(x, frame);
  return t === x.rst.timeNs ? '' : `${durationText(x.rst.timeNs - t)} `;
}

function replyTime(x: { rst: { timeNs: number }; me: { lastData: { frame: number; timeNs: number } | null }; peer: { lastData: { frame: number; timeNs: number } | null } }, frame: number): number {
  for (const d of [x.me.lastData, x.peer.lastData]) if (d && d.frame === frame) return d.timeNs;
  return x.rst.timeNs;
}

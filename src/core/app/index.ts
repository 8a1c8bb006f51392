/**
 * Application context (what the application said on a connection): the types the classifier and
 * the screens read from `Connection.app`, and the pure parsers, for tests and tools.
 */
export type { AppContext, AppFacts, AppLabel, AppProtocol, TlsAlert } from './types.ts';
export { parseDnsAnswers, type DnsAnswer } from './dns.ts';
export { hasNoBody, parseHttpRequest, parseHttpResponse, type HttpRequest, type HttpResponse } from './http.ts';
export { parseServerLine, type LineReply } from './lines.ts';
export { alertName, parseClientHello, type ClientHello } from './tls.ts';

import type { AppContext } from './types.ts';

/** True when the server refused the conversation at the application level before `frame`: a fatal TLS alert, an error status or reply, or a protocol mismatch. */
export function appRefusedBefore(app: AppContext | undefined, frame: number): boolean {
  if (!app) return false;
  const f = app.facts;
  if (f.protocolMismatch) return true;
  if (f.tlsAlert && f.tlsAlert.frame < frame && f.tlsAlert.level === 'fatal') return true;
  if (f.httpStatus && f.httpStatus.frame < frame && f.httpStatus.code >= 400) return true;
  if (f.lastReply && f.lastReply.frame < frame && (f.lastReply.code >= 400 || (app.protocol === 'pop3' && f.lastReply.code === 1))) return true;
  return false;
}

/** True when the application's own idea of complete was reached: the HTTP body ended, or TLS said close_notify. */
export function appCompleted(app: AppContext | undefined): boolean {
  if (!app) return false;
  return app.facts.httpBodyComplete === true || (app.facts.closeNotify?.length ?? 0) > 0;
}

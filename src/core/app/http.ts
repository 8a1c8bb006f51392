/** HTTP/1.x request and status lines and the headers that tell a body's length (RFC 9112 §3, §4, §6). */
import { ascii, firstLine, isDigit, lineEnd, startsWith, threeDigits } from './bytes.ts';

const METHODS = ['GET', 'POST', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'CONNECT', 'PATCH', 'TRACE'];
/** Header bytes looked at, at most. */
const MAX_HEAD = 4096;

export interface HttpRequest {
  method: string;
  target: string;
  host: string | null;
}

export interface HttpResponse {
  code: number;
  reason: string;
  /** Bytes from the start of the payload to the end of the header block (its blank line), -1 when not in these bytes. */
  headerLength: number;
  contentLength: number | null;
  chunked: boolean;
}

/** `GET /x HTTP/1.1` and its Host header, or null when the bytes do not start an HTTP/1 request. */
export function parseHttpRequest(b: Uint8Array, o: number, end: number): HttpRequest | null {
  const method = METHODS.find((m) => startsWith(b, o, end, m) && b[o + m.length] === 0x20);
  if (!method) return null;
  const le = lineEnd(b, o, Math.min(end, o + MAX_HEAD));
  const line = ascii(b, o, le, 300);
  const parts = line.split(' ');
  if (parts.length < 3 || !parts[parts.length - 1]!.startsWith('HTTP/1.')) return null;
  const target = parts.slice(1, -1).join(' ');
  return { method, target: target.slice(0, 200), host: header(b, le, Math.min(end, o + MAX_HEAD), 'host') };
}

/** `HTTP/1.1 200 OK` and the length headers, or null when the bytes do not start an HTTP/1 response. */
export function parseHttpResponse(b: Uint8Array, o: number, end: number): HttpResponse | null {
  if (!startsWith(b, o, end, 'HTTP/1.') || !isDigit(b[o + 7]) || b[o + 8] !== 0x20) return null;
  const code = threeDigits(b, o + 9, end);
  if (code < 100) return null;
  const stop = Math.min(end, o + MAX_HEAD);
  const le = lineEnd(b, o, stop);
  const reason = ascii(b, o + 13, le, 80);
  const cl = header(b, le, stop, 'content-length');
  const te = header(b, le, stop, 'transfer-encoding');
  const n = cl !== null && /^\d{1,15}$/.test(cl) ? Number(cl) : null;
  return { code, reason, headerLength: headerEnd(b, o, stop), contentLength: n, chunked: te !== null && /chunked/i.test(te) };
}

/** A response with this status to this method has no body (RFC 9110 §6.4.1). */
export function hasNoBody(code: number, method: string | null): boolean {
  return method === 'HEAD' || (code >= 100 && code < 200) || code === 204 || code === 304;
}

/** Offset past the blank line that ends the header block, relative to `o`; -1 when not within `end`. */
function headerEnd(b: Uint8Array, o: number, end: number): number {
  for (let i = o; i + 3 < end; i++) {
    if (b[i] === 0x0d && b[i + 1] === 0x0a && b[i + 2] === 0x0d && b[i + 3] === 0x0a) return i + 4 - o;
  }
  return -1;
}

/** The value of header `name` (lower case) among the lines after `from`, up to the blank line. */
function header(b: Uint8Array, from: number, end: number, name: string): string | null {
  let p = from;
  for (let guard = 0; guard < 100 && p < end; guard++) {
    // Step over the line break.
    if (b[p] === 0x0d) p++;
    if (b[p] === 0x0a) p++;
    const le = lineEnd(b, p, end);
    if (le === p) return null; // blank line: end of headers
    if (le - p > name.length && b[p + name.length] === 0x3a && sameLower(b, p, name)) {
      return firstLine(b, p + name.length + 1, le, 200).trim();
    }
    p = le;
  }
  return null;
}

function sameLower(b: Uint8Array, o: number, lower: string): boolean {
  for (let i = 0; i < lower.length; i++) if (((b[o + i] ?? 0) | 0x20) !== lower.charCodeAt(i)) return false;
  return true;
}

/** True when `b[o..end)` ends with the last chunk of a chunked body (`0\r\n\r\n`, RFC 9112 §7.1). */
export function endsWithLastChunk(b: Uint8Array, o: number, end: number): boolean {
  if (end - o < 5) return false;
  return b[end - 5] === 0x30 && b[end - 4] === 0x0d && b[end - 3] === 0x0a && b[end - 2] === 0x0d && b[end - 1] === 0x0a &&
    (end - o === 5 || b[end - 6] === 0x0a);
}

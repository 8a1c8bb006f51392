/**
 * Gathers each connection's application context while the tracker sees its packets: the first
 * `FIRST_SEGMENTS` payload segments of each direction are parsed whole (request and status lines,
 * hellos, greetings); after that only connections already recognised as TLS or HTTP look at each
 * segment, and only at record headers or a segment's last bytes (alerts, the last record, the last
 * chunk). Nothing is kept per packet; per connection a small record, only for those recognised.
 */
import type { Side } from '../model/types.ts';
import { firstLine, startsWith } from './bytes.ts';
import { parseDnsAnswers } from './dns.ts';
import { endsWithLastChunk, hasNoBody, parseHttpRequest, parseHttpResponse } from './http.ts';
import { parseClientLine, parseServerLine } from './lines.ts';
import { alertName, handshakeType, isRecordHeader, parseClientHello, walkRecords, type RecordWalk } from './tls.ts';
import { ContextSealer, type SealedContexts } from './sealed.ts';
import type { AppContext, AppFacts, AppLabel, AppProtocol } from './types.ts';

/** Payload segments of each direction parsed whole. */
export const FIRST_SEGMENTS = 4;
/** Labels kept per connection (the first messages and the last alerts). */
const MAX_LABELS = 8;
/** Addresses named by DNS answers kept, at most. */
const MAX_DNS_NAMES = 65536;
const LABEL_CHARS = 60;

interface DirState {
  /** Payload segments seen. */
  segments: number;
  /** Protocol of the first payload segment (null: not recognised). */
  first: AppProtocol | null;
  /** Raw sequence number where the next TLS record starts; -1 when not followed. */
  recordNext: number;
  /** One past the last payload byte seen (raw), -1 before any. */
  dataEnd: number;
  /** HTTP chunked response: raw end of the last segment that ended with the last chunk, -1 none. */
  lastChunkEnd: number;
}

interface AppRecord {
  dirs: [DirState, DirState];
  labels: AppLabel[];
  facts: AppFacts;
  host: string | null;
  method: string | null;
  /** Raw sequence number where the first response's body starts (-1: unknown). */
  bodyStart: number;
  tls: boolean;
}

const scratch: RecordWalk = { next: 0, complete: false, alertLevel: -1, alertCode: -1, encryptedAlert: false };

export class AppCollector {
  /** By connection id (an array: one look-up per payload segment is on the hot path). */
  private records: (AppRecord | undefined)[] = [];
  /** 1 for connections given up on (nothing recognised in their first segments), by id. */
  private ignored = new Uint8Array(1024);
  /** Each connection's context once the capture is read (see `seal`). */
  private sealed: SealedContexts | null = null;
  /** Address -> name, from DNS answers in the capture. */
  readonly dnsNames = new Map<string, string>();

  /**
   * False once `segment` has stopped looking at connection `id`. Asked first on the hot path, so a
   * segment of such a connection costs no call (whose sequence number, past 2^31, would be boxed).
   */
  follows(id: number): boolean {
    return this.ignored[id] !== 1;
  }

  /** One payload segment of connection `id`: `b[o .. o+captured)` of `length` bytes, at raw `seq`. */
  segment(id: number, fromClient: boolean, b: Uint8Array, o: number, captured: number, length: number, seq: number, frame: number, serverPort: number): void {
    if (this.ignored[id] === 1) return;
    let r = this.records[id];
    const k = fromClient ? 0 : 1;
    const end = o + captured;
    if (!r) {
      r = newRecord();
      // Filled up to id, never with a hole far past its end: a sparse array turns into a dictionary.
      while (this.records.length < id) this.records.push(undefined);
      this.records[id] = r;
    }
    const d = r.dirs[k];
    d.segments++;
    const segEnd = (seq + length) >>> 0;
    if (d.dataEnd < 0 || seqAfter(segEnd, d.dataEnd)) d.dataEnd = segEnd;
    const from: Side = fromClient ? 'client' : 'server';
    if (d.segments <= FIRST_SEGMENTS && mayStartMessage(b[o]!)) this.parseWhole(r, d, from, b, o, end, seq, frame, serverPort);
    if (r.tls) this.followRecords(r, d, from, b, o, end, captured === length, seq, frame);
    if (!fromClient && r.facts.httpChunked) {
      if (captured === length && endsWithLastChunk(b, o, end)) d.lastChunkEnd = segEnd;
    }
    // Nothing recognised in either side's first segments: stop looking at this connection.
    if (!r.tls && r.labels.length === 0 && r.dirs[0].segments + r.dirs[1].segments >= FIRST_SEGMENTS) {
      this.records[id] = undefined;
      if (id >= this.ignored.length) {
        const bigger = new Uint8Array(Math.max(2 * this.ignored.length, id + 1));
        bigger.set(this.ignored);
        this.ignored = bigger;
      }
      this.ignored[id] = 1;
    }
  }

  /** A DNS message carried over UDP (RFC 1035 §4.2.1): remember which name each answered address has. */
  dns(b: Uint8Array, o: number, end: number): void {
    for (const a of parseDnsAnswers(b, o, end)) {
      if (this.dnsNames.size >= MAX_DNS_NAMES && !this.dnsNames.has(a.address)) continue;
      this.dnsNames.set(a.address, a.name);
    }
  }

  /**
   * The capture is read: each connection's context is made once (`contextOf` gives it from the
   * tracker's final sequence numbers) and kept as numbers and shared strings (sealed.ts), and the
   * reading state goes. An object per connection costs several times what it holds.
   */
  seal(contextOf: (id: number) => AppContext | null): void {
    const n = this.records.length;
    const sealer = new ContextSealer(n);
    for (let id = 0; id < n; id++) {
      if (!this.records[id]) continue;
      const ctx = contextOf(id);
      if (ctx) sealer.add(id, ctx);
    }
    this.records = [];
    this.sealed = sealer.finish();
    this.ignored = new Uint8Array(0);
  }

  /** Connection `id`'s service name (SNI, Host or DNS name) once sealed, without unsealing its context; null when none or not sealed. */
  service(id: number): string | null {
    return this.sealed?.service(id) ?? null;
  }

  /**
   * Connection `id`'s context, or null when nothing was recognised. `dataEnd` gives each side's one
   * past its last byte of data (raw, FIN excluded; -1 none) as the tracker saw it; `serverIp` names the
   * service from DNS when neither SNI nor Host did.
   */
  context(id: number, clientDataEnd: number, serverDataEnd: number, serverIp: string): AppContext | null {
    if (this.sealed) return this.sealed.get(id);
    const r = this.records[id];
    const dnsName = this.dnsNames.get(serverIp) ?? null;
    if (!r || (r.labels.length === 0 && !r.tls)) return null;
    const facts: AppFacts = { ...r.facts };
    const [c, s] = r.dirs;
    if (facts.httpStatus) {
      if (hasNoBody(facts.httpStatus.code, r.method)) facts.httpBodyComplete = true;
      else if (facts.httpChunked) facts.httpBodyComplete = s.lastChunkEnd >= 0 && s.lastChunkEnd === serverDataEnd;
      else if (facts.httpContentLength !== undefined && r.bodyStart >= 0 && serverDataEnd >= 0) {
        facts.httpBodyComplete = ((serverDataEnd - r.bodyStart) >>> 0) >= facts.httpContentLength;
      } else facts.httpBodyComplete = null;
    }
    if (r.tls) {
      const complete: { client?: boolean; server?: boolean } = {};
      if (c.recordNext >= 0 && clientDataEnd >= 0) complete.client = c.recordNext === clientDataEnd;
      if (s.recordNext >= 0 && serverDataEnd >= 0) complete.server = s.recordNext === serverDataEnd;
      if (complete.client !== undefined || complete.server !== undefined) facts.tlsLastRecordComplete = complete;
    }
    if (c.first && s.first && c.first !== s.first) facts.protocolMismatch = { client: c.first, server: s.first };
    const protocol = s.first ?? c.first ?? (r.tls ? 'tls' : facts.httpRequest || facts.httpStatus ? 'http' : null);
    if (!protocol) return null;
    return {
      protocol,
      service: facts.tlsServerName ?? r.host ?? dnsName,
      labels: r.labels.slice().sort((a, b) => a.frame - b.frame),
      facts,
    };
  }

  private parseWhole(r: AppRecord, d: DirState, from: Side, b: Uint8Array, o: number, end: number, seq: number, frame: number, serverPort: number): void {
    const first = d.segments === 1;
    const label = (text: string) => addLabel(r, frame, from, text);
    if (isRecordHeader(b, o, end)) {
      const type = handshakeType(b, o, end);
      if (first) d.first = 'tls';
      if (!r.tls) {
        r.tls = true;
        d.recordNext = seq; // records are followed from here (followRecords walks this segment)
      }
      if (type === 1) {
        const hello = parseClientHello(b, o, end);
        if (hello?.serverName) r.facts.tlsServerName = hello.serverName;
        if (hello?.alpn.length) r.facts.tlsAlpn = hello.alpn;
        label(hello?.serverName ? `ClientHello ${hello.serverName}` : 'ClientHello');
      } else if (type === 2) {
        r.facts.tlsServerHello ??= frame;
        label('ServerHello');
      }
      return;
    }
    if (from === 'client') {
      const req = parseHttpRequest(b, o, end);
      if (req) {
        if (first) d.first = 'http';
        r.facts.httpRequest ??= { frame, method: req.method, target: req.target };
        r.method ??= req.method;
        // A Host that is an address literal names nothing the address does not.
        if (req.host && !/^[\d.]+(:\d+)?$|^\[/.test(req.host)) r.host ??= req.host;
        label(`${req.method} ${req.target}`);
        return;
      }
      const line = parseClientLine(b, o, end);
      if (line) {
        if (first) d.first = line.protocol;
        label(line.text);
        return;
      }
      // A command of a line protocol the server already greeted in (QUIT, USER, EHLO...).
      const greeted = r.dirs[1].first;
      if (greeted === 'smtp' || greeted === 'ftp' || greeted === 'pop3' || greeted === 'imap') {
        // Commands only (a verb of capitals): never a credential sent after AUTH or PASS's argument.
        const text = firstLine(b, o, end, LABEL_CHARS);
        const verb = /^([A-Z]{3,8})(?: |$)/.exec(text)?.[1];
        if (verb) label(verb === 'PASS' || verb === 'AUTH' ? verb : text);
      }
      return;
    }
    const res = parseHttpResponse(b, o, end);
    if (res) {
      if (first) d.first = 'http';
      if (!r.facts.httpStatus) {
        r.facts.httpStatus = { frame, code: res.code, reason: res.reason };
        if (res.contentLength !== null) r.facts.httpContentLength = res.contentLength;
        if (res.chunked) r.facts.httpChunked = true;
        if (res.headerLength >= 0) {
          r.bodyStart = (seq + res.headerLength) >>> 0;
          if (res.chunked && endsWithLastChunk(b, o, end)) d.lastChunkEnd = (seq + (end - o)) >>> 0;
        }
      }
      label(`${res.code} ${res.reason}`.trim());
      return;
    }
    const line = parseServerLine(b, o, end, serverPort);
    if (line) {
      if (first) d.first = line.protocol;
      r.facts.greeting ??= { frame, from, text: line.text, code: line.code };
      if (line.protocol !== 'ssh' && line.protocol !== 'imap') r.facts.lastReply = { frame, text: line.text, code: line.code };
      label(line.text);
    } else if (startsWith(b, o, end, 'SSH-')) {
      label(firstLine(b, o, end, LABEL_CHARS));
    }
  }

  /** Follow TLS record boundaries through every segment of a TLS connection: alerts, the last record. */
  private followRecords(r: AppRecord, d: DirState, from: Side, b: Uint8Array, o: number, end: number, whole: boolean, seq: number, frame: number): void {
    let start = o;
    if (d.recordNext < 0) {
      // Alignment lost or never had: a segment that starts with a record header gives it back.
      if (!isRecordHeader(b, o, end)) return;
    } else {
      const off = (d.recordNext - seq) | 0;
      if (off < 0 || off >= end - o) {
        // A retransmission of earlier bytes, or a record that goes on past this segment.
        if (off < 0 && isRecordHeader(b, o, end) && seq === d.dataEnd) start = o;
        else return;
      } else start = o + off;
    }
    if (!whole || !walkRecords(b, start, end, scratch)) {
      d.recordNext = -1;
      return;
    }
    d.recordNext = (seq + (scratch.next - o)) >>> 0;
    if (scratch.alertCode >= 0) {
      const description = alertName(scratch.alertCode);
      const level = scratch.alertLevel === 2 ? 'fatal' : 'warning';
      r.facts.tlsAlert = { frame, from, level, description };
      if (scratch.alertCode === 0) {
        const list = (r.facts.closeNotify ??= []);
        if (!list.some((x) => x.from === from)) list.push({ frame, from });
      }
      addLabel(r, frame, from, `Alert: ${description}`, true);
    } else if (scratch.encryptedAlert) {
      r.facts.tlsAlert = { frame, from, level: null, description: null };
      addLabel(r, frame, from, 'Encrypted alert', true);
    }
  }
}

/**
 * The first byte of every message parsed here: a TLS record type (20..23), an upper-case letter (HTTP
 * methods and status lines, SSH, SMTP/FTP/POP3 commands), a digit (reply codes), '+', '-', '*'. Body
 * bytes rarely pass, so most segments after a message's first cost one comparison.
 */
function mayStartMessage(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || (c >= 20 && c <= 23) || c === 0x2b || c === 0x2d || c === 0x2a;
}

function newRecord(): AppRecord {
  const dir = (): DirState => ({ segments: 0, first: null, recordNext: -1, dataEnd: -1, lastChunkEnd: -1 });
  return { dirs: [dir(), dir()], labels: [], facts: {}, host: null, method: null, bodyStart: -1, tls: false };
}

function addLabel(r: AppRecord, frame: number, from: Side, text: string, late = false): void {
  const label = { frame, from, text: text.length > LABEL_CHARS ? `${text.slice(0, LABEL_CHARS - 3)}...` : text };
  if (r.labels.length < MAX_LABELS) r.labels.push(label);
  else if (late) r.labels[MAX_LABELS - 1] = label; // the last alert matters more than the tenth label
}

/** a > b in sequence space. */
function seqAfter(a: number, b: number): boolean {
  return ((a - b) | 0) > 0;
}

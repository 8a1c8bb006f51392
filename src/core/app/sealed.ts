/**
 * Application contexts once the capture is read, as numbers: each connection's context is a run of
 * 32-bit words in one shared array (protocol, labels as frame and string indices, facts as tagged
 * words in the order they were found), and every text (service names, methods, targets, reasons,
 * greetings) is kept once, back to back in a few long strings. A context made back from them is the
 * one sealed, field for field and key for key (the report's bytes do not change).
 *
 * Most connections of a capture say the same few things ("GET", "200", "OK", one host name): their
 * contexts are a few dozen bytes each, against a few hundred as text or several times that as objects.
 */
import type { Side } from '../model/types.ts';
import type { AppContext, AppFacts, AppLabel, AppProtocol, TlsAlert } from './types.ts';

const PROTOCOLS: readonly AppProtocol[] = ['http', 'tls', 'ssh', 'smtp', 'ftp', 'pop3', 'imap'];

/** Fact tags (the low byte of a fact's first word; the rest of that word holds a small value). */
const Tag = {
  httpRequest: 1,
  httpStatus: 2,
  httpContentLength: 3,
  httpChunked: 4,
  httpBodyComplete: 5,
  tlsServerName: 6,
  tlsAlpn: 7,
  tlsServerHello: 8,
  tlsAlert: 9,
  closeNotify: 10,
  tlsLastRecordComplete: 11,
  greeting: 12,
  lastReply: 13,
  protocolMismatch: 14,
} as const;

/** A label whose text is two strings joined by a space (`GET` `/x`): the second is often a fact's too. */
const LABEL_SPLIT = 2;

const LEVELS: readonly TlsAlert['level'][] = [null, 'warning', 'fatal'];
const BOOLS: readonly (boolean | null)[] = [false, true, null];

/** Characters per string chunk, well under the longest string an engine makes. */
const CHUNK_CHARS = 2 ** 24;

/** Writes contexts into a `SealedContexts`, one connection at a time in id order. */
export class ContextSealer {
  private words = new Uint32Array(4096);
  private used = 0;
  private readonly start: Uint32Array;
  private readonly strings = new Map<string, number>();
  private readonly texts: string[] = [];

  constructor(private readonly connections: number) {
    this.start = new Uint32Array(connections + 1);
  }

  /** Connection `id`'s context (ids in increasing order; the ones skipped have none). */
  add(id: number, ctx: AppContext): void {
    this.start.fill(this.used, this.fillFrom, id + 1);
    this.fillFrom = id + 1;
    const labels = ctx.labels;
    // As JSON would: a fact set to undefined is no fact.
    const facts = (Object.keys(ctx.facts) as (keyof AppFacts)[]).filter((k) => ctx.facts[k] !== undefined);
    this.push(PROTOCOLS.indexOf(ctx.protocol) | (ctx.service === null ? 0 : 8) | (labels.length << 4) | (facts.length << 12));
    if (ctx.service !== null) this.push(this.of(ctx.service));
    for (const l of labels) {
      this.push(l.frame);
      const from = l.from === 'client' ? 0 : 1;
      const space = l.text.indexOf(' ');
      if (space < 0) this.push(from | (this.of(l.text) << 2));
      else {
        this.push(from | LABEL_SPLIT | (this.of(l.text.slice(0, space)) << 2));
        this.push(this.of(l.text.slice(space + 1)));
      }
    }
    const f = ctx.facts;
    for (const key of facts) this.fact(key, f);
  }

  /** The sealed store; the sealer is spent. */
  finish(): SealedContexts {
    this.start.fill(this.used, this.fillFrom);
    return new SealedContexts(this.words.slice(0, this.used), this.start, new PackedStrings(this.texts));
  }

  private fillFrom = 0;

  private fact(key: keyof AppFacts, f: AppFacts): void {
    switch (key) {
      case 'httpRequest': {
        const v = f.httpRequest!;
        this.push(Tag.httpRequest, v.frame, this.of(v.method), this.of(v.target));
        return;
      }
      case 'httpStatus': {
        const v = f.httpStatus!;
        this.push(Tag.httpStatus, v.frame, v.code, this.of(v.reason));
        return;
      }
      case 'httpContentLength': {
        const v = f.httpContentLength!;
        this.push(Tag.httpContentLength, v % 0x100000000, Math.floor(v / 0x100000000));
        return;
      }
      case 'httpChunked':
        this.push(Tag.httpChunked | (f.httpChunked ? 256 : 0));
        return;
      case 'httpBodyComplete':
        this.push(Tag.httpBodyComplete | (BOOLS.indexOf(f.httpBodyComplete!) << 8));
        return;
      case 'tlsServerName':
        this.push(Tag.tlsServerName, this.of(f.tlsServerName!));
        return;
      case 'tlsAlpn': {
        const v = f.tlsAlpn!;
        this.push(Tag.tlsAlpn | (v.length << 8));
        for (const s of v) this.push(this.of(s));
        return;
      }
      case 'tlsServerHello':
        this.push(Tag.tlsServerHello, f.tlsServerHello!);
        return;
      case 'tlsAlert': {
        const v = f.tlsAlert!;
        const small = side(v.from) | (LEVELS.indexOf(v.level) << 1) | (v.description === null ? 0 : 8);
        this.push(Tag.tlsAlert | (small << 8), v.frame, v.description === null ? 0 : this.of(v.description));
        return;
      }
      case 'closeNotify': {
        const v = f.closeNotify!;
        this.push(Tag.closeNotify | (v.length << 8));
        for (const c of v) this.push(c.frame, side(c.from));
        return;
      }
      case 'tlsLastRecordComplete': {
        const v = f.tlsLastRecordComplete!;
        const bits = (v.client === undefined ? 0 : 1 | (v.client ? 2 : 0)) | (v.server === undefined ? 0 : 4 | (v.server ? 8 : 0));
        this.push(Tag.tlsLastRecordComplete | (bits << 8));
        return;
      }
      case 'greeting': {
        const v = f.greeting!;
        this.push(Tag.greeting | (side(v.from) << 8), v.frame, this.of(v.text), v.code);
        return;
      }
      case 'lastReply': {
        const v = f.lastReply!;
        this.push(Tag.lastReply, v.frame, this.of(v.text), v.code);
        return;
      }
      case 'protocolMismatch': {
        const v = f.protocolMismatch!;
        this.push(Tag.protocolMismatch | (PROTOCOLS.indexOf(v.client) << 8) | (PROTOCOLS.indexOf(v.server) << 12));
        return;
      }
      default: {
        const unknown: never = key;
        throw new Error(`app: no sealed form for the fact ${String(unknown)}`);
      }
    }
  }

  private of(text: string): number {
    let i = this.strings.get(text);
    if (i === undefined) {
      i = this.texts.length;
      this.texts.push(text);
      this.strings.set(text, i);
    }
    return i;
  }

  private push(...values: number[]): void {
    if (this.used + values.length > this.words.length) {
      const bigger = new Uint32Array(2 * this.words.length + values.length);
      bigger.set(this.words);
      this.words = bigger;
    }
    for (const v of values) this.words[this.used++] = v;
  }
}

/** What `ContextSealer` made: each connection's context, made back on demand. */
export class SealedContexts {
  constructor(
    private readonly words: Uint32Array,
    /** Where connection id's words start; they end where id + 1's start. */
    private readonly start: Uint32Array,
    private readonly strings: PackedStrings,
  ) {}

  /** Connection `id`'s service name without making its context back (list rows); null when none or empty. */
  service(id: number): string | null {
    if (id + 1 >= this.start.length) return null;
    const p = this.start[id]!;
    if (p === this.start[id + 1]) return null;
    return this.words[p]! & 8 ? this.strings.get(this.words[p + 1]!) || null : null;
  }

  /** Connection `id`'s context, or null when it has none. */
  get(id: number): AppContext | null {
    if (id + 1 >= this.start.length) return null;
    let p = this.start[id]!;
    if (p === this.start[id + 1]) return null;
    const w = this.words;
    const s = (i: number) => this.strings.get(i);
    const head = w[p++]!;
    const protocol = PROTOCOLS[head & 7]!;
    const service = head & 8 ? s(w[p++]!) : null;
    const labels: AppLabel[] = [];
    for (let n = (head >>> 4) & 0xff; n > 0; n--) {
      const frame = w[p++]!;
      const x = w[p++]!;
      const from: Side = x & 1 ? 'server' : 'client';
      const text = x & LABEL_SPLIT ? `${s(x >>> 2)} ${s(w[p++]!)}` : s(x >>> 2);
      labels.push({ frame, from, text });
    }
    const facts: AppFacts = {};
    for (let n = head >>> 12; n > 0; n--) {
      const t = w[p++]!;
      const small = t >>> 8;
      switch (t & 0xff) {
        case Tag.httpRequest:
          facts.httpRequest = { frame: w[p]!, method: s(w[p + 1]!), target: s(w[p + 2]!) };
          p += 3;
          break;
        case Tag.httpStatus:
          facts.httpStatus = { frame: w[p]!, code: w[p + 1]!, reason: s(w[p + 2]!) };
          p += 3;
          break;
        case Tag.httpContentLength:
          facts.httpContentLength = w[p]! + w[p + 1]! * 0x100000000;
          p += 2;
          break;
        case Tag.httpChunked:
          facts.httpChunked = small === 1;
          break;
        case Tag.httpBodyComplete:
          facts.httpBodyComplete = BOOLS[small]!;
          break;
        case Tag.tlsServerName:
          facts.tlsServerName = s(w[p++]!);
          break;
        case Tag.tlsAlpn: {
          const alpn: string[] = [];
          for (let i = 0; i < small; i++) alpn.push(s(w[p++]!));
          facts.tlsAlpn = alpn;
          break;
        }
        case Tag.tlsServerHello:
          facts.tlsServerHello = w[p++]!;
          break;
        case Tag.tlsAlert:
          facts.tlsAlert = { frame: w[p]!, from: sideOf(small & 1), level: LEVELS[(small >>> 1) & 3]!, description: small & 8 ? s(w[p + 1]!) : null };
          p += 2;
          break;
        case Tag.closeNotify: {
          const list: { frame: number; from: Side }[] = [];
          for (let i = 0; i < small; i++, p += 2) list.push({ frame: w[p]!, from: sideOf(w[p + 1]!) });
          facts.closeNotify = list;
          break;
        }
        case Tag.tlsLastRecordComplete: {
          const v: { client?: boolean; server?: boolean } = {};
          if (small & 1) v.client = (small & 2) !== 0;
          if (small & 4) v.server = (small & 8) !== 0;
          facts.tlsLastRecordComplete = v;
          break;
        }
        case Tag.greeting:
          facts.greeting = { frame: w[p]!, from: sideOf(small & 1), text: s(w[p + 1]!), code: w[p + 2]! };
          p += 3;
          break;
        case Tag.lastReply:
          facts.lastReply = { frame: w[p]!, text: s(w[p + 1]!), code: w[p + 2]! };
          p += 3;
          break;
        case Tag.protocolMismatch:
          facts.protocolMismatch = { client: PROTOCOLS[small & 15]!, server: PROTOCOLS[(small >>> 4) & 15]! };
          break;
      }
    }
    return { protocol, service, labels, facts };
  }
}

/** Strings back to back in a few long ones (a string each would cost its own header), by index. */
class PackedStrings {
  private readonly chunks: string[] = [];
  /** chunk * CHUNK_CHARS + offset of string i, and its length. */
  private readonly where: Float64Array;
  private readonly length: Uint32Array;

  constructor(texts: readonly string[]) {
    this.where = new Float64Array(texts.length);
    this.length = new Uint32Array(texts.length);
    let parts: string[] = [];
    let size = 0;
    for (let i = 0; i < texts.length; i++) {
      const t = texts[i]!;
      this.where[i] = this.chunks.length * CHUNK_CHARS + size;
      this.length[i] = t.length;
      parts.push(t);
      size += t.length;
      if (size >= CHUNK_CHARS - 65536) {
        this.chunks.push(parts.join(''));
        parts = [];
        size = 0;
      }
    }
    if (parts.length) this.chunks.push(parts.join(''));
  }

  get(i: number): string {
    const at = this.where[i]!;
    const chunk = this.chunks[Math.floor(at / CHUNK_CHARS)]!;
    const start = at % CHUNK_CHARS;
    return chunk.slice(start, start + this.length[i]!);
  }
}

function side(from: Side): number {
  return from === 'client' ? 0 : 1;
}

function sideOf(bit: number): Side {
  return bit ? 'server' : 'client';
}

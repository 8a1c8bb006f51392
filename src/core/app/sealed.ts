/**
 * Application contexts once the capture is read, as numbers: each connection's context is a run of
 * variable-length integers in one shared byte array (protocol, facts as tags and values in the order
 * they were found, labels as string indices; frames as the difference from the one before), and every text (service names, methods, targets, reasons,
 * greetings) is kept once, back to back in a few long strings. A context made back from them is the
 * one sealed, field for field and key for key (the report's bytes do not change).
 *
 * Most connections of a capture say the same few things ("GET", "200", "OK", one host name): their
 * contexts are a few dozen bytes each, against a few hundred as text or several times that as objects.
 */
import type { Side } from '../model/types.ts';
import type { AppContext, AppFacts, AppLabel, AppProtocol, TlsAlert } from './types.ts';

const PROTOCOLS: readonly AppProtocol[] = ['http', 'tls', 'ssh', 'smtp', 'ftp', 'pop3', 'imap'];

/** Fact tags (the low 4 bits of a fact's first number; the rest holds a small value). */
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
  private bytes = new Uint8Array(4096);
  private used = 0;
  /** The last frame written in the current context: frames are written as the difference. */
  private lastFrame = 0;
  private fillFrom = 0;
  private readonly start: Uint32Array;
  private readonly strings = new Map<string, number>();
  private readonly texts: string[] = [];

  constructor(connections: number) {
    this.start = new Uint32Array(connections + 1);
  }

  /** Connection `id`'s context (ids in increasing order; the ones skipped have none). */
  add(id: number, ctx: AppContext): void {
    this.start.fill(this.used, this.fillFrom, id + 1);
    this.fillFrom = id + 1;
    this.lastFrame = 0;
    const labels = ctx.labels;
    const facts = Object.keys(ctx.facts) as (keyof AppFacts)[];
    let n = 0;
    // As JSON would: a fact set to undefined is no fact.
    for (const key of facts) if (ctx.facts[key] !== undefined) n++;
    this.put(PROTOCOLS.indexOf(ctx.protocol) | (labels.length << 3) | (n << 7));
    this.put(ctx.service === null ? 0 : this.of(ctx.service) + 1);
    // Facts first: a label then finds the texts the facts already hold ('GET /x' and the target '/x').
    for (const key of facts) if (ctx.facts[key] !== undefined) this.fact(key, ctx.facts);
    for (const l of labels) {
      this.frame(l.frame);
      const from = l.from === 'client' ? 0 : 1;
      const whole = this.strings.get(l.text);
      const space = whole === undefined ? l.text.indexOf(' ') : -1;
      const rest = space < 0 ? undefined : this.strings.get(l.text.slice(space + 1));
      if (whole !== undefined) this.put(from + whole * 4);
      else if (rest === undefined) this.put(from + this.of(l.text) * 4);
      else {
        this.put(from + LABEL_SPLIT + this.of(l.text.slice(0, space)) * 4);
        this.put(rest);
      }
    }
  }

  /** The sealed store; the sealer is spent. */
  finish(): SealedContexts {
    this.start.fill(this.used, this.fillFrom);
    return new SealedContexts(this.bytes.slice(0, this.used), this.start, new PackedStrings(this.texts));
  }

  private fact(key: keyof AppFacts, f: AppFacts): void {
    switch (key) {
      case 'httpRequest': {
        const v = f.httpRequest!;
        this.put(Tag.httpRequest);
        this.frame(v.frame);
        this.put(this.of(v.method));
        this.put(this.of(v.target));
        return;
      }
      case 'httpStatus': {
        const v = f.httpStatus!;
        this.put(Tag.httpStatus | (v.code << 4));
        this.frame(v.frame);
        this.put(this.of(v.reason));
        return;
      }
      case 'httpContentLength':
        this.put(Tag.httpContentLength);
        this.put(f.httpContentLength!);
        return;
      case 'httpChunked':
        this.put(Tag.httpChunked | (f.httpChunked ? 16 : 0));
        return;
      case 'httpBodyComplete':
        this.put(Tag.httpBodyComplete | (BOOLS.indexOf(f.httpBodyComplete!) << 4));
        return;
      case 'tlsServerName':
        this.put(Tag.tlsServerName);
        this.put(this.of(f.tlsServerName!));
        return;
      case 'tlsAlpn': {
        const v = f.tlsAlpn!;
        this.put(Tag.tlsAlpn | (v.length << 4));
        for (const s of v) this.put(this.of(s));
        return;
      }
      case 'tlsServerHello':
        this.put(Tag.tlsServerHello);
        this.frame(f.tlsServerHello!);
        return;
      case 'tlsAlert': {
        const v = f.tlsAlert!;
        this.put(Tag.tlsAlert | (side(v.from) << 4) | (LEVELS.indexOf(v.level) << 5));
        this.frame(v.frame);
        this.put(v.description === null ? 0 : this.of(v.description) + 1);
        return;
      }
      case 'closeNotify': {
        const v = f.closeNotify!;
        this.put(Tag.closeNotify | (v.length << 4));
        for (const c of v) {
          this.frame(c.frame);
          this.put(side(c.from));
        }
        return;
      }
      case 'tlsLastRecordComplete': {
        const v = f.tlsLastRecordComplete!;
        const bits = (v.client === undefined ? 0 : 1 | (v.client ? 2 : 0)) | (v.server === undefined ? 0 : 4 | (v.server ? 8 : 0));
        this.put(Tag.tlsLastRecordComplete | (bits << 4));
        return;
      }
      case 'greeting': {
        const v = f.greeting!;
        this.put(Tag.greeting | (side(v.from) << 4));
        this.frame(v.frame);
        this.put(this.of(v.text));
        this.put(v.code);
        return;
      }
      case 'lastReply': {
        const v = f.lastReply!;
        this.put(Tag.lastReply);
        this.frame(v.frame);
        this.put(this.of(v.text));
        this.put(v.code);
        return;
      }
      case 'protocolMismatch': {
        const v = f.protocolMismatch!;
        this.put(Tag.protocolMismatch | (PROTOCOLS.indexOf(v.client) << 4) | (PROTOCOLS.indexOf(v.server) << 7));
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

  /** A frame number, as its difference from the last one of this context (zigzag: small either way). */
  private frame(frame: number): void {
    const d = frame - this.lastFrame;
    this.lastFrame = frame;
    this.put(d >= 0 ? 2 * d : -2 * d - 1);
  }

  /** A non-negative integer (up to 2^53), 7 bits a byte, the low bits first (LEB128). */
  private put(v: number): void {
    if (this.used + 8 > this.bytes.length) {
      const bigger = new Uint8Array(2 * this.bytes.length);
      bigger.set(this.bytes);
      this.bytes = bigger;
    }
    while (v >= 0x80) {
      this.bytes[this.used++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.bytes[this.used++] = v;
  }
}

/** What `ContextSealer` made: each connection's context, made back on demand. */
export class SealedContexts {
  private p = 0;
  private lastFrame = 0;

  constructor(
    private readonly bytes: Uint8Array,
    /** Where connection id's bytes start; they end where id + 1's start. */
    private readonly start: Uint32Array,
    private readonly strings: PackedStrings,
  ) {}

  /** Connection `id`'s service name without making its context back (list rows); null when none or empty. */
  service(id: number): string | null {
    if (id + 1 >= this.start.length) return null;
    this.p = this.start[id]!;
    if (this.p === this.start[id + 1]) return null;
    this.next(); // the head
    const svc = this.next();
    return svc === 0 ? null : this.strings.get(svc - 1) || null;
  }

  /** Connection `id`'s context, or null when it has none. */
  get(id: number): AppContext | null {
    if (id + 1 >= this.start.length) return null;
    this.p = this.start[id]!;
    if (this.p === this.start[id + 1]) return null;
    this.lastFrame = 0;
    const s = (i: number) => this.strings.get(i);
    const head = this.next();
    const protocol = PROTOCOLS[head & 7]!;
    const svc = this.next();
    const service = svc === 0 ? null : s(svc - 1);
    const facts: AppFacts = {};
    for (let n = head >>> 7; n > 0; n--) {
      const t = this.next();
      const small = Math.floor(t / 16);
      switch (t & 15) {
        case Tag.httpRequest: {
          const frame = this.frame();
          facts.httpRequest = { frame, method: s(this.next()), target: s(this.next()) };
          break;
        }
        case Tag.httpStatus: {
          const frame = this.frame();
          facts.httpStatus = { frame, code: small, reason: s(this.next()) };
          break;
        }
        case Tag.httpContentLength:
          facts.httpContentLength = this.next();
          break;
        case Tag.httpChunked:
          facts.httpChunked = small === 1;
          break;
        case Tag.httpBodyComplete:
          facts.httpBodyComplete = BOOLS[small]!;
          break;
        case Tag.tlsServerName:
          facts.tlsServerName = s(this.next());
          break;
        case Tag.tlsAlpn: {
          const alpn: string[] = [];
          for (let i = 0; i < small; i++) alpn.push(s(this.next()));
          facts.tlsAlpn = alpn;
          break;
        }
        case Tag.tlsServerHello:
          facts.tlsServerHello = this.frame();
          break;
        case Tag.tlsAlert: {
          const frame = this.frame();
          const description = this.next();
          facts.tlsAlert = { frame, from: sideOf(small & 1), level: LEVELS[small >>> 1]!, description: description === 0 ? null : s(description - 1) };
          break;
        }
        case Tag.closeNotify: {
          const list: { frame: number; from: Side }[] = [];
          for (let i = 0; i < small; i++) {
            const frame = this.frame();
            list.push({ frame, from: sideOf(this.next()) });
          }
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
        case Tag.greeting: {
          const frame = this.frame();
          facts.greeting = { frame, from: sideOf(small & 1), text: s(this.next()), code: this.next() };
          break;
        }
        case Tag.lastReply: {
          const frame = this.frame();
          facts.lastReply = { frame, text: s(this.next()), code: this.next() };
          break;
        }
        case Tag.protocolMismatch:
          facts.protocolMismatch = { client: PROTOCOLS[small & 7]!, server: PROTOCOLS[small >>> 3]! };
          break;
      }
    }
    const labels: AppLabel[] = [];
    for (let n = (head >>> 3) & 15; n > 0; n--) {
      const frame = this.frame();
      const x = this.next();
      const from: Side = x & 1 ? 'server' : 'client';
      const text = x & LABEL_SPLIT ? `${s(Math.floor(x / 4))} ${s(this.next())}` : s(Math.floor(x / 4));
      labels.push({ frame, from, text });
    }
    return { protocol, service, labels, facts };
  }

  private next(): number {
    let v = 0;
    let scale = 1;
    for (;;) {
      const b = this.bytes[this.p++]!;
      v += (b & 0x7f) * scale;
      if (b < 0x80) return v;
      scale *= 0x80;
    }
  }

  private frame(): number {
    const z = this.next();
    this.lastFrame += z % 2 === 0 ? z / 2 : -(z + 1) / 2;
    return this.lastFrame;
  }
}

/** Strings back to back in a few long ones (a string each would cost its own header), by index. */
export class PackedStrings {
  private readonly chunks: string[] = [];
  /**
   * chunk * CHUNK_CHARS + offset of each string (a string ends where the next one of its chunk
   * starts, or with its chunk). 256 chunks of 16 Mi characters are more than an engine's heap holds.
   */
  private readonly at: Uint32Array;

  constructor(
    texts: readonly string[],
    private readonly chunkChars = CHUNK_CHARS,
  ) {
    this.at = new Uint32Array(texts.length);
    let parts: string[] = [];
    let size = 0;
    for (let i = 0; i < texts.length; i++) {
      const t = texts[i]!;
      // Every string starts inside its chunk (one longer than a chunk has a chunk of its own).
      if (size > 0 && size + t.length >= chunkChars) {
        this.chunks.push(parts.join(''));
        parts = [];
        size = 0;
      }
      this.at[i] = this.chunks.length * chunkChars + size;
      parts.push(t);
      size += t.length;
    }
    if (parts.length) this.chunks.push(parts.join(''));
  }

  get(i: number): string {
    const at = this.at[i]!;
    const n = this.chunkChars;
    const chunk = Math.floor(at / n);
    const next = i + 1 < this.at.length ? this.at[i + 1]! : -1;
    const text = this.chunks[chunk]!;
    return text.slice(at % n, next >= 0 && Math.floor(next / n) === chunk ? next % n : text.length);
  }
}

function side(from: Side): number {
  return from === 'client' ? 0 : 1;
}

function sideOf(bit: number): Side {
  return bit ? 'server' : 'client';
}

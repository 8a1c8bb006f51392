/**
 * A scripted TCP conversation: say what each side does, get exact frames with timestamps. Sequence
 * and acknowledgement numbers, IP IDs, TCP timestamps and timing are tracked here so a test reads as
 * the story it tells:
 *
 *   const c = tcpConversation({ client: '10.0.0.1:40000', server: '10.0.0.2:80', rtt: 0.02 });
 *   c.handshake().clientSends('GET / HTTP/1.1\r\n\r\n').serverSends('HTTP/1.1 500 Oops\r\n\r\n');
 *   c.rst('server');
 *   const pcap = toPcap(c.frames);
 *
 * Timing model: a frame from the same side as the previous one follows it after `gap`; a frame from
 * the other side follows after the time the capture point sees for a reply (a full `rtt` for replies
 * from the far side, `gap` for replies from the near side, `rtt / 2` each way in the middle). Any
 * step can give its own `delay` (seconds since the previous frame) instead; `idle()` adds silence.
 *
 * Sequence semantics follow RFC 9293 §3.4: SYN and FIN consume one sequence number; a frame that is
 * `delivered` (the default) moves the receiver's rcv.nxt when it is in order.
 */
import { TcpFlag } from '../../src/core/model/types.ts';
import { macForIp, parseEndpoint } from './address.ts';
import { buildTcpPacket, payloadBytes, type LinkLayer, type TcpOptionSpec } from './packet.ts';
import type { CaptureRecord, PcapOptions } from '../../src/core/capture/pcap-writer.ts';
import { writePcap } from '../../src/core/capture/pcap-writer.ts';
import { writePcapng, type PcapngFileOptions } from '../../src/core/capture/pcapng-writer.ts';

export type Side = 'client' | 'server';

/** TCP flag bits (RFC 9293 §3.1), under a short name for readable test scripts. */
export const F = TcpFlag;

export interface ConversationOptions {
  /** `10.0.0.1:40000` or `[2001:db8::1]:40000`. */
  client: string;
  server: string;
  /** TTL / hop limit of each side's packets as seen at the capture point (default 64). */
  clientTtl?: number;
  serverTtl?: number;
  /** Initial sequence numbers (defaults 1000 and 5000; any 32-bit value). */
  isnClient?: number;
  isnServer?: number;
  /** Round-trip time between the two hosts, seconds (default 0.001). */
  rtt?: number;
  /** Where the capture was taken (default 'client'). */
  capturePoint?: 'client' | 'server' | 'middle';
  /** Seconds between two frames of the same side, and before a near-side reply (default 10 µs). */
  gap?: number;
  /** Time of the first frame: nanoseconds since the epoch as a bigint, or seconds (default 1.7e9 s). */
  start?: bigint | number;
  /** MSS announced in the SYNs (default 1460); data is cut into segments of the smaller one. */
  mss?: number;
  /** Window scale shift announced in both SYNs (default: none announced). */
  windowScale?: number;
  /** SACK permitted in both SYNs (default true). */
  sackPermitted?: boolean;
  /** RFC 7323 timestamps on every segment but RSTs (default false). */
  timestamps?: boolean;
  /** Raw window field of every segment unless a step says otherwise (default 64240). */
  window?: number;
  /** First IPv4 ID of each side; each of its frames takes the next one (defaults 0x1000 and 0x8000). */
  ipIdClient?: number;
  ipIdServer?: number;
  /** Default 'ethernet'. */
  link?: LinkLayer;
  vlan?: number;
}

/** One frame of the conversation, ready for the writers, with what it carries in plain numbers. */
export interface SynthFrame extends CaptureRecord {
  /** 1-based position in its conversation (renumbered in the capture by `mergeFrames`). */
  number: number;
  from: Side;
  seq: number;
  ack: number;
  flags: number;
  payloadLength: number;
  ttl: number;
  /** IPv4 identification; 0 for IPv6. */
  ipId: number;
  link: LinkLayer;
}

/** What any step may override. */
export interface StepOptions {
  /** Seconds since the previous frame (instead of the timing model). */
  delay?: number;
  ttl?: number;
  /** IPv4 ID for this frame only (the side's counter does not move). */
  ipId?: number;
  window?: number;
  /** false: the frame is not in the capture (sent and delivered, the capture missed it). */
  captured?: boolean;
  /** false: lost before the peer (it is in the capture but the peer's rcv.nxt does not move). */
  delivered?: boolean;
}

export interface SegmentOptions extends StepOptions {
  flags: number;
  /** Absolute sequence number (default: the side's snd.nxt). */
  seq?: number;
  /** Absolute acknowledgement number (default: the side's rcv.nxt when ACK is set, else 0). */
  ack?: number;
  payload?: Uint8Array | string;
  /** Extra TCP options (merged over the conversation's timestamps). */
  options?: TcpOptionSpec;
}

export interface RstOptions extends StepOptions {
  /** true (default): RST+ACK acknowledging the side's rcv.nxt; a number: that ack; false: bare RST. */
  ack?: boolean | number;
  /** Absolute sequence number (default: the side's snd.nxt + seqOffset). */
  seq?: number;
  /** Added to the default sequence number (out-of-window resets). */
  seqOffset?: number;
  /**
   * Answer the peer's last frame as a host without state for the connection would (RFC 9293
   * §3.10.7.1): seq = its ack and no ACK flag if it had ACK, else seq 0 and ack = its seq + length.
   */
  noState?: boolean;
  /** Data in the RST (some stacks put a reason text there). */
  payload?: Uint8Array | string;
}

export interface RetransmitOptions extends StepOptions {
  /** How many copies (default 1). */
  times?: number;
  /** Seconds before the first copy (default 0.2, RFC 6298's minimum RTO as Linux uses it). */
  rto?: number;
  /** Double the wait before each further copy (default true). */
  backoff?: boolean;
}

interface SideState {
  ip: Uint8Array;
  mac: Uint8Array;
  port: number;
  isn: number;
  sndNxt: number;
  rcvNxt: number;
  ttl: number;
  ipId: number;
  /** Last TSval received from the peer (echoed as TSecr). */
  tsRecent: number;
  tsBase: number;
  /** The last segment that consumed sequence space, for retransmit(). */
  lastSent: { seq: number; flags: number; payload: Uint8Array; options: TcpOptionSpec | undefined } | null;
  /** The last frame this side sent. */
  lastFrame: SynthFrame | null;
}

const NS_PER_S = 1_000_000_000;
const toNs = (seconds: number): bigint => BigInt(Math.round(seconds * NS_PER_S));
const u32 = (n: number): number => n >>> 0;

/** A scripted conversation; see the module comment. Every step returns `this`. */
export class TcpConversation {
  readonly frames: SynthFrame[] = [];
  readonly ipVersion: 4 | 6;
  private readonly c: SideState;
  private readonly s: SideState;
  private readonly rttNs: bigint;
  private readonly gapNs: bigint;
  private readonly capturePoint: 'client' | 'server' | 'middle';
  private readonly mss: number;
  private readonly window: number;
  private readonly opts: ConversationOptions;
  private readonly startNs: bigint;
  private clock: bigint;
  private pendingIdle = 0n;
  private previous: Side | null = null;

  constructor(options: ConversationOptions) {
    this.opts = options;
    const ce = parseEndpoint(options.client);
    const se = parseEndpoint(options.server);
    if (ce.ip.length !== se.ip.length) throw new Error('client and server must both be IPv4 or IPv6');
    this.ipVersion = ce.ip.length === 4 ? 4 : 6;
    const side = (ep: typeof ce, isn: number, ttl: number, ipId: number, tsBase: number): SideState => ({
      ip: ep.ip,
      mac: macForIp(ep.ip),
      port: ep.port,
      isn: u32(isn),
      sndNxt: u32(isn + 1),
      rcvNxt: 0,
      ttl,
      ipId,
      tsRecent: 0,
      tsBase,
      lastSent: null,
      lastFrame: null,
    });
    this.c = side(ce, options.isnClient ?? 1000, options.clientTtl ?? 64, options.ipIdClient ?? 0x1000, 100_000);
    this.s = side(se, options.isnServer ?? 5000, options.serverTtl ?? 64, options.ipIdServer ?? 0x8000, 700_000);
    // Without a handshake in the script the connection is taken as established before the capture.
    this.c.rcvNxt = this.s.sndNxt;
    this.s.rcvNxt = this.c.sndNxt;
    this.rttNs = toNs(options.rtt ?? 0.001);
    this.gapNs = toNs(options.gap ?? 0.00001);
    this.capturePoint = options.capturePoint ?? 'client';
    this.mss = options.mss ?? 1460;
    this.window = options.window ?? 64240;
    const start = options.start ?? 1_700_000_000;
    this.startNs = typeof start === 'bigint' ? start : toNs(start);
    this.clock = this.startNs;
  }

  /** Time of the last frame (or of the start), nanoseconds since the epoch, including idle() after it. */
  get now(): bigint {
    return this.clock + this.pendingIdle;
  }

  /** The last frame. */
  get last(): SynthFrame {
    const f = this.frames[this.frames.length - 1];
    if (!f) throw new Error('no frames yet');
    return f;
  }

  /** The side's next sequence number to send (snd.nxt). */
  sndNxt(side: Side): number {
    return this.st(side).sndNxt;
  }

  /** The next sequence number the side expects from its peer (rcv.nxt). */
  rcvNxt(side: Side): number {
    return this.st(side).rcvNxt;
  }

  /** The side's ISN. */
  isn(side: Side): number {
    return this.st(side).isn;
  }

  /** The client's SYN (its ISN). */
  syn(opts: StepOptions = {}): this {
    const c = this.c;
    c.sndNxt = c.isn;
    return this.emit('client', { ...opts, flags: F.SYN, seq: c.isn, ack: 0, options: this.synOptions() });
  }

  /** A SYN and nothing else (yet): the start of an unanswered or refused attempt. */
  synOnly(opts: StepOptions = {}): this {
    return this.syn(opts);
  }

  /** The server's SYN-ACK. */
  synAck(opts: StepOptions = {}): this {
    const s = this.s;
    s.sndNxt = s.isn;
    return this.emit('server', { ...opts, flags: F.SYN | F.ACK, seq: s.isn, options: this.synOptions() });
  }

  /** SYN, SYN-ACK, ACK. */
  handshake(): this {
    return this.syn().synAck().ack('client');
  }

  /** A SYN answered by RST+ACK from the server (seq 0, ack = ISN + 1), as a closed port answers. */
  refuse(opts: StepOptions = {}): this {
    if (this.c.lastFrame?.flags !== F.SYN) this.syn();
    return this.rst('server', { ...opts, noState: true });
  }

  /** Data from a side, cut into MSS-sized segments (ACK on all, PSH on the last). */
  send(side: Side, data: Uint8Array | string, opts: StepOptions & { push?: boolean } = {}): this {
    const bytes = payloadBytes(data);
    const size = this.segmentSize();
    for (let at = 0; at < bytes.length || at === 0; at += size) {
      const chunk = bytes.subarray(at, Math.min(bytes.length, at + size));
      const lastOne = at + size >= bytes.length;
      const flags = F.ACK | (lastOne && opts.push !== false ? F.PSH : 0);
      this.emit(side, { ...opts, flags, payload: chunk, ...(at > 0 ? { delay: undefined } : {}) });
      if (bytes.length === 0) break;
    }
    return this;
  }

  clientSends(data: Uint8Array | string, opts: StepOptions & { push?: boolean } = {}): this {
    return this.send('client', data, opts);
  }

  serverSends(data: Uint8Array | string, opts: StepOptions & { push?: boolean } = {}): this {
    return this.send('server', data, opts);
  }

  /** A pure ACK from `side` for everything it has received; `sack` adds SACK blocks (absolute). */
  ack(side: Side, opts: StepOptions & { sack?: [number, number][] } = {}): this {
    const extra = opts.sack ? { options: { sack: opts.sack } } : {};
    return this.emit(side, { ...opts, flags: F.ACK, ...extra });
  }

  /** FIN+ACK from `side` (with data before the FIN in the same segment if given). */
  fin(side: Side, opts: StepOptions & { data?: Uint8Array | string } = {}): this {
    return this.emit(side, { ...opts, flags: F.FIN | F.ACK | (opts.data ? F.PSH : 0), payload: opts.data ?? '' });
  }

  /** An orderly close: FIN from `first`, FIN from the other, last ACK from `first`. */
  close(first: Side = 'client'): this {
    return this.fin(first).fin(other(first)).ack(first);
  }

  /** A reset from `side`; by default RST+ACK at its snd.nxt acknowledging its rcv.nxt. */
  rst(side: Side, opts: RstOptions = {}): this {
    const me = this.st(side);
    let seq = u32((opts.seq ?? me.sndNxt) + (opts.seqOffset ?? 0));
    let flags = F.RST;
    let ack = 0;
    if (opts.noState) {
      const peerLast = this.st(other(side)).lastFrame;
      if (!peerLast) throw new Error('noState needs a frame from the peer to answer');
      if (peerLast.flags & F.ACK) {
        seq = peerLast.ack;
      } else {
        seq = 0;
        flags |= F.ACK;
        ack = u32(peerLast.seq + peerLast.payloadLength + (peerLast.flags & F.SYN ? 1 : 0) + (peerLast.flags & F.FIN ? 1 : 0));
      }
      if (opts.seq !== undefined) seq = u32(opts.seq);
    } else if (opts.ack !== false) {
      flags |= F.ACK;
      ack = typeof opts.ack === 'number' ? u32(opts.ack) : me.rcvNxt;
    }
    const { ack: _a, seq: _s, seqOffset: _o, noState: _n, payload, ...step } = opts;
    return this.emit(side, { ...step, flags, seq, ack, payload: payload ?? '', noTimestamps: true, advance: false });
  }

  /** Silence: the next frame comes this many seconds later (on top of its usual delay). */
  idle(seconds: number): this {
    this.pendingIdle += toNs(seconds);
    return this;
  }

  /**
   * Sends again the side's last segment that consumed sequence space (data, SYN or FIN), `times`
   * times, after `rto` seconds doubling each time; the ack field is the side's current rcv.nxt.
   */
  retransmit(side: Side, opts: RetransmitOptions = {}): this {
    const last = this.st(side).lastSent;
    if (!last) throw new Error(`${side} sent nothing to retransmit`);
    let wait = opts.rto ?? 0.2;
    const { times = 1, backoff = true, rto: _r, ...step } = opts;
    for (let i = 0; i < times; i++) {
      this.emit(side, {
        ...step,
        delay: opts.delay ?? wait,
        flags: last.flags,
        seq: last.seq,
        ...(last.flags & F.ACK ? {} : { ack: 0 }),
        payload: last.payload,
        options: last.options,
        advance: false,
      });
      if (backoff) wait *= 2;
    }
    return this;
  }

  /** A keepalive probe: seq = snd.nxt - 1 with no data (or one zero byte with `withByte`). */
  keepalive(side: Side, opts: StepOptions & { withByte?: boolean } = {}): this {
    const me = this.st(side);
    return this.emit(side, {
      ...opts,
      flags: F.ACK,
      seq: u32(me.sndNxt - 1),
      payload: opts.withByte ? new Uint8Array(1) : '',
      advance: false,
    });
  }

  /** Any segment: the escape hatch for stray SYN-ACKs, odd flag mixes, zero windows and the like. */
  segment(side: Side, opts: SegmentOptions): this {
    return this.emit(side, { ...opts, advance: opts.seq === undefined || opts.seq === this.st(side).sndNxt });
  }

  // ---------------------------------------------------------------------------------------------

  private st(side: Side): SideState {
    return side === 'client' ? this.c : this.s;
  }

  private synOptions(): TcpOptionSpec {
    const o: TcpOptionSpec = { mss: this.mss };
    if (this.opts.sackPermitted ?? true) o.sackPermitted = true;
    if (this.opts.windowScale !== undefined) o.windowScale = this.opts.windowScale;
    return o;
  }

  private segmentSize(): number {
    return this.mss - (this.opts.timestamps ? 12 : 0);
  }

  private nextTime(side: Side, delay: number | undefined): bigint {
    let step: bigint;
    if (delay !== undefined) step = toNs(delay);
    else if (this.previous === null) step = 0n;
    else if (this.previous === side) step = this.gapNs;
    else if (this.capturePoint === 'middle') step = this.rttNs / 2n;
    else step = side === this.capturePoint ? this.gapNs : this.rttNs;
    this.clock += this.pendingIdle + step;
    this.pendingIdle = 0n;
    return this.clock;
  }

  private emit(
    side: Side,
    o: SegmentOptions & { advance?: boolean; noTimestamps?: boolean },
  ): this {
    const me = this.st(side);
    const peer = this.st(other(side));
    const payload = payloadBytes(o.payload);
    const seq = u32(o.seq ?? me.sndNxt);
    const ack = u32(o.ack ?? (o.flags & F.ACK ? me.rcvNxt : 0));
    const time = this.nextTime(side, o.delay);
    const length = payload.length + (o.flags & F.SYN ? 1 : 0) + (o.flags & F.FIN ? 1 : 0);

    let options = o.options;
    if (this.opts.timestamps && !o.noTimestamps) {
      const tsVal = u32(me.tsBase + Number((time - this.startNs) / 1_000_000n));
      const echo = o.flags & F.ACK ? me.tsRecent : 0;
      options = { ...options, timestamps: { value: tsVal, echo } };
    }
    const ipId = o.ipId ?? me.ipId;
    if (o.ipId === undefined) me.ipId = (me.ipId + 1) & 0xffff;
    const ttl = o.ttl ?? me.ttl;
    const data = buildTcpPacket({
      src: me.ip,
      dst: peer.ip,
      srcPort: me.port,
      dstPort: peer.port,
      seq,
      ack,
      flags: o.flags,
      window: o.window ?? this.window,
      ...(options ? { options } : {}),
      payload,
      ttl,
      ipId: this.ipVersion === 4 ? ipId : 0,
      srcMac: me.mac,
      dstMac: peer.mac,
      ...(this.opts.link ? { link: this.opts.link } : {}),
      ...(this.opts.vlan !== undefined ? { vlan: this.opts.vlan } : {}),
    });

    const frame: SynthFrame = {
      timestampNs: time,
      data,
      number: this.frames.length + 1,
      from: side,
      seq,
      ack,
      flags: o.flags,
      payloadLength: payload.length,
      ttl,
      ipId: this.ipVersion === 4 ? ipId : 0,
      link: this.opts.link ?? 'ethernet',
    };
    this.previous = side;
    me.lastFrame = frame;
    if (o.captured !== false) this.frames.push(frame);

    if (length > 0 && (o.advance ?? true)) {
      me.lastSent = { seq, flags: o.flags, payload, options };
      if (seq === me.sndNxt) me.sndNxt = u32(seq + length);
    }
    if (o.delivered !== false) {
      // A SYN sets the receiver's rcv.nxt whatever it expected before (RFC 9293 §3.10.7.3).
      if (o.flags & F.SYN) peer.rcvNxt = u32(seq + length);
      else if (length > 0 && seq === peer.rcvNxt) peer.rcvNxt = u32(seq + length);
      if (options?.timestamps) peer.tsRecent = options.timestamps.value;
    }
    return this;
  }
}

function other(side: Side): Side {
  return side === 'client' ? 'server' : 'client';
}

/** Starts a scripted conversation. */
export function tcpConversation(options: ConversationOptions): TcpConversation {
  return new TcpConversation(options);
}

/**
 * The frames of several conversations (or frame lists) in time order, as one capture would hold
 * them (stable for equal times), renumbered 1.. in that order. The inputs are not changed.
 */
export function mergeFrames(...sources: (TcpConversation | readonly SynthFrame[])[]): SynthFrame[] {
  const all = sources.flatMap((s) => (s instanceof TcpConversation ? s.frames : s));
  const sorted = all
    .map((f, i) => [f, i] as const)
    .sort(([a, i], [b, j]) => (a.timestampNs < b.timestampNs ? -1 : a.timestampNs > b.timestampNs ? 1 : i - j));
  return sorted.map(([f], i) => ({ ...f, number: i + 1 }));
}

const linkTypeOf = (frames: readonly SynthFrame[]): number => (frames[0]?.link === 'raw' ? 101 : 1);

/** A pcap file of these frames (link type from the frames unless given; µs unless `nanosecond`). */
export function toPcap(frames: readonly SynthFrame[] | TcpConversation, options: PcapOptions = {}): Uint8Array {
  const list = frames instanceof TcpConversation ? frames.frames : frames;
  return writePcap(list, { linkType: linkTypeOf(list), ...options });
}

/** A pcapng file of these frames: one section, one interface with nanosecond timestamps. */
export function toPcapng(
  frames: readonly SynthFrame[] | TcpConversation,
  options: PcapngFileOptions = {},
): Uint8Array {
  const list = frames instanceof TcpConversation ? frames.frames : frames;
  return writePcapng(list, {
    ...options,
    interfaces: options.interfaces ?? [{ tsresol: 9, linkType: linkTypeOf(list), name: 'synth0' }],
  });
}

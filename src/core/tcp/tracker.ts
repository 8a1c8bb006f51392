import { formatAddress, type DecodedPacket } from '../decode/packet.ts';
import { PacketTable } from '../model/packet-table.ts';
import { PacketMark, TcpFlag, type AppReply, type Connection, type DirectionStats, type Side } from '../model/types.ts';
import { FlowTable } from './flow-table.ts';
import { seqAdd, seqGt, seqLt } from './seq.ts';
import { conversationState, EndpointState, historyLetter, updateEndpoints } from './zeek-state.ts';

const { FIN, SYN, RST, ACK } = TcpFlag;
/** Ports below this are taken as a service when no SYN tells who the client is (as Zeek does). */
const WELL_KNOWN = 1024;

/** Mutable per-direction state while the capture is read. */
class DirState {
  packets = 0;
  bytes = 0;
  ipBytes = 0;
  isn: number | null = null;
  baseSeq: number | null = null;
  nextSeq: number | null = null;
  highestAck: number | null = null;
  lastAck = -1;
  lastWindow = -1;
  synFrame: number | null = null;
  finFrame: number | null = null;
  rstFrames: number[] = [];
  retransmissions = 0;
  keepalives = 0;
  zeroWindows = 0;
  dupAcks = 0;
  ttlMin = 255;
  ttlMax = 0;
  windowScale = -1;
  mss = 0;
  sackPermitted = false;
  timestamps = false;
  zeekState: EndpointState = EndpointState.Inactive;
  /** History letters already recorded, and counters for the repeating ones. */
  lettersSeen = 0;
  tCount = 0;
  wCount = 0;
  lastTimeNs = 0;

  toStats(): DirectionStats {
    return {
      packets: this.packets,
      bytes: this.bytes,
      ipBytes: this.ipBytes,
      isn: this.isn,
      baseSeq: this.baseSeq,
      nextSeq: this.nextSeq,
      highestAck: this.highestAck,
      synFrame: this.synFrame,
      finFrame: this.finFrame,
      rstFrames: this.rstFrames.slice(),
      retransmissions: this.retransmissions,
      keepalives: this.keepalives,
      zeroWindows: this.zeroWindows,
      dupAcks: this.dupAcks,
      ttlMin: this.packets ? this.ttlMin : 0,
      ttlMax: this.ttlMax,
      windowScale: this.windowScale,
      mss: this.mss,
      sackPermitted: this.sackPermitted,
      timestamps: this.timestamps,
    };
  }
}

/** Mutable per-connection state. */
class ConnState {
  /** True when the conversation's endpoint A is the client. */
  clientIsA: boolean;
  readonly client: DirState = new DirState();
  readonly server: DirState = new DirState();
  packets = 0;
  firstFrame: number;
  lastFrame: number;
  startNs: number;
  endNs: number;
  synNs = -1;
  synAckNs = -1;
  ackNs = -1;
  history = '';
  flipped = false;
  appReplies: AppReply[] = [];

  constructor(
    readonly id: number,
    readonly version: 4 | 6,
    readonly clientIp: string,
    readonly clientPort: number,
    readonly serverIp: string,
    readonly serverPort: number,
    clientIsA: boolean,
    frame: number,
    timeNs: number,
  ) {
    this.clientIsA = clientIsA;
    this.firstFrame = this.lastFrame = frame;
    this.startNs = this.endNs = timeNs;
  }
}

/**
 * Follows every TCP connection of a capture: splits 4-tuples into connections where Wireshark starts
 * a new tcp.stream, decides client and server, keeps per-direction counters and Zeek's endpoint
 * states, and writes one row per TCP packet into the packet table.
 */
export class TcpTracker {
  readonly packets = new PacketTable(4096);
  private flows = new FlowTable(1024);
  /** Current connection of each conversation (4-tuple). */
  private convCurrent = new Int32Array(1024);
  readonly conns: ConnState[] = [];

  /** Drop the per-connection working state once the summaries are made (the columns stay). */
  release(): void {
    this.conns.length = 0;
    this.flows = new FlowTable(16);
    this.convCurrent = new Int32Array(16);
  }

  get connectionCount(): number {
    return this.conns.length;
  }

  /** Add one decoded TCP segment. `bytes` holds the frame (for a peek at the payload). */
  add(p: DecodedPacket, bytes: Uint8Array, frame: number, timeNs: number, fileOffset: number, iface: number): void {
    let conv = this.flows.lookup(p.ipVersion, p.src, p.dst, p.srcPort, p.dstPort);
    const srcIsA = this.flows.srcIsA;
    const flags = p.flags;
    let c: ConnState | undefined;
    if (conv < 0) {
      conv = this.flows.insert();
      if (conv >= this.convCurrent.length) {
        const next = new Int32Array(this.convCurrent.length * 2);
        next.set(this.convCurrent);
        this.convCurrent = next;
      }
    } else {
      c = this.conns[this.convCurrent[conv]!];
      if (c && this.startsNewStream(c, p, srcIsA)) c = undefined;
    }
    if (!c) {
      c = this.open(p, srcIsA, frame, timeNs);
      this.convCurrent[conv] = c.id;
    }
    const fromClient = srcIsA === c.clientIsA;
    const d = fromClient ? c.client : c.server;
    const peer = fromClient ? c.server : c.client;

    // Packet row.
    const t = this.packets;
    const row = t.push();
    const cols = t.cols;
    cols.frame[row] = frame;
    cols.conn[row] = c.id;
    cols.fileOffset[row] = fileOffset;
    cols.iface[row] = iface;
    cols.timeNs[row] = timeNs;
    cols.seq[row] = p.seq;
    cols.ack[row] = p.ack;
    cols.flags[row] = flags;
    cols.payloadLen[row] = p.payloadLength;
    cols.window[row] = p.window;
    cols.ttl[row] = p.ttl;
    cols.ipId[row] = p.ipId;
    cols.fromClient[row] = fromClient ? 1 : 0;

    // Connection-level counters.
    c.packets++;
    c.lastFrame = frame;
    if (timeNs > c.endNs) c.endNs = timeNs;
    d.packets++;
    d.bytes += p.payloadLength;
    d.ipBytes += p.ipLength;
    if (p.ttl < d.ttlMin) d.ttlMin = p.ttl;
    if (p.ttl > d.ttlMax) d.ttlMax = p.ttl;
    if (p.hasTimestamps) d.timestamps = true;

    // Sequence analysis, as Wireshark's tcp.analysis.* (marks), before this segment moves nextSeq.
    const len = p.payloadLength;
    const seqSpace = len + (flags & SYN ? 1 : 0) + (flags & FIN ? 1 : 0);
    let marks = 0;
    if (d.nextSeq !== null && !(flags & (SYN | FIN | RST)) && len <= 1 && p.seq === seqAdd(d.nextSeq, -1) >>> 0) {
      marks |= PacketMark.keepalive;
      d.keepalives++;
    } else if (d.nextSeq !== null && seqSpace > 0 && !(flags & RST) && seqLt(p.seq, d.nextSeq)) {
      marks |= PacketMark.retransmission;
      d.retransmissions++;
      // Zeek's history counts retransmitted data only.
      if (len > 0) {
        if (d.tCount === 0 || isPowerOfTen(d.tCount + 1)) this.letter(c, fromClient, 'T');
        d.tCount++;
      }
    }
    if (p.window === 0 && !(flags & (SYN | FIN | RST))) {
      marks |= PacketMark.zeroWindow;
      d.zeroWindows++;
      if (d.wCount === 0 || isPowerOfTen(d.wCount + 1)) this.letter(c, fromClient, 'W');
      d.wCount++;
    }
    if (flags & ACK && len === 0 && !(flags & (SYN | FIN | RST)) && p.ack === d.lastAck && p.window === d.lastWindow && !(marks & PacketMark.keepalive)) {
      if (peer.nextSeq !== null && p.ack !== peer.nextSeq) {
        marks |= PacketMark.dupAck;
        d.dupAcks++;
      }
    }
    // A segment beyond what the receiver advertised is out of its window.
    if (seqSpace > 0 && peer.highestAck !== null && peer.lastWindow >= 0 && !(flags & SYN)) {
      const scale = peer.windowScale >= 0 && d.windowScale >= 0 ? peer.windowScale : 0;
      const right = seqAdd(peer.highestAck, peer.lastWindow * 2 ** scale);
      if (seqGt(p.seq, right) || seqLt(seqAdd(p.seq, seqSpace), peer.highestAck)) {
        if (!(marks & PacketMark.retransmission)) marks |= PacketMark.outOfWindow;
      }
    }
    cols.marks[row] = marks;

    // Direction state.
    if (flags & SYN) {
      if (d.synFrame === null) d.synFrame = frame;
      d.isn = p.seq;
      if (d.baseSeq === null || !(flags & ACK)) d.baseSeq = p.seq;
      if (p.windowScale >= 0) d.windowScale = p.windowScale;
      if (p.mss) d.mss = p.mss;
      if (p.sackPermitted) d.sackPermitted = true;
      if (flags & ACK) {
        if (c.synAckNs < 0) c.synAckNs = timeNs;
      } else if (c.synNs < 0) c.synNs = timeNs;
    } else if (d.baseSeq === null) {
      d.baseSeq = seqAdd(p.seq, -1);
    }
    const end = seqAdd(p.seq, seqSpace);
    if (d.nextSeq === null || seqGt(end, d.nextSeq)) d.nextSeq = end;
    if (flags & ACK) {
      if (d.highestAck === null || seqGt(p.ack, d.highestAck)) d.highestAck = p.ack;
      if (c.ackNs < 0 && c.synAckNs >= 0 && !(flags & SYN) && fromClient) c.ackNs = timeNs;
    }
    if (!(flags & RST)) {
      d.lastAck = p.ack;
      d.lastWindow = p.window;
    }
    if (flags & FIN && d.finFrame === null) d.finFrame = frame;
    if (flags & RST) d.rstFrames.push(frame);
    d.lastTimeNs = timeNs;

    // Zeek's endpoint states and history.
    updateEndpoints(fromClient ? c.client : c.server, fromClient ? c.server : c.client, flags, len);
    if (flags & SYN) this.letter(c, fromClient, flags & ACK ? 'H' : 'S');
    if (flags & FIN) this.letter(c, fromClient, 'F');
    if (flags & RST) this.letter(c, fromClient, 'R');
    if (len > 0) this.letter(c, fromClient, 'D');
    else if (flags & ACK && !(flags & (SYN | FIN | RST))) this.letter(c, fromClient, 'A');

    if (len > 0 && p.payloadCaptured > 0) this.peekReply(c, bytes, p, frame, fromClient);
  }

  /**
   * Wireshark starts a new tcp.stream on a conversation when a SYN (without ACK) arrives whose
   * sequence number differs from the base sequence its sender used before (port reuse).
   */
  private startsNewStream(c: ConnState, p: DecodedPacket, srcIsA: boolean): boolean {
    if ((p.flags & (SYN | ACK)) !== SYN) return false;
    const d = srcIsA === c.clientIsA ? c.client : c.server;
    if (d.baseSeq === null) return false;
    return p.seq !== (d.isn ?? d.baseSeq);
  }

  private open(p: DecodedPacket, srcIsA: boolean, frame: number, timeNs: number): ConnState {
    const flags = p.flags;
    // Client: the SYN's sender; the SYN-ACK's receiver; else the first sender, unless it speaks
    // from a well-known port to an ephemeral one (then it is the server, as Zeek flips it).
    let senderIsClient = true;
    let flipped = false;
    if ((flags & (SYN | ACK)) === (SYN | ACK)) {
      senderIsClient = false;
      flipped = true;
    } else if (!(flags & SYN) && p.srcPort < WELL_KNOWN && p.dstPort >= WELL_KNOWN) {
      senderIsClient = false;
      flipped = true;
    }
    const src = formatAddress(p.ipVersion, p.src);
    const dst = formatAddress(p.ipVersion, p.dst);
    const c = senderIsClient
      ? new ConnState(this.conns.length, p.ipVersion, src, p.srcPort, dst, p.dstPort, srcIsA, frame, timeNs)
      : new ConnState(this.conns.length, p.ipVersion, dst, p.dstPort, src, p.srcPort, !srcIsA, frame, timeNs);
    if (flipped) {
      c.flipped = true;
      c.history = '^';
    }
    this.conns.push(c);
    return c;
  }

  private letter(c: ConnState, fromClient: boolean, upper: string): void {
    const d = fromClient ? c.client : c.server;
    const bit = historyLetter(upper);
    if (upper !== 'T' && upper !== 'W') {
      if (d.lettersSeen & bit) return;
      d.lettersSeen |= bit;
    }
    c.history += fromClient ? upper : upper.toLowerCase();
  }

  /** Remember application reply lines (HTTP status, FTP/SMTP codes, POP3 +OK/-ERR). */
  private peekReply(c: ConnState, bytes: Uint8Array, p: DecodedPacket, frame: number, fromClient: boolean): void {
    const o = p.payloadOffset;
    const n = Math.min(p.payloadCaptured, 160);
    const b0 = bytes[o] ?? 0;
    let reply: AppReply | null = null;
    const from: Side = fromClient ? 'client' : 'server';
    if (b0 === 0x48 /* H */ && n >= 12 && matches(bytes, o, 'HTTP/1.') && bytes[o + 8] === 0x20) {
      const code = digits3(bytes, o + 9);
      if (code > 0) reply = { frame, from, protocol: 'http', code, text: lineText(bytes, o, n) };
    } else if (n >= 4 && isDigit(b0) && (bytes[o + 3] === 0x20 || bytes[o + 3] === 0x2d || bytes[o + 3] === 0x0d)) {
      const code = digits3(bytes, o);
      if (code >= 100 && code < 600) reply = { frame, from, protocol: 'ftp-smtp', code, text: lineText(bytes, o, n) };
    } else if (n >= 3 && (matches(bytes, o, '+OK') || matches(bytes, o, '-ERR'))) {
      reply = { frame, from, protocol: 'pop3', code: b0 === 0x2b ? 0 : 1, text: lineText(bytes, o, n) };
    }
    if (!reply) return;
    const i = c.appReplies.findIndex((r) => r.from === from);
    if (i >= 0) c.appReplies[i] = reply;
    else c.appReplies.push(reply);
  }

  /** Connection summaries (state and history as of now). Times are relative to `originNs`. */
  summarize(c: ConnState): Connection {
    const client = c.client;
    const server = c.server;
    const state = conversationState(client.zeekState, server.zeekState, client.bytes, server.bytes, c.history);
    const ns = 1e-9;
    return {
      id: c.id,
      client: { ip: c.clientIp, port: c.clientPort },
      server: { ip: c.serverIp, port: c.serverPort },
      ipVersion: c.version,
      firstFrame: c.firstFrame,
      lastFrame: c.lastFrame,
      start: c.startNs * ns,
      end: c.endNs * ns,
      packets: c.packets,
      bytes: { client: client.bytes, server: server.bytes },
      state,
      history: c.history,
      resets: [],
      handshake: {
        synToSynAck: c.synNs >= 0 && c.synAckNs >= 0 ? (c.synAckNs - c.synNs) * ns : null,
        synAckToAck: c.synAckNs >= 0 && c.ackNs >= 0 ? (c.ackNs - c.synAckNs) * ns : null,
      },
      maxIdle: 0,
      medianGap: 0,
      dir: { client: client.toStats(), server: server.toStats() },
      appReplies: c.appReplies.slice(),
    };
  }
}

function isPowerOfTen(n: number): boolean {
  while (n >= 10 && n % 10 === 0) n /= 10;
  return n === 1;
}

function isDigit(b: number): boolean {
  return b >= 0x30 && b <= 0x39;
}

function digits3(bytes: Uint8Array, o: number): number {
  const a = bytes[o] ?? 0;
  const b = bytes[o + 1] ?? 0;
  const c = bytes[o + 2] ?? 0;
  if (!isDigit(a) || !isDigit(b) || !isDigit(c)) return 0;
  return (a - 48) * 100 + (b - 48) * 10 + (c - 48);
}

function matches(bytes: Uint8Array, o: number, text: string): boolean {
  for (let i = 0; i < text.length; i++) if (bytes[o + i] !== text.charCodeAt(i)) return false;
  return true;
}

/** The first line of a payload, printable ASCII only, at most 120 characters. */
export function lineText(bytes: Uint8Array, o: number, n: number): string {
  let s = '';
  for (let i = o; i < o + n && s.length < 120; i++) {
    const b = bytes[i] ?? 0;
    if (b === 0x0d || b === 0x0a) break;
    s += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
  }
  return s;
}

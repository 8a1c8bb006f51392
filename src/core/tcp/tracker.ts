import { AppCollector } from '../app/collector.ts';
import { formatAddress, type DecodedPacket } from '../decode/packet.ts';
import { FROM_CLIENT, PacketTable } from '../model/packet-table.ts';
import { resized } from '../model/columns.ts';
import { PacketMark, TcpFlag, type AppReply, type Side } from '../model/types.ts';
import { ConnectionTable, DirOption, dirIndex, type RstRecord } from './connection-table.ts';
import { FlowTable, WordIndex } from './flow-table.ts';
import { historyLetter, LETTER, updateEndpoints } from './zeek-state.ts';

const { FIN, SYN, RST, ACK } = TcpFlag;
/** Ports below this are taken as a service when no SYN tells who the client is (as Zeek does). */
const WELL_KNOWN = 1024;

/**
 * Follows every TCP connection of a capture: splits 4-tuples into connections where Wireshark starts
 * a new tcp.stream, decides client and server, keeps per-direction counters and Zeek's endpoint
 * states, and writes one row per TCP packet into the packet table.
 */
export class TcpTracker {
  readonly packets = new PacketTable(4096);
  readonly state = new ConnectionTable(1024);
  /** Application context of each connection (src/core/app), read by `state.get`. */
  readonly app = new AppCollector();

  constructor() {
    this.state.apps = this.app;
  }
  private flows = new FlowTable(1024);
  /** Host index of each IPv4 address seen, so a new connection does not format its addresses. */
  private v4Hosts = new WordIndex(256);
  /** Current connection of each conversation (4-tuple). */
  private convCurrent = new Int32Array(1024);
  /** RSTs waiting for their sender's next packet that is not a RST, by direction. */
  private awaitingNext = new Map<number, RstRecord[]>();

  /** Drop the flow table once the capture is read (connection state and packet columns stay). */
  release(): void {
    this.awaitingNext = new Map();
    this.app.seal((id) => this.state.appContext(id));
    this.flows = new FlowTable(16);
    this.v4Hosts = new WordIndex(16);
    this.convCurrent = new Int32Array(16);
  }

  /** Time and file offset of the segment being added (see `add`). */
  private timeNs = 0.5;
  private fileOffset = 0.5;

  /** Add one decoded TCP segment. `bytes` holds the frame (for a peek at the payload). */
  add(p: DecodedPacket, bytes: Uint8Array, frame: number, timeNs: number, fileOffset: number, iface: number): void {
    // Small enough to be inlined by its caller: the two values that are not small integers go on
    // in fields updated in place, where as arguments of a call V8 would box them on every packet.
    this.timeNs = timeNs;
    this.fileOffset = fileOffset;
    this.addSegment(p, bytes, frame, iface);
  }

  /**
   * The work of `add`. Hot: the mod-2^32 comparisons of seq.ts are written out here, because a
   * function this large uses up the compiler's inlining budget and a call with sequence numbers
   * (past 2^31, not small integers) as arguments allocates.
   */
  private addSegment(p: DecodedPacket, bytes: Uint8Array, frame: number, iface: number): void {
    const timeNs = this.timeNs;
    let conv = this.flows.lookup(p.ipVersion, p.src, p.dst, p.srcPort, p.dstPort);
    const srcIsA = this.flows.srcIsA;
    const flags = p.flags;
    const S = this.state;
    let id = -1;
    if (conv < 0) {
      conv = this.flows.insert();
      if (conv >= this.convCurrent.length) {
        this.convCurrent = resized(this.convCurrent, this.convCurrent.length * 2);
      }
    } else {
      id = this.convCurrent[conv]!;
      if ((flags & (SYN | ACK)) === SYN && this.startsNewStream(id, p, srcIsA)) id = -1;
    }
    if (id < 0) {
      id = this.open(p, srcIsA, frame, timeNs);
      this.convCurrent[conv] = id;
    }
    const C = S.conn;
    const D = S.dir;
    const G = S.reading!;
    const fromClient = srcIsA === (C.clientIsA[id] === 1);
    const d = dirIndex(id, fromClient);
    const peer = dirIndex(id, !fromClient);
    const seq = p.seq;
    const ack = p.ack;
    const window = p.window;
    const len = p.payloadLength;
    const ttl = p.ttl;

    // Packet row.
    const t = this.packets;
    const row = t.push();
    const cols = t.cols;
    cols.frame[row] = frame;
    cols.conn[row] = id;
    cols.fileOffset[row] = this.fileOffset;
    cols.iface[row] = iface;
    cols.timeNs[row] = timeNs;
    cols.seq[row] = seq;
    cols.ack[row] = ack;
    cols.flags[row] = fromClient ? flags | FROM_CLIENT : flags;
    cols.payloadLen[row] = len;
    cols.window[row] = window;

    // Connection-level counters.
    C.packets[id]!++;
    C.lastFrame[id] = frame;
    if (timeNs > C.endNs[id]!) C.endNs[id] = timeNs;
    D.packets[d]!++;
    D.bytes[d]! += len;
    D.ipBytes[d]! += p.ipLength;
    if (ttl < D.ttlMin[d]!) D.ttlMin[d] = ttl;
    if (ttl > D.ttlMax[d]!) D.ttlMax[d] = ttl;
    if (p.hasTimestamps) D.options[d]! |= DirOption.timestamps;
    if (flags & RST || D.options[d]! & DirOption.rstAwaitingNext) this.ipFacts(d, p, frame);
    else this.ipFactsNotRst(d, p, frame);

    // Sequence analysis, as Wireshark's tcp.analysis.* (marks), before this segment moves nextSeq.
    const seqSpace = len + (flags & SYN ? 1 : 0) + (flags & FIN ? 1 : 0);
    const nextSeq = D.nextSeq[d]!;
    let marks = 0;
    if (nextSeq >= 0 && !(flags & (SYN | FIN | RST)) && len <= 1 && seq === (nextSeq - 1) >>> 0) {
      marks |= PacketMark.keepalive;
      D.keepalives[d]!++;
    } else if (nextSeq >= 0 && seqSpace > 0 && !(flags & RST) && ((seq - nextSeq) | 0) < 0) {
      marks |= PacketMark.retransmission;
      D.retransmissions[d]!++;
      // Zeek's history counts retransmitted data only.
      if (len > 0) {
        const n = G.tCount[d]!;
        if (n === 0 || isPowerOfTen(n + 1)) this.letter(id, fromClient, 'T');
        G.tCount[d] = n + 1;
      }
    }
    if (window === 0 && !(flags & (SYN | FIN | RST))) {
      marks |= PacketMark.zeroWindow;
      D.zeroWindows[d]!++;
      const n = G.wCount[d]!;
      if (n === 0 || isPowerOfTen(n + 1)) this.letter(id, fromClient, 'W');
      G.wCount[d] = n + 1;
    }
    // A segment past the highest sequence so far: the bytes between were not captured (RSTs aside, as
    // in Wireshark; a SYN starts a sequence space, as Wireshark's new session on reused ports does).
    if (nextSeq >= 0 && !(flags & (RST | SYN)) && ((seq - nextSeq) | 0) > 0) {
      marks |= PacketMark.lostSegment;
      if (G.gaps[d]! === 0) G.gapFrame[d] = frame;
      G.gaps[d]!++;
      G.gapBytes[d]! += (seq - nextSeq) >>> 0;
    }
    // An ACK beyond what the peer sent without a gap acknowledges bytes the capture does not hold.
    // Marked once until the peer's own ACK moves (Wireshark keeps that latch in the peer's dup-ACK count).
    const lastAck = D.lastAck[d]!;
    if (ack !== lastAck) D.options[d]! &= ~DirOption.ackedUnseenLatch;
    const peerMax = G.maxSeqToBeAcked[peer]!;
    if (flags & ACK && peerMax >= 0 && ((ack - peerMax) | 0) > 0 && !(D.options[peer]! & DirOption.ackedUnseenLatch)) {
      marks |= PacketMark.ackedUnseen;
      if (G.ackedUnseen[d]! === 0) G.ackedUnseenFrame[d] = frame;
      G.ackedUnseen[d]!++;
      D.options[peer]! |= DirOption.ackedUnseenLatch;
    }
    if (len > p.payloadCaptured && !p.reassembled) {
      if (G.snapCut[d]! === 0) G.snapCutFrame[d] = frame;
      G.snapCut[d]!++;
    }
    if (flags & ACK && len === 0 && !(flags & (SYN | FIN | RST)) && ack === lastAck && window === G.lastWindow[d] && !(marks & PacketMark.keepalive)) {
      const peerNext = D.nextSeq[peer]!;
      if (peerNext >= 0 && ack !== peerNext) {
        marks |= PacketMark.dupAck;
        D.options[d]! |= DirOption.ackedUnseenLatch;
        D.dupAcks[d]!++;
      }
    }
    // A segment beyond what the receiver advertised is out of its window.
    const peerAck = D.highestAck[peer]!;
    const peerWindow = G.lastWindow[peer]!;
    if (seqSpace > 0 && peerAck >= 0 && peerWindow >= 0 && !(flags & SYN)) {
      const scale = D.windowScale[peer]! >= 0 && D.windowScale[d]! >= 0 ? D.windowScale[peer]! : 0;
      const right = (peerAck + peerWindow * 2 ** scale) >>> 0;
      const pastRight = ((seq - right) | 0) > 0;
      if (pastRight && seq === nextSeq) {
        // In sequence past the last window the capture shows: the sender saw ACKs opening it that
        // the capture lacks (one-sided capture), not a segment outside the receiver's window.
        G.beyondWindow[d]!++;
      } else if (pastRight || ((((seq + seqSpace) >>> 0) - peerAck) | 0) < 0) {
        if (!(marks & PacketMark.retransmission)) marks |= PacketMark.outOfWindow;
      }
    }
    cols.marks[row] = marks;

    // Direction state.
    if (flags & SYN) {
      if (D.synFrame[d] === 0) D.synFrame[d] = frame;
      D.isn[d] = seq;
      if (D.baseSeq[d]! < 0 || !(flags & ACK)) D.baseSeq[d] = seq;
      if (p.windowScale >= 0) D.windowScale[d] = p.windowScale;
      if (p.mss) D.mss[d] = p.mss;
      if (p.sackPermitted) D.options[d]! |= DirOption.sackPermitted;
      if (flags & ACK) {
        if (C.synAckNs[id]! < 0) C.synAckNs[id] = timeNs;
      } else if (C.synNs[id]! < 0) C.synNs[id] = timeNs;
    } else if (D.baseSeq[d]! < 0) {
      D.baseSeq[d] = (seq - 1) >>> 0;
    }
    const end = (seq + seqSpace) >>> 0;
    if (nextSeq < 0 || ((end - nextSeq) | 0) > 0) D.nextSeq[d] = end;
    // Wireshark's "max seq to be acked" moves only with segments that continue it.
    const maxToAck = G.maxSeqToBeAcked[d]!;
    if (flags & SYN) G.maxSeqToBeAcked[d] = end;
    else if (maxToAck < 0 || seq === maxToAck) G.maxSeqToBeAcked[d] = D.nextSeq[d]!;
    if (flags & ACK) {
      const highest = D.highestAck[d]!;
      if (highest < 0 || ((ack - highest) | 0) > 0) D.highestAck[d] = ack;
      if (C.ackNs[id]! < 0 && C.synAckNs[id]! >= 0 && !(flags & SYN) && fromClient) C.ackNs[id] = timeNs;
    }
    if (!(flags & RST)) {
      D.lastAck[d] = ack;
      G.lastWindow[d] = window;
    }
    if (flags & FIN && D.finFrame[d] === 0) D.finFrame[d] = frame;
    if (flags & RST) S.addRst(d, frame);

    // Zeek's endpoint states and history (most letters once per direction: checked here, cheaply).
    updateEndpoints(D.zeekState, d, peer, flags, len);
    const seen = G.lettersSeen[d]!;
    if (flags & SYN) {
      if (flags & ACK) {
        if (!(seen & LETTER.H)) this.letter(id, fromClient, 'H');
      } else if (!(seen & LETTER.S)) this.letter(id, fromClient, 'S');
    }
    if (flags & FIN && !(seen & LETTER.F)) this.letter(id, fromClient, 'F');
    if (flags & RST && !(seen & LETTER.R)) this.letter(id, fromClient, 'R');
    if (len > 0) {
      if (!(seen & LETTER.D)) this.letter(id, fromClient, 'D');
    } else if (flags & ACK && !(flags & (SYN | FIN | RST)) && !(seen & LETTER.A)) this.letter(id, fromClient, 'A');

    if (len > 0 && p.payloadCaptured > 0) {
      this.peekReply(id, bytes, p, frame, fromClient);
      if (this.app.follows(id)) this.app.segment(id, fromClient, bytes, p.payloadOffset, p.payloadCaptured, len, seq, frame, C.serverPort[id]!);
    }
  }

  /**
   * TTL and IP ID are not kept per packet: what the classifier compares a reset with is gathered
   * here instead, per direction (the range and IP ID counter of packets that are not RSTs) and per
   * RST (its own, the sender's IP ID before it, the TTL of the sender's next packet).
   */
  private ipFacts(d: number, p: DecodedPacket, frame: number): void {
    const S = this.state;
    const D = S.dir;
    if (p.flags & RST) {
      const lastIpId = D.ipIdCount[d] ? D.ipIdLast[d]! : -1;
      const lastIpIdFrame = S.reading!.ipIdLastFrame[d]!;
      const waiting = this.awaitingNext.get(d);
      // A RST equal to the one before it from the same side, with nothing else from that side in
      // between, shares its record (a flood of a million identical RSTs keeps one, not a million).
      const prev = waiting?.[waiting.length - 1];
      if (prev && prev.ttl === p.ttl && prev.ipId === p.ipId && prev.lastIpId === lastIpId && prev.lastIpIdFrame === lastIpIdFrame) {
        S.rstRecords.set(frame, prev);
        return;
      }
      const record = { ttl: p.ttl, ipId: p.ipId, lastIpId, lastIpIdFrame, nextTtl: -1 };
      S.rstRecords.set(frame, record);
      if (waiting) waiting.push(record);
      else {
        this.awaitingNext.set(d, [record]);
        D.options[d]! |= DirOption.rstAwaitingNext;
      }
      return;
    }
    this.ipFactsNotRst(d, p, frame);
    const waiting = this.awaitingNext.get(d);
    if (waiting) {
      for (const r of waiting) r.nextTtl = p.ttl;
      this.awaitingNext.delete(d);
      D.options[d]! &= ~DirOption.rstAwaitingNext;
    }
  }

  /** `ipFacts` of a packet that is not a RST, but for the RSTs awaiting it. */
  private ipFactsNotRst(d: number, p: DecodedPacket, frame: number): void {
    const S = this.state;
    const D = S.dir;
    const ttl = p.ttl;
    if (ttl < D.otherTtlMin[d]!) D.otherTtlMin[d] = ttl;
    if (ttl > D.otherTtlMax[d]!) D.otherTtlMax[d] = ttl;
    if (p.payloadLength === 0) {
      if (ttl < D.ctlTtlMin[d]!) D.ctlTtlMin[d] = ttl;
      if (ttl > D.ctlTtlMax[d]!) D.ctlTtlMax[d] = ttl;
      D.ctlPackets[d]!++;
    }
    if (p.ipId !== 0) {
      if (D.ipIdCount[d] === 0) D.ipIdFirst[d] = p.ipId;
      D.ipIdCount[d]!++;
      D.ipIdLast[d] = p.ipId;
      S.reading!.ipIdLastFrame[d] = frame;
    }
  }

  /**
   * Wireshark starts a new tcp.stream on a conversation when a SYN (without ACK) arrives whose
   * sequence number differs from the base sequence its sender used before (port reuse).
   */
  private startsNewStream(id: number, p: DecodedPacket, srcIsA: boolean): boolean {
    if ((p.flags & (SYN | ACK)) !== SYN) return false;
    const D = this.state.dir;
    const d = dirIndex(id, srcIsA === (this.state.conn.clientIsA[id] === 1));
    if (D.baseSeq[d]! < 0) return false;
    return p.seq !== (D.isn[d]! >= 0 ? D.isn[d] : D.baseSeq[d]);
  }

  private open(p: DecodedPacket, srcIsA: boolean, frame: number, timeNs: number): number {
    const flags = p.flags;
    // Client: the SYN's sender; the SYN-ACK's receiver; else the first sender, unless it speaks
    // from a well-known port to an ephemeral one (then it is the server, as Zeek flips it).
    let senderIsClient = true;
    if ((flags & (SYN | ACK)) === (SYN | ACK)) senderIsClient = false;
    else if (!(flags & SYN) && p.srcPort < WELL_KNOWN && p.dstPort >= WELL_KNOWN) senderIsClient = false;
    const S = this.state;
    const id = S.open();
    const C = S.conn;
    const src = this.hostOf(p.ipVersion, p.src);
    const dst = this.hostOf(p.ipVersion, p.dst);
    C.ipVersion[id] = p.ipVersion;
    C.clientIsA[id] = senderIsClient === srcIsA ? 1 : 0;
    C.clientHost[id] = senderIsClient ? src : dst;
    C.clientPort[id] = senderIsClient ? p.srcPort : p.dstPort;
    C.serverHost[id] = senderIsClient ? dst : src;
    C.serverPort[id] = senderIsClient ? p.dstPort : p.srcPort;
    C.firstFrame[id] = C.lastFrame[id] = frame;
    C.startNs[id] = C.endNs[id] = timeNs;
    if (!senderIsClient) S.history[id] = '^';
    return id;
  }

  /** Index of an address in the table's hosts (registered there on first sight, in packet order). */
  private hostOf(version: 4 | 6, words: Uint32Array): number {
    if (version === 6) return this.state.hosts.of(formatAddress(6, words));
    const word = words[0]!;
    let host = this.v4Hosts.get(word);
    if (host < 0) {
      host = this.state.hosts.of(formatAddress(4, words));
      this.v4Hosts.set(word, host);
    }
    return host;
  }

  private letter(id: number, fromClient: boolean, upper: string): void {
    const seen = this.state.reading!.lettersSeen;
    const d = dirIndex(id, fromClient);
    const bit = historyLetter(upper);
    if (upper !== 'T' && upper !== 'W') {
      if (seen[d]! & bit) return;
      seen[d]! |= bit;
    }
    this.state.history[id] += fromClient ? upper : upper.toLowerCase();
  }

  /** Remember application reply lines (HTTP status, FTP/SMTP codes, POP3 +OK/-ERR). */
  private peekReply(id: number, bytes: Uint8Array, p: DecodedPacket, frame: number, fromClient: boolean): void {
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
    if (reply) this.state.setReply(dirIndex(id, fromClient), reply);
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

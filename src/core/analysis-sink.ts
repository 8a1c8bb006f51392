/**
 * The record sink of an analysis: every frame the format reader hands on is numbered, decoded and
 * given to the TCP tracker; interfaces and warnings are collected. `finish` turns it into the result.
 */
import type { AnalysisResult, AnalyzeOptions } from './analyze-api.ts';
import type { FrameRecord, RecordSink } from './capture/sink.ts';
import { PacketDecoder, Skip, SKIP_NAMES, type DecodedPacket } from './decode/packet.ts';
import { TcpFlag, type InterfaceInfo, type Report, type Warning, type WarningCode } from './model/types.ts';
import { MAX_ORIGINAL_FRAME } from './capture/frame-comments.ts';
import { parseSharedLink, type SharedLinkRead } from './export/shared-link.ts';
import { sharedStreamOf } from './model/stream-number.ts';
import { fillGaps } from './packet-index.ts';
import { TcpTracker } from './tcp/tracker.ts';

/** Warnings of one kind kept in full; past this they are counted. */
const WARNINGS_PER_CODE = 50;
/**
 * How long before a shared connection's first frame the capture it comes from may have started for
 * times to count from there: 100 days, within which nanoseconds stay exact in a double. A start
 * further back, or after that frame, is not believed: times then count from the first frame.
 */
const MAX_SHARED_START_NS = 100 * 86_400 * 1e9;
/** Bytes of a RST's payload kept as text. */
const RST_TEXT_BYTES = 200;

/** Everything the sink accumulates while the file is read. */
export class AnalysisSink implements RecordSink {
  frames = 0;
  /** The number the last frame was given: `frames`, unless a shared connection renumbers them. */
  private lastFrame = 0;
  /** What the first section's header said about a shared connection (null: nothing). */
  sharedLink: SharedLinkRead | null = null;
  /** Frames of a shared connection that could not keep the number their comment gave. */
  private renumbered = 0;
  /** The first section declares a shared connection: frames take the numbers their comments give. */
  private renumber = false;
  tcpPackets = 0;
  readonly interfaces: InterfaceInfo[] = [];
  private readonly warnings: Warning[] = [];
  private readonly warningCounts = new Map<WarningCode, number>();
  readonly skipped = new Map<number, number>();
  private readonly decoder = new PacketDecoder();
  readonly tracker = new TcpTracker();
  readonly rstPayloadText = new Map<number, string>();
  private originSec = 0;
  private originNsec = 0;
  private haveOrigin = false;
  /** When a shared connection's capture started (its first frame), as its link says. */
  private sharedStart: { sec: number; nsec: number } | null = null;
  private lastProgress = 0;
  private emittedConnections = 0;
  private firstSeenLinkWarning = new Set<number>();
  private warnedMpls = false;

  constructor(
    private readonly opts: AnalyzeOptions,
    private readonly totalBytes: number,
    private readonly started: number,
  ) {}

  interface(info: InterfaceInfo): void {
    this.interfaces.push(info);
  }

  warning(w: Warning): void {
    const n = (this.warningCounts.get(w.code) ?? 0) + 1;
    this.warningCounts.set(w.code, n);
    if (n <= WARNINGS_PER_CODE) this.warnings.push(w);
  }

  sectionComment(text: string): boolean {
    // Only the first section can describe a shared connection; a later one is another capture.
    if (this.frames > 0 || this.sharedLink?.ok) return false;
    const read = parseSharedLink(text);
    if (read) this.sharedLink = read;
    this.renumber = read?.ok === true;
    if (read?.ok && read.meta.start) {
      const [sec, nsec] = read.meta.start.split('.');
      this.sharedStart = { sec: Number(sec), nsec: Number(nsec) };
    }
    return this.renumber;
  }

  frame(r: FrameRecord): void {
    this.frames++;
    const frame = this.renumber ? this.numberOf(r.originalFrame) : ++this.lastFrame;
    const iface = this.interfaces[r.interfaceId];
    if (!iface) {
      this.skip(Skip.empty);
      return;
    }
    if (!this.haveOrigin) {
      this.haveOrigin = true;
      // A shared connection's times count from the start of the capture it was shared from.
      const start = this.sharedStart;
      const before = start ? (r.tsSec - start.sec) * 1e9 + (r.tsNsec - start.nsec) : -1;
      const useStart = start !== null && before >= 0 && before <= MAX_SHARED_START_NS;
      this.originSec = useStart ? start.sec : r.tsSec;
      this.originNsec = useStart ? start.nsec : r.tsNsec;
    }
    const p = this.decoder.decode(r.bytes, r.view, r.offset, r.caplen, iface.linkType);
    this.track(p, frame, iface, r.bytes, r.tsSec, r.tsNsec, r.recordOffset, r.interfaceId);
  }

  /**
   * A frame decoded elsewhere (a worker thread, src/core/parallel): numbered and tracked here as
   * `frame` does. `bytes` holds the frame at the offsets `p` names.
   */
  decodedFrame(p: DecodedPacket, bytes: Uint8Array, tsSec: number, tsNsec: number, recordOffset: number, interfaceId: number, originalFrame: number): void {
    this.frames++;
    const frame = this.renumber ? this.numberOf(originalFrame) : ++this.lastFrame;
    const iface = this.interfaces[interfaceId];
    if (!iface) {
      this.skip(Skip.empty);
      return;
    }
    if (!this.haveOrigin) {
      this.haveOrigin = true;
      this.originSec = tsSec;
      this.originNsec = tsNsec;
    }
    this.track(p, frame, iface, bytes, tsSec, tsNsec, recordOffset, interfaceId);
  }

  private track(p: DecodedPacket, frame: number, iface: InterfaceInfo, bytes: Uint8Array, tsSec: number, tsNsec: number, recordOffset: number, interfaceId: number): void {
    const timeNs = (tsSec - this.originSec) * 1e9 + (tsNsec - this.originNsec);
    if (p.skip !== Skip.none) {
      this.skip(p.skip);
      if (p.dnsEnd > p.dnsOffset) this.tracker.app.dns(bytes, p.dnsOffset, p.dnsEnd);
      if (p.skip === Skip.unsupportedLink && !this.firstSeenLinkWarning.has(iface.linkType)) {
        this.firstSeenLinkWarning.add(iface.linkType);
        this.warning({ frame, offset: recordOffset, code: 'unsupported-link', message: `frames on ${iface.linkTypeName} (link type ${iface.linkType}) are not decoded; they keep their numbers` });
      } else if (p.skip === Skip.mplsNotIp && !this.warnedMpls) {
        this.warnedMpls = true;
        this.warning({ frame, offset: recordOffset, code: 'unsupported-encapsulation', message: `frame ${frame}: MPLS payload that is not IP (a pseudowire or other) is not decoded; such frames are counted, not analysed` });
      } else if (p.skip === Skip.malformed) {
        this.warning({ frame, offset: recordOffset, code: 'malformed-packet', message: `frame ${frame}: malformed IP or TCP header; counted, not analysed` });
      }
      return;
    }
    this.tcpPackets++;
    this.tracker.add(p, bytes, frame, timeNs, recordOffset, interfaceId);
    if (p.flags & TcpFlag.RST && p.payloadCaptured > 0) {
      this.rstPayloadText.set(frame, rstPayloadText(bytes, p.payloadOffset, Math.min(p.payloadCaptured, RST_TEXT_BYTES)));
    }
  }

  /**
   * A frame's number: the next one, or the number a shared connection's comment gives, when it is
   * past the last one (so numbers always ascend, whatever a hostile file says).
   */
  private numberOf(original: number): number {
    let n = this.lastFrame + 1;
    if (original > this.lastFrame && original <= MAX_ORIGINAL_FRAME) n = original;
    else this.renumbered++;
    this.lastFrame = n;
    return n;
  }

  private skip(reason: number): void {
    this.skipped.set(reason, (this.skipped.get(reason) ?? 0) + 1);
  }

  progress(bytesRead: number, force = false): void {
    const now = Date.now();
    if (!force && now - this.lastProgress < (this.opts.progressInterval ?? 100)) return;
    this.lastProgress = now;
    const table = this.tracker.state;
    const count = table.length;
    if (this.opts.onConnections && count > this.emittedConnections) {
      const from = this.emittedConnections;
      this.emittedConnections = count;
      this.opts.onConnections(table, from, count);
    }
    this.opts.onProgress?.({
      bytesRead: Math.min(bytesRead, this.totalBytes),
      totalBytes: this.totalBytes,
      packets: this.frames,
      connections: count,
      elapsed: (now - this.started) / 1000,
    });
  }

  finish(file: Report['file']): AnalysisResult {
    const table = this.tracker.state;
    const { packets, connStart } = this.tracker.packets.grouped(table.length, table.conn.packets);
    this.tracker.release();
    table.trim();
    fillGaps(table.conn, packets, connStart);
    for (const [code, n] of this.warningCounts) {
      if (n > WARNINGS_PER_CODE) {
        this.warnings.push({ code, message: `${n - WARNINGS_PER_CODE} more warnings of this kind (${code}) not listed` });
      }
    }
    if (this.renumbered > 0) {
      this.warnings.push({
        code: 'shared-link',
        message: `${this.renumbered} frame${this.renumbered === 1 ? '' : 's'} of this shared connection did not give a frame number after the previous one; numbered after it`,
      });
    }
    const skipped: Record<string, number> = {};
    for (const [reason, n] of this.skipped) skipped[SKIP_NAMES[reason] ?? String(reason)] = n;
    // The last packet's time: each connection's latest is kept, so no pass over every packet's.
    let duration = 0;
    if (packets.frame.length > 0) {
      let max = 0;
      const endNs = table.conn.endNs;
      for (let id = 0; id < table.length; id++) max = Math.max(max, endNs[id]!);
      duration = max / 1e9;
    }
    const report: Report = {
      file,
      interfaces: this.interfaces,
      packets: this.frames,
      tcpPackets: this.tcpPackets,
      firstTime: this.haveOrigin ? `${this.originSec}.${String(this.originNsec).padStart(9, '0')}` : null,
      duration,
      findings: [],
      summary: { resets: 0, byScenario: {}, bySeverity: { normal: 0, problem: 0, suspicious: 0 }, verdict: '' },
      warnings: this.warnings,
      skipped,
    };
    const link = this.sharedLink;
    if (link?.ok) {
      const { file, fingerprint, frames, stream, omitted } = link.meta;
      report.shared = { file, fingerprint, frames, stream, omitted };
      table.sharedStream = sharedStreamOf(report.shared, table.length);
    } else if (link) {
      this.warnings.push({
        offset: 0,
        code: 'shared-link',
        message:
          link.reason === 'version'
            ? `this capture is a shared connection described in version ${link.version ?? '?'} of the link format, which this version of Resetscope does not read: its frames are numbered from 1 and analysed alone`
            : `this capture's description of a shared connection is ${link.reason === 'too-large' ? 'too long' : 'damaged'}: it was not read; its frames are numbered from 1 and analysed alone`,
      });
    }
    const result: AnalysisResult = { report, connections: table, timings: { read: 0, index: 0, classify: 0 }, packets, connStart, rstPayloadText: this.rstPayloadText };
    if (link?.ok) result.sharedLink = link.meta;
    return result;
  }
}

/**
 * The text a RST carries in its payload (some stacks and middleboxes explain the reset there), as
 * printable ASCII: tabs and line breaks become spaces, other bytes dots.
 */
export function rstPayloadText(bytes: Uint8Array, o: number, n: number): string {
  let s = '';
  for (let i = o; i < o + n; i++) {
    const b = bytes[i] ?? 0;
    s += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : b === 0x0a || b === 0x0d || b === 0x09 ? ' ' : '.';
  }
  return s;
}

import type { AnalysisResult, AnalyzeOptions } from './analyze-api.ts';
import { gzipChunks, isGzip, plainChunks, type ChunkStream } from './capture/chunks.ts';
import { PcapReader, isPcapMagic } from './capture/pcap.ts';
import { PcapngReader, SHB_TYPE } from './capture/pcapng.ts';
import { NotACaptureError, type FormatReader, type RecordSink } from './capture/sink.ts';
import type { ByteSource } from './capture/source.ts';
import { classify } from './classify/index.ts';
import { PacketDecoder, Skip, SKIP_NAMES } from './decode/packet.ts';
import type { PacketColumns } from './model/packet-table.ts';
import { TcpFlag, type Connection, type InterfaceInfo, type Report, type Warning, type WarningCode } from './model/types.ts';
import type { ConnColumns } from './tcp/connection-table.ts';
import { TcpTracker } from './tcp/tracker.ts';

export type { AnalysisResult, AnalyzeOptions, Progress } from './analyze-api.ts';
export { NotACaptureError } from './capture/sink.ts';

const DEFAULT_CHUNK = 4 * 1024 * 1024;
/** Milliseconds from a monotonic clock (browsers, workers and Node all have `performance`). */
const now = (): number => (globalThis as { performance?: { now(): number } }).performance?.now() ?? Date.now();
/** Warnings of one kind kept in full; past this they are counted. */
const WARNINGS_PER_CODE = 50;

/** Thrown when the analysis was cancelled through its signal. */
export class AnalysisCancelled extends Error {
  constructor() {
    super('analysis cancelled');
    this.name = 'AnalysisCancelled';
  }
}

/**
 * Read a capture (pcap, pcapng, either gzip-compressed), track every TCP connection and classify
 * every reset. The file is consumed in bounded chunks; only compact per-packet columns are kept.
 * Throws `NotACaptureError` (one-line reason) when the file cannot be read at all.
 */
export async function analyze(source: ByteSource, opts: AnalyzeOptions = {}): Promise<AnalysisResult> {
  const started = Date.now();
  const t0 = now();
  const chunkSize = opts.chunkSize ?? DEFAULT_CHUNK;
  if (source.size === 0) throw new NotACaptureError('the file is empty (0 bytes)');
  const head = await source.read(0, Math.min(source.size, 16));
  const compressed = isGzip(head);
  const stream: ChunkStream = compressed ? gzipChunks(source, chunkSize) : plainChunks(source, chunkSize);

  const state = new ReadState(opts, source.size, started);
  let first = await stream.next();
  if (compressed && (!first || first.length === 0)) {
    throw new NotACaptureError(`gzip file holds no data${stream.error ? `: ${stream.error}` : ''}`);
  }
  first ??= new Uint8Array(0);
  const reader = pickReader(first, state);

  // One working buffer for the whole read: each chunk is appended to the bytes the reader left over
  // (a record cut at the chunk's end), and the leftover moves to the front. Nothing is allocated
  // per chunk, so memory stays flat however long the file (it grows only for a record bigger than it).
  let work = new Uint8Array(2 * chunkSize);
  let pending = 0;
  let base = 0;
  let chunk: Uint8Array | null = first;
  try {
    while (chunk) {
      if (opts.signal?.aborted) throw new AnalysisCancelled();
      let data: Uint8Array;
      if (pending === 0) {
        data = chunk;
      } else {
        if (pending + chunk.length > work.length) {
          const bigger = new Uint8Array(2 * (pending + chunk.length));
          bigger.set(work.subarray(0, pending));
          work = bigger;
        }
        work.set(chunk, pending);
        data = work.subarray(0, pending + chunk.length);
      }
      const consumed = reader.parse(data, base, false);
      base += consumed;
      pending = data.length - consumed;
      if (data.buffer === work.buffer) work.copyWithin(0, consumed, consumed + pending);
      else if (pending > 0) {
        if (pending > work.length) work = new Uint8Array(2 * pending);
        work.set(data.subarray(consumed), 0);
      }
      if (reader.stopped) break;
      state.progress(stream.storedBytesRead);
      chunk = await stream.next();
    }
    if (!reader.stopped) reader.parse(work.subarray(0, pending), base, true);
  } finally {
    stream.cancel();
  }
  if (opts.signal?.aborted) throw new AnalysisCancelled();
  if (stream.error) {
    state.warn({ offset: base, code: 'bad-gzip', message: `${stream.error}; frames before that point are kept` });
  }
  if (state.frames === 0 && state.interfaces.length === 0) {
    throw new NotACaptureError('the capture holds no interface and no frame');
  }
  state.progress(source.size, true);

  const t1 = now();
  const result = state.finish({
    name: source.name,
    bytes: source.size,
    format: reader.format,
    compressed,
  });
  const t2 = now();
  classify(result);
  const t3 = now();
  result.timings = { read: (t1 - t0) / 1000, index: (t2 - t1) / 1000, classify: (t3 - t2) / 1000 };
  return result;
}

function pickReader(first: Uint8Array, sink: RecordSink): FormatReader {
  if (first.length >= 4) {
    const view = new DataView(first.buffer, first.byteOffset, first.byteLength);
    if (isPcapMagic(view.getUint32(0, true)) || isPcapMagic(view.getUint32(0, false))) return new PcapReader(sink);
    if (view.getUint32(0, true) === SHB_TYPE) return new PcapngReader(sink);
  }
  throw new NotACaptureError(`not a pcap or pcapng file: ${describeStart(first)}`);
}

/** "it starts with 'PK'" / "it starts with bytes 00 01 02 03" / "it is only 3 bytes long". */
export function describeStart(bytes: Uint8Array): string {
  if (bytes.length < 4) return `it is only ${bytes.length} byte${bytes.length === 1 ? '' : 's'} long`;
  const n = Math.min(bytes.length, 8);
  let text = '';
  let printable = true;
  for (let i = 0; i < n; i++) {
    const b = bytes[i] ?? 0;
    if (b >= 0x20 && b < 0x7f) text += String.fromCharCode(b);
    else if (i >= 2 && (b === 0x0a || b === 0x0d || b === 0x09)) break;
    else {
      printable = i >= 2;
      break;
    }
  }
  if (printable && text.length >= 2) return `it starts with '${text}'`;
  const hex = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
  return `it starts with bytes ${hex}`;
}

/** Everything the sink accumulates while the file is read. */
class ReadState implements RecordSink {
  frames = 0;
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
  private lastProgress = 0;
  private emittedConnections = 0;
  private firstSeenLinkWarning = new Set<number>();

  constructor(
    private readonly opts: AnalyzeOptions,
    private readonly totalBytes: number,
    private readonly started: number,
  ) {}

  interface(info: InterfaceInfo): void {
    this.interfaces.push(info);
  }

  warning(w: Warning): void {
    this.warn(w);
  }

  warn(w: Warning): void {
    const n = (this.warningCounts.get(w.code) ?? 0) + 1;
    this.warningCounts.set(w.code, n);
    if (n <= WARNINGS_PER_CODE) this.warnings.push(w);
  }

  frame(
    bytes: Uint8Array, view: DataView, offset: number, caplen: number, _origlen: number,
    interfaceId: number, tsSec: number, tsNsec: number, recordOffset: number,
  ): void {
    const frame = ++this.frames;
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
    const timeNs = (tsSec - this.originSec) * 1e9 + (tsNsec - this.originNsec);
    const p = this.decoder.decode(bytes, view, offset, caplen, iface.linkType);
    if (p.skip !== Skip.none) {
      this.skip(p.skip);
      if (p.skip === Skip.unsupportedLink && !this.firstSeenLinkWarning.has(iface.linkType)) {
        this.firstSeenLinkWarning.add(iface.linkType);
        this.warn({ frame, offset: recordOffset, code: 'unsupported-link', message: `frames on ${iface.linkTypeName} (link type ${iface.linkType}) are not decoded; they keep their numbers` });
      } else if (p.skip === Skip.malformed) {
        this.warn({ frame, offset: recordOffset, code: 'malformed-packet', message: `frame ${frame}: malformed IP or TCP header; counted, not analysed` });
      }
      return;
    }
    this.tcpPackets++;
    this.tracker.add(p, bytes, frame, timeNs, recordOffset, interfaceId);
    if (p.flags & TcpFlag.RST && p.payloadCaptured > 0) {
      this.rstPayloadText.set(frame, printable(bytes, p.payloadOffset, Math.min(p.payloadCaptured, 200)));
    }
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
      const fresh: Connection[] = [];
      for (let i = this.emittedConnections; i < count; i++) fresh.push(table.get(i));
      this.emittedConnections = count;
      this.opts.onConnections(fresh);
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
    const joined = this.tracker.packets.trimmed();
    const nConn = this.tracker.state.length;
    const { packets, connStart } = groupByConnection(joined.packets, joined.conn, nConn);
    this.tracker.release();
    const table = this.tracker.state;
    table.trim();
    fillGaps(table.conn, packets, connStart);
    for (const [code, n] of this.warningCounts) {
      if (n > WARNINGS_PER_CODE) {
        this.warnings.push({ code, message: `${n - WARNINGS_PER_CODE} more warnings of this kind (${code}) not listed` });
      }
    }
    const skipped: Record<string, number> = {};
    for (const [reason, n] of this.skipped) skipped[SKIP_NAMES[reason] ?? String(reason)] = n;
    let duration = 0;
    if (packets.frame.length > 0) {
      let max = 0;
      for (let i = 0; i < packets.timeNs.length; i++) max = Math.max(max, packets.timeNs[i]!);
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
    return { report, connections: table, timings: { read: 0, index: 0, classify: 0 }, packets, connStart, rstPayloadText: this.rstPayloadText };
  }
}

/**
 * The rows grouped by connection (file order kept within each): a counting sort by `conn`, each
 * column moved into its new order in turn. Connection c's packets are then rows
 * `connStart[c] .. connStart[c + 1]` and no per-packet index is needed to find them.
 */
function groupByConnection(packets: PacketColumns, conn: Uint32Array, nConn: number): { packets: PacketColumns; connStart: Uint32Array } {
  const n = conn.length;
  const connStart = new Uint32Array(nConn + 1);
  for (let i = 0; i < n; i++) connStart[conn[i]! + 1]!++;
  for (let c = 0; c < nConn; c++) connStart[c + 1]! += connStart[c]!;
  // Where each row goes.
  const fill = connStart.slice(0, nConn);
  const to = new Uint32Array(n);
  for (let i = 0; i < n; i++) to[i] = fill[conn[i]!]!++;
  const out = {} as Record<keyof PacketColumns, unknown>;
  for (const key of Object.keys(packets) as (keyof PacketColumns)[]) {
    const from = packets[key];
    // An empty column (no interface column for interface 0 only) stays empty.
    const moved = new (from.constructor as new (n: number) => typeof from)(from.length === 0 ? 0 : n);
    if (from.length > 0) for (let i = 0; i < n; i++) moved[to[i]!] = from[i]!;
    out[key] = moved;
    // Let the old column go before the next one is made.
    (packets as unknown as Record<string, unknown>)[key] = undefined;
  }
  return { packets: out as PacketColumns, connStart };
}


/** Each connection's largest and median gap between consecutive packets (its rows are a range). */
function fillGaps(conns: ConnColumns, packets: PacketColumns, connStart: Uint32Array): void {
  const n = connStart.length - 1;
  let longest = 0;
  for (let id = 0; id < n; id++) longest = Math.max(longest, connStart[id + 1]! - connStart[id]!);
  const scratch = new Float64Array(Math.max(0, longest - 1));
  const time = packets.timeNs;
  for (let id = 0; id < n; id++) {
    const from = connStart[id]!;
    const to = connStart[id + 1]!;
    if (to - from < 2) continue;
    const gaps = scratch.subarray(0, to - from - 1);
    let max = 0;
    for (let i = from + 1; i < to; i++) {
      const g = time[i]! - time[i - 1]!;
      gaps[i - from - 1] = g;
      if (g > max) max = g;
    }
    gaps.sort();
    conns.maxIdleNs[id] = max;
    conns.medianGapNs[id] = gaps[gaps.length >> 1]!;
  }
}

function printable(bytes: Uint8Array, o: number, n: number): string {
  let s = '';
  for (let i = o; i < o + n; i++) {
    const b = bytes[i] ?? 0;
    s += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : b === 0x0a || b === 0x0d || b === 0x09 ? ' ' : '.';
  }
  return s;
}

/**
 * Proof that reading a capture in ranges (src/core/parallel, the command line's --threads) gives
 * what one read from the start gives, on every capture of every corpus that is not gzip-compressed
 * (gzip is never split): the small ones cut at every possible border, the larger ones at many.
 *
 * Frame level: the frames the analysis receives, in order (file offset, interface, time, and the
 * decoded TCP fields, whether decoded by a range's thread or here), with the interfaces and
 * warnings between them. Report level: the JSON report of lab and public captures.
 */
import { describe, expect } from 'vitest';
import { analyze } from '../../src/core/analyze.ts';
import { feed } from '../../src/core/capture/feed.ts';
import { plainChunks } from '../../src/core/capture/chunks.ts';
import type { FrameRecord } from '../../src/core/capture/sink.ts';
import { pickReader } from '../../src/core/capture/sniff.ts';
import { bytesSource } from '../../src/core/capture/source.ts';
import { PacketDecoder, type DecodedPacket } from '../../src/core/decode/packet.ts';
import { jsonReportChunks } from '../../src/core/export/report-json.ts';
import type { InterfaceInfo, Warning } from '../../src/core/model/types.ts';
import type { ReplaySink } from '../../src/core/parallel/packed.ts';
import { inProcessRunner, readInParallel, readPreamble } from '../../src/core/parallel/read-parallel.ts';
import { capturesIn, itWith, readTestdata } from '../support/captures.ts';

/**
 * Files up to `everyBorder` bytes are cut at every border; larger ones as many times as `budget`
 * bytes read allow (at least 4). The realworld corpus (1,000 files) gets less, to keep the run short.
 */
const CUTS: Record<string, { everyBorder: number; budget: number }> = {
  lab: { everyBorder: 16 * 1024, budget: 24 << 20 },
  public: { everyBorder: 6 * 1024, budget: 24 << 20 },
  realworld: { everyBorder: 1024, budget: 2 << 20 },
};
const CHUNK = 4096;

/** Every frame, interface and warning the analysis would receive, as a line of text. */
class FrameLog implements ReplaySink {
  readonly lines: string[] = [];
  private readonly interfaces: InterfaceInfo[] = [];
  private readonly decoder = new PacketDecoder();

  interface(info: InterfaceInfo): void {
    this.interfaces.push(info);
    this.lines.push(`interface ${JSON.stringify(info)}`);
  }

  warning(w: Warning): void {
    this.lines.push(`warning ${JSON.stringify(w)}`);
  }

  frame(r: FrameRecord): void {
    const iface = this.interfaces[r.interfaceId];
    const p = iface ? this.decoder.decode(r.bytes, r.view, r.offset, r.caplen, iface.linkType) : null;
    this.log(p, r.bytes, r.tsSec, r.tsNsec, r.recordOffset, r.interfaceId, r.originalFrame);
  }

  decodedFrame(p: DecodedPacket, bytes: Uint8Array, tsSec: number, tsNsec: number, recordOffset: number, interfaceId: number, originalFrame: number): void {
    this.log(this.interfaces[interfaceId] ? p : null, bytes, tsSec, tsNsec, recordOffset, interfaceId, originalFrame);
  }

  private log(p: DecodedPacket | null, bytes: Uint8Array, tsSec: number, tsNsec: number, at: number, iface: number, originalFrame: number): void {
    let line = `frame @${at} if${iface} ${tsSec}.${tsNsec} #${originalFrame}`;
    if (p) {
      line += ` skip${p.skip}`;
      if (p.skip === 0) {
        const payload = Array.from(bytes.subarray(p.payloadOffset, p.payloadOffset + Math.min(p.payloadCaptured, 16)), (b) => b.toString(16)).join('');
        line += ` v${p.ipVersion} ${p.src.join('.')}>${p.dst.join('.')} ${p.srcPort}>${p.dstPort} seq${p.seq} ack${p.ack} f${p.flags} w${p.window} len${p.payloadLength}/${p.payloadCaptured} ttl${p.ttl} id${p.ipId} ip${p.ipLength} mss${p.mss} ws${p.windowScale} ${payload}`;
      }
      if (p.dnsEnd > p.dnsOffset) line += ` dns${p.dnsEnd - p.dnsOffset}`;
    }
    this.lines.push(line);
  }
}

async function readWhole(bytes: Uint8Array): Promise<string[]> {
  const log = new FrameLog();
  const source = bytesSource('x', bytes);
  const stream = plainChunks(source, CHUNK);
  const first = (await stream.next()) ?? new Uint8Array(0);
  await feed(pickReader(first, log), stream, first, CHUNK, { cancelled: () => false, progress() {} });
  return log.lines;
}

async function readCut(bytes: Uint8Array, limits: number[]): Promise<{ lines: string[]; reread: number }> {
  const log = new FrameLog();
  const source = bytesSource('x', bytes);
  const read = await readInParallel(source, bytes.subarray(0, CHUNK), log, inProcessRunner(source), { chunkSize: CHUNK, cancelled: () => false, progress() {}, limits });
  if (read === null || read === 'cancelled') throw new Error('not read in ranges');
  return { lines: log.lines, reread: read.reread };
}

/** The cuts a capture is read with: one border anywhere (small files), or spread borders, and many ranges at once. */
function cutsFor(size: number, first: number, folder = 'lab'): number[][] {
  const { everyBorder, budget } = CUTS[folder]!;
  const cuts: number[][] = [];
  if (size <= everyBorder) {
    for (let b = first + 1; b < size; b++) cuts.push([b]);
  } else {
    const n = Math.max(4, Math.min(200, Math.floor(budget / size)));
    for (let i = 1; i <= n; i++) cuts.push([first + Math.floor(((size - first) * i) / (n + 1)) + (i % 7)]);
  }
  for (const ranges of [3, 17, 64]) {
    const limits: number[] = [];
    for (let k = 1; k < ranges; k++) {
      const at = first + Math.floor(((size - first) * k) / ranges) + k;
      if (at < size && at > (limits[limits.length - 1] ?? first)) limits.push(at);
    }
    if (limits.length > 0) cuts.push(limits);
  }
  return cuts;
}

/** A capture that can be read in ranges (not gzip, and starting with headers the readers know). */
function splittable(bytes: Uint8Array): number | null {
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return null;
  return readPreamble(bytes.subarray(0, CHUNK))?.end ?? null;
}

async function checkFolder(folder: string): Promise<{ files: number; cuts: number; reread: number; failures: string[] }> {
  const failures: string[] = [];
  let files = 0;
  let cuts = 0;
  let reread = 0;
  for (const file of capturesIn(folder)) {
    const bytes = readTestdata(folder, file);
    const first = splittable(bytes);
    if (first === null) continue;
    files++;
    const whole = (await readWhole(bytes)).join('\n');
    for (const limits of cutsFor(bytes.length, first, folder)) {
      cuts++;
      const got = await readCut(bytes, limits);
      reread += got.reread;
      if (got.lines.join('\n') !== whole) {
        failures.push(`${file} cut at ${limits.join(',')}`);
        break;
      }
    }
  }
  return { files, cuts, reread, failures };
}

describe('a capture read in ranges gives the frames of one read', () => {
  for (const folder of ['lab', 'public', 'realworld']) {
    itWith(folder)(`on every ${folder} capture`, { timeout: 600_000 }, async () => {
      const r = await checkFolder(folder);
      expect(r.failures).toEqual([]);
      expect(r.files).toBeGreaterThan(0);
      expect(r.cuts).toBeGreaterThanOrEqual(r.files);
    });
  }
});

describe('a capture read in ranges gives the report of one read', () => {
  for (const folder of ['lab', 'public']) {
    itWith(folder)(`on every ${folder} capture`, { timeout: 600_000 }, async () => {
      const failures: string[] = [];
      let files = 0;
      for (const file of capturesIn(folder)) {
        const bytes = readTestdata(folder, file);
        const first = splittable(bytes);
        if (first === null) continue;
        files++;
        const source = bytesSource(file, bytes);
        const json = async (opts: Parameters<typeof analyze>[1]) => [...jsonReportChunks(await analyze(source, opts))].join('');
        const whole = await json({ chunkSize: CHUNK });
        for (const limits of cutsFor(bytes.length, first, folder).filter((_, i, all) => i % Math.max(1, Math.floor(all.length / 4)) === 0)) {
          if ((await json({ chunkSize: CHUNK, ranges: inProcessRunner(source), rangeLimits: limits })) !== whole) {
            failures.push(`${file} cut at ${limits.join(',')}`);
            break;
          }
        }
      }
      expect(failures).toEqual([]);
      expect(files).toBeGreaterThan(0);
    });
  }
});

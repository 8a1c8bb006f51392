import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildTcpPacket } from '../synth/index.ts';
import { TcpFlag } from '../../src/core/model/types.ts';
import { block, cat, idb, pcapHeader, pcapRecord, shb } from './bytes.ts';
import { checkResult } from './invariants.ts';
import { analyzeSafely, describeOutcome, type Outcome } from './harness.ts';

/**
 * Work is bounded by the input: files of up to 4 MB made of one pattern repeated (a record, a
 * block, a length field), and an eighth of each, must be read in time proportional to their size.
 * A reader that rescans, or a table that degrades, shows as a ratio well above 8; a loop that never
 * ends shows as a hang.
 */
const MB = 1 << 20;
/** Milliseconds per MB any of these may take at most, on a slow CI machine (tens, when well). */
const MAX_MS_PER_MB = 1000;
/** Time for a file over time for its eighth: 8 when linear, 64 when quadratic; GC noise gets the rest. */
const MAX_RATIO = 24;

/** `head` followed by `unit(i)` for i = 0, 1, ... until `size` bytes. */
function fill(size: number, head: Uint8Array, unit: (i: number) => Uint8Array): Uint8Array {
  const out = new Uint8Array(size);
  out.set(head);
  let o = head.length;
  for (let i = 0; o < size; i++) {
    const u = unit(i);
    if (o + u.length > size) break;
    out.set(u, o);
    o += u.length;
  }
  return out.subarray(0, o);
}

/** An Enhanced Packet Block (§4.3) on interface 0 with no data. */
function emptyEpb(): Uint8Array {
  return block(6, new Uint8Array(20));
}

const rst = buildTcpPacket({ src: '10.0.0.2', dst: '10.0.0.1', srcPort: 80, dstPort: 40000, seq: 1, flags: TcpFlag.RST });
const rstRecord = pcapRecord(rst);
const synRecord = (i: number): Uint8Array =>
  pcapRecord(buildTcpPacket({ src: '10.0.0.1', dst: '10.0.0.2', srcPort: 1024 + (i % 60000), dstPort: 80 + Math.floor(i / 60000), seq: i, flags: TcpFlag.SYN }));
/** IPv4 first fragments (more-fragments set), each of its own datagram: none ever completes. */
const fragmentRecord = (i: number): Uint8Array => {
  const p = buildTcpPacket({ src: '10.0.0.1', dst: '10.0.0.2', srcPort: 40000, dstPort: 80, seq: 1, flags: TcpFlag.SYN, ipId: i & 0xffff, dontFragment: false });
  const v = new DataView(p.buffer, p.byteOffset);
  v.setUint16(14 + 6, 0x2000); // MF, offset 0
  v.setUint16(14 + 12, i >>> 16); // vary the source too, so ids do not repeat
  return pcapRecord(p);
};

interface Pattern {
  name: string;
  /** Size of the big file in MB (the small one is an eighth of it). */
  mb: number;
  make: (size: number) => Uint8Array;
  check: (o: Outcome, size: number) => void;
}

function result(o: Outcome) {
  if (o.kind !== 'result') throw new Error(describeOutcome(o));
  expect(checkResult(o.result, { classifierActive: false })).toEqual([]);
  return { ...o.result.report, connections: o.result.connections.all() };
}

const PATTERNS: Pattern[] = [
  {
    name: 'pcap: zero-length records',
    mb: 4,
    make: (n) => fill(n, pcapHeader(), () => pcapRecord(new Uint8Array(0))),
    check: (o, n) => expect(result(o).packets).toBe(Math.floor((n - 24) / 16)),
  },
  {
    name: 'pcap: every record claims 0x7fffffff bytes',
    mb: 4,
    make: (n) => fill(n, pcapHeader(), () => pcapRecord(new Uint8Array(0), 0x7fffffff)),
    check: (o) => {
      const r = result(o);
      expect(r.packets).toBe(0);
      expect(r.warnings[0]?.message).toMatch(/claims 2147483647 captured bytes/);
    },
  },
  {
    name: 'pcap: the same RST over and over',
    mb: 0.5,
    make: (n) => fill(n, pcapHeader(), () => rstRecord),
    check: (o, n) => {
      const r = result(o);
      expect(r.connections.length).toBe(1);
      const c = r.connections[0];
      expect((c?.dir.client.rstFrames.length ?? 0) + (c?.dir.server.rstFrames.length ?? 0)).toBe(Math.floor((n - 24) / rstRecord.length));
    },
  },
  {
    name: 'pcap: a new connection in every frame',
    mb: 1,
    make: (n) => fill(n, pcapHeader(), synRecord),
    check: (o) => {
      const r = result(o);
      expect(r.connections.length).toBe(r.packets);
    },
  },
  {
    name: 'pcap: IPv4 first fragments that never complete',
    mb: 4,
    make: (n) => fill(n, pcapHeader(), fragmentRecord),
    check: (o) => expect(result(o).skipped).toHaveProperty(['IP fragment not completing a TCP segment']),
  },
  {
    name: 'pcapng: empty Enhanced Packet Blocks',
    mb: 4,
    make: (n) => fill(n, cat(shb(), idb()), emptyEpb),
    check: (o, n) => expect(result(o).packets).toBe(Math.floor((n - 28 - 20) / 32)),
  },
  {
    name: 'pcapng: 12-byte packet blocks, each too short',
    mb: 4,
    make: (n) => fill(n, cat(shb(), idb()), () => block(6, new Uint8Array(0))),
    check: (o) => {
      const r = result(o);
      expect(r.warnings.length).toBeLessThanOrEqual(60);
      expect(r.warnings.at(-1)?.message).toMatch(/more warnings of this kind \(bad-block\) not listed/);
    },
  },
  {
    name: 'pcapng: every 4 bytes a block header claiming 16 MiB',
    mb: 4,
    make: (n) =>
      fill(n, cat(shb(), idb(), block(6, new Uint8Array(20), { len: 13 })), () => Uint8Array.of(6, 0, 0, 0, 0, 0, 0, 1)),
    check: (o) => expect(result(o).warnings.map((w) => w.code)).toEqual(['bad-block', 'resync']),
  },
  {
    name: 'pcapng: Interface Description Blocks only',
    mb: 2,
    make: (n) => fill(n, shb(), idb),
    check: (o, n) => expect(result(o).interfaces.length).toBe(Math.floor((n - 28) / 20)),
  },
  {
    name: 'pcapng: Section Header Blocks only',
    mb: 1,
    make: (n) => fill(n, shb(), shb),
    check: (o) => expect(o.kind).toBe('not-a-capture'),
  },
  {
    name: 'gzip: zero-length pcap records, compressed (a small gzip bomb)',
    mb: 4,
    make: (n) => gzipSync(fill(n, pcapHeader(), () => pcapRecord(new Uint8Array(0)))),
    check: (o, n) => expect(result(o).packets).toBe(Math.floor((n - 24) / 16)),
  },
];

/**
 * CPU milliseconds (all threads: the gzip inflater and the collector count too), best of a few
 * runs: wall time on a shared CI machine says more about the neighbours than about us.
 */
async function time(bytes: Uint8Array, runs: number): Promise<{ o: Outcome; ms: number }> {
  let best: { o: Outcome; ms: number } | null = null;
  for (let i = 0; i < runs; i++) {
    const before = process.cpuUsage();
    const o = await analyzeSafely('x', bytes);
    const used = process.cpuUsage(before);
    const ms = (used.user + used.system) / 1000;
    if (!best || ms < best.ms) best = { o, ms };
  }
  if (!best) throw new Error('no run');
  return best;
}

describe('work is linear in the size of the input', () => {
  for (const p of PATTERNS) {
    it(p.name, async () => {
      const size = p.mb * MB;
      const small = await time(p.make(size / 8), 3);
      const big = await time(p.make(size), 2);
      p.check(small.o, size / 8);
      p.check(big.o, size);
      expect(big.ms, `${p.mb} MB took ${big.ms.toFixed(0)} ms`).toBeLessThan(MAX_MS_PER_MB * p.mb);
      // A small file read in a few milliseconds is all warm JIT and young objects: measure from 10 ms.
      if (big.ms > 40) expect(big.ms / Math.max(small.ms, 10), `${p.mb / 8} MB: ${small.ms.toFixed(1)} ms, ${p.mb} MB: ${big.ms.toFixed(1)} ms`).toBeLessThan(MAX_RATIO);
    });
  }
});

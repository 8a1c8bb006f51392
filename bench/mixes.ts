/**
 * The benchmark's plainer traffic mixes (issue 15), beside generate.ts's own ("bench") mix:
 *
 *   - `plain`: the shape of `../shared/bench/gen_capture.py` — Ethernet/IPv4/TCP without options,
 *     200 connections open at once and interleaved packet by packet, each a handshake, 4 to 60
 *     request/response steps (requests of 100, 300 or 700 bytes, responses of 1, 2 or 4 full
 *     1460-byte segments and the client's ACK) and a FIN exchange; about 5 % end in a RST (1 %
 *     refused, 3 % aborted mid-stream by either side, 2 % a RST after the FINs). ~845-byte frames on
 *     average, ~22,000 connections per GB. On such a mix tshark's `conv,tcp` is fast, so it is the
 *     honest yardstick for the ratio.
 *   - `small`: mostly 60–100-byte frames, for packets per second: handshakes with the usual options,
 *     short exchanges of a few dozen bytes with their ACKs, interactive sessions (keystrokes, echoes,
 *     ACKs) and port scans (SYN, then RST/ACK or SYN/ACK and RST). Frames shorter than Ethernet's
 *     minimum are padded to 60 bytes, as a receiving interface records them.
 *   - `conns`: the same actors weighted toward connections (scans, refusals, short exchanges), for a
 *     capture of a given number of connections (issue 14: the list at 1,000,000 connections).
 *
 * Frames are written straight into the capture writer's buffer with both checksums right: no
 * objects per packet, so a gigabyte takes seconds. Connections are interleaved the way
 * gen_capture.py does it: one global clock, a pool of open connections, the next packet from one of
 * them at random. Every RST is labelled with the scenario it was written to be.
 */
import { Rng } from './rng.ts';

export type PlainMix = 'plain' | 'small' | 'conns';

/** Where frames go (generate.ts's pcap or pcapng writer). */
export interface FrameSink {
  /** Room for one record at this time; returns the offset of its first byte in `buf()`. */
  reserve(sec: number, nsec: number, length: number): number;
  buf(): Uint8Array;
  written(): number;
}

export interface MixResult {
  packets: number;
  connections: number;
  /** Nanoseconds from the first frame to the last. */
  lastT: number;
  labels: { frame: number; scenario: string }[];
  counts: Record<string, number>;
}

export interface MixLimits {
  /** Stop opening connections once this many bytes are written (those open then finish). */
  targetBytes: number;
  /** ... or once this many connections are opened (the `conns` mix). */
  targetConnections?: number;
}

const FIN = 0x01;
const SYN = 0x02;
const RST = 0x04;
const PSH = 0x08;
const ACK = 0x10;

/** TCP options: none; a SYN's (MSS, SACK permitted, timestamps, NOP, window scale); NOP NOP timestamps; MSS alone (a scanner's SYN). */
const OPT_NONE = 0;
const OPT_SYN = 1;
const OPT_TS = 2;
const OPT_MSS = 3;
const OPT_LEN = [0, 20, 12, 4];

const BASE_SEC = 1_700_000_000;
const MAC_CLIENT_SIDE = [0x02, 0x00, 0x00, 0x00, 0x00, 0x01];
const MAC_ROUTER = [0x02, 0x00, 0x00, 0x00, 0x00, 0x02];

/** Payload bytes (random, as gen_capture.py's) and the checksum sum of each prefix. */
const PAYLOAD = (() => {
  const rng = new Rng(0x5eed);
  const b = new Uint8Array(1460);
  for (let i = 0; i < b.length; i++) b[i] = Math.floor(rng.next() * 256);
  return b;
})();
const PAYLOAD_SUM = (() => {
  const sums = new Float64Array(PAYLOAD.length + 1);
  let even = 0;
  for (let n = 1; n <= PAYLOAD.length; n++) {
    // Prefix of n bytes: the whole words before it, and an odd last byte padded with zero.
    if (n % 2 === 0) {
      even += (PAYLOAD[n - 2]! << 8) | PAYLOAD[n - 1]!;
      sums[n] = even;
    } else {
      sums[n] = even + (PAYLOAD[n - 1]! << 8);
    }
  }
  return sums;
})();

/** One TCP connection's state on the wire. */
interface Tcp {
  cip: number;
  sip: number;
  cport: number;
  sport: number;
  cseq: number;
  sseq: number;
  cttl: number;
  sttl: number;
  cipId: number;
  sipId: number;
  /** Options on SYNs, and whether the other segments carry timestamps. */
  synOpt: number;
  ts: boolean;
  tsC: number;
  tsS: number;
  window: number;
}

/** Writes frames: the clock, the counters and the labels. */
class Wire {
  t = 0;
  packets = 0;
  connections = 0;
  readonly labels: { frame: number; scenario: string }[] = [];
  readonly counts: Record<string, number> = {};
  constructor(
    private readonly sink: FrameSink,
    private readonly rng: Rng,
    /** Mean gap between packets, ns. */
    private readonly gapNs: number,
  ) {}

  send(c: Tcp, fromClient: boolean, flags: number, payload: number, label: string | null = null): void {
    this.t += Math.round(this.rng.next() * 2 * this.gapNs);
    const opt = flags & SYN ? c.synOpt : flags & RST || !c.ts ? OPT_NONE : OPT_TS;
    const optLen = OPT_LEN[opt]!;
    const tcpLen = 20 + optLen + payload;
    const ipLen = 20 + tcpLen;
    const length = Math.max(60, 14 + ipLen);
    const secs = Math.floor(this.t / 1e9);
    const p = this.sink.reserve(BASE_SEC + secs, this.t - secs * 1e9, length);
    const b = this.sink.buf();
    const src = fromClient ? c.cip : c.sip;
    const dst = fromClient ? c.sip : c.cip;
    const sport = fromClient ? c.cport : c.sport;
    const dport = fromClient ? c.sport : c.cport;
    const seq = (fromClient ? c.cseq : c.sseq) >>> 0;
    const ack = flags & ACK ? (fromClient ? c.sseq : c.cseq) >>> 0 : 0;
    const ttl = fromClient ? c.cttl : c.sttl;
    const ipId = fromClient ? (c.cipId = (c.cipId + 1) & 0xffff) : (c.sipId = (c.sipId + 1) & 0xffff);

    // Ethernet: the capture point sits on the clients' side of a router.
    const [dmac, smac] = fromClient ? [MAC_ROUTER, MAC_CLIENT_SIDE] : [MAC_CLIENT_SIDE, MAC_ROUTER];
    for (let i = 0; i < 6; i++) {
      b[p + i] = dmac[i]!;
      b[p + 6 + i] = smac[i]!;
    }
    b[p + 12] = 0x08;
    b[p + 13] = 0x00;
    // IPv4, DF, no options.
    const ip = p + 14;
    b[ip] = 0x45;
    b[ip + 1] = 0;
    b[ip + 2] = ipLen >> 8;
    b[ip + 3] = ipLen & 0xff;
    b[ip + 4] = ipId >> 8;
    b[ip + 5] = ipId & 0xff;
    b[ip + 6] = 0x40;
    b[ip + 7] = 0;
    b[ip + 8] = ttl;
    b[ip + 9] = 6;
    put32(b, ip + 12, src);
    put32(b, ip + 16, dst);
    const ipSum = 0x4500 + ipLen + ipId + 0x4000 + ((ttl << 8) | 6) + (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff);
    const ic = finish(ipSum);
    b[ip + 10] = ic >> 8;
    b[ip + 11] = ic & 0xff;
    // TCP.
    const t = ip + 20;
    b[t] = sport >> 8;
    b[t + 1] = sport & 0xff;
    b[t + 2] = dport >> 8;
    b[t + 3] = dport & 0xff;
    put32(b, t + 4, seq);
    put32(b, t + 8, ack);
    const dataOffset = (20 + optLen) >> 2;
    b[t + 12] = dataOffset << 4;
    b[t + 13] = flags;
    b[t + 14] = c.window >> 8;
    b[t + 15] = c.window & 0xff;
    b[t + 16] = 0;
    b[t + 17] = 0;
    b[t + 18] = 0;
    b[t + 19] = 0;
    const o = t + 20;
    const tsVal = ((fromClient ? c.tsC : c.tsS) + Math.floor(this.t / 1e6)) >>> 0;
    const tsEcr = flags & ACK ? ((fromClient ? c.tsS : c.tsC) + Math.floor(this.t / 1e6) - 1) >>> 0 : 0;
    if (opt === OPT_SYN) {
      // MSS 1460, SACK permitted, timestamps, NOP, window scale 7 (Linux's order).
      b[o] = 2;
      b[o + 1] = 4;
      b[o + 2] = 1460 >> 8;
      b[o + 3] = 1460 & 0xff;
      b[o + 4] = 4;
      b[o + 5] = 2;
      b[o + 6] = 8;
      b[o + 7] = 10;
      put32(b, o + 8, tsVal);
      put32(b, o + 12, tsEcr);
      b[o + 16] = 1;
      b[o + 17] = 3;
      b[o + 18] = 3;
      b[o + 19] = 7;
    } else if (opt === OPT_TS) {
      b[o] = 1;
      b[o + 1] = 1;
      b[o + 2] = 8;
      b[o + 3] = 10;
      put32(b, o + 4, tsVal);
      put32(b, o + 8, tsEcr);
    } else if (opt === OPT_MSS) {
      b[o] = 2;
      b[o + 1] = 4;
      b[o + 2] = 1460 >> 8;
      b[o + 3] = 1460 & 0xff;
    }
    let sum = (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + 6 + tcpLen;
    for (let i = t; i < o + optLen; i += 2) sum += (b[i]! << 8) | b[i + 1]!;
    if (payload > 0) {
      b.set(PAYLOAD.subarray(0, payload), o + optLen);
      sum += PAYLOAD_SUM[payload]!;
    }
    const tc = finish(sum);
    b[t + 16] = tc >> 8;
    b[t + 17] = tc & 0xff;
    // Ethernet's minimum frame: padded with zeros after the IP packet.
    if (14 + ipLen < length) b.fill(0, p + 14 + ipLen, p + length);

    const advance = payload + (flags & (SYN | FIN) ? 1 : 0);
    if (fromClient) c.cseq = (c.cseq + advance) >>> 0;
    else c.sseq = (c.sseq + advance) >>> 0;
    this.packets++;
    if (flags & RST && label !== null) {
      this.labels.push({ frame: this.packets, scenario: label });
      this.counts[label] = (this.counts[label] ?? 0) + 1;
    }
  }
}

function put32(b: Uint8Array, at: number, v: number): void {
  b[at] = v >>> 24;
  b[at + 1] = (v >>> 16) & 0xff;
  b[at + 2] = (v >>> 8) & 0xff;
  b[at + 3] = v & 0xff;
}

function finish(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return ~sum & 0xffff;
}

const ipv4 = (a: number, b: number, c: number, d: number): number => ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;

/** Something on the wire that sends its next packet when asked; false once it is done. */
interface Actor {
  step(): boolean;
}

/**
 * The driver: keeps `pool` actors open (while under the limits), asks one at random for its next
 * packet, and drops it when it is done; ends when the limits are reached and every actor is done.
 */
function run(wire: Wire, rng: Rng, sink: FrameSink, limits: MixLimits, pool: number, start: () => Actor): void {
  const active: Actor[] = [];
  const open = (): boolean =>
    sink.written() < limits.targetBytes && (limits.targetConnections === undefined || wire.connections < limits.targetConnections);
  for (;;) {
    while (active.length < pool && open()) active.push(start());
    if (active.length === 0) break;
    const i = Math.floor(rng.next() * active.length);
    if (!active[i]!.step()) {
      active[i] = active[active.length - 1]!;
      active.pop();
    }
  }
}

// ------------------------------------------------------------------------------------------------
// The plain mix: gen_capture.py's shape.

export function plainMix(sink: FrameSink, seed: number, limits: MixLimits): MixResult {
  const rng = new Rng(seed);
  const wire = new Wire(sink, rng, 100_000);
  const clientPorts = new Uint16Array(4096).map(() => rng.int(32768, 60999));
  const start = (): Actor => {
    wire.connections++;
    const client = rng.int(0, 4095);
    const port = clientPorts[client]!;
    clientPorts[client] = port >= 60999 ? 32768 : port + 1;
    const c: Tcp = {
      cip: ipv4(10, 0, client >> 8, (client & 255) + 1) >>> 0,
      sip: ipv4(192, 168, 0, rng.int(0, 255)),
      cport: port,
      sport: rng.chance(0.9) ? 443 : 80,
      cseq: rng.u32(),
      sseq: rng.u32(),
      cttl: 64,
      sttl: 52,
      cipId: rng.int(0, 0xffff),
      sipId: rng.int(0, 0xffff),
      synOpt: OPT_NONE,
      ts: false,
      tsC: 0,
      tsS: 0,
      window: 64240,
    };
    const steps = rng.pick([4, 8, 20, 60]);
    const fate = rng.next();
    let phase = 0;
    return {
      step(): boolean {
        const ph = phase++;
        if (ph === 0) wire.send(c, true, SYN, 0);
        else if (ph === 1) {
          if (fate < 0.01) {
            wire.send(c, false, RST | ACK, 0, 'refused');
            return false;
          }
          wire.send(c, false, SYN | ACK, 0);
        } else if (ph === 2) wire.send(c, true, ACK, 0);
        else if (ph < 3 + steps) {
          if ((ph - 3) % 2 === 0) wire.send(c, true, PSH | ACK, rng.pick([100, 300, 700]));
          else {
            const n = rng.pick([1, 2, 4]);
            for (let k = 0; k < n; k++) wire.send(c, false, ACK, 1460);
            wire.send(c, true, ACK, 0);
          }
          if (fate > 0.97 && ph > 5) {
            wire.send(c, rng.chance(0.5), RST | ACK, 0, 'abort');
            return false;
          }
        } else {
          wire.send(c, true, FIN | ACK, 0);
          wire.send(c, false, FIN | ACK, 0);
          if (fate > 0.95 && fate <= 0.97) wire.send(c, true, RST, 0, 'fast-close');
          else wire.send(c, true, ACK, 0);
          return false;
        }
        return true;
      },
    };
  };
  run(wire, rng, sink, limits, 200, start);
  return { packets: wire.packets, connections: wire.connections, lastT: wire.t, labels: wire.labels, counts: wire.counts };
}

// ------------------------------------------------------------------------------------------------
// The small-frame mix and the connections mix: the same actors, weighted differently.

interface Weights {
  scan: number;
  refused: number;
  short: number;
  /** The rest: interactive sessions. */
}

const SMALL_WEIGHTS: Weights = { scan: 0.01, refused: 0.1, short: 0.885 };
const CONNS_WEIGHTS: Weights = { scan: 0.03, refused: 0.3, short: 0.67 };

/** Ports the servers listen on; the others answer a SYN with RST/ACK. */
const OPEN_PORTS = [22, 53, 80, 443, 8080];
const REFUSED_PORTS = [443, 443, 8443, 3306, 6379, 9200, 5432, 25];

function smallFrames(sink: FrameSink, seed: number, limits: MixLimits, weights: Weights): MixResult {
  const rng = new Rng(seed);
  const wire = new Wire(sink, rng, 10_000);
  const clientPorts = new Uint16Array(8192).map(() => rng.int(32768, 60999));
  const client = (c: Partial<Tcp> & { sip: number; sport: number }): Tcp => {
    const n = rng.int(0, 8191);
    const port = clientPorts[n]!;
    clientPorts[n] = port >= 60999 ? 32768 : port + 1;
    wire.connections++;
    return {
      cip: ipv4(10, 2 + (n >> 12), (n >> 4) & 255, ((n & 15) << 4) + 1),
      cport: port,
      cseq: rng.u32(),
      sseq: rng.u32(),
      cttl: 64,
      sttl: 57,
      cipId: rng.int(0, 0xffff),
      sipId: rng.int(0, 0xffff),
      synOpt: OPT_SYN,
      ts: true,
      tsC: rng.u32(),
      tsS: rng.u32(),
      window: 502,
      ...c,
    };
  };
  const server = (): number => ipv4(198, 18, rng.int(0, 3), rng.int(1, 254));

  /** A port scan of one host: a probe at a time, each a connection of its own. */
  const scan = (): Actor => {
    const scanner = ipv4(203, 0, 113, rng.int(1, 50));
    const target = server();
    let probes = rng.int(20, 100);
    let c: Tcp | null = null;
    let open = false;
    let phase = 0;
    return {
      step(): boolean {
        if (c === null) {
          if (probes-- <= 0 || (limits.targetConnections !== undefined && wire.connections >= limits.targetConnections)) return false;
          const port = rng.chance(0.1) ? rng.pick(OPEN_PORTS) : rng.int(1, 1024);
          open = OPEN_PORTS.includes(port);
          wire.connections++;
          c = {
            cip: scanner,
            sip: target,
            cport: rng.int(40000, 65000),
            sport: port,
            cseq: rng.u32(),
            sseq: rng.u32(),
            cttl: 48,
            sttl: 64,
            cipId: rng.int(0, 0xffff),
            sipId: 0,
            synOpt: OPT_MSS,
            ts: false,
            tsC: 0,
            tsS: 0,
            window: 1024,
          };
          phase = 0;
        }
        const ph = phase++;
        if (ph === 0) wire.send(c, true, SYN, 0);
        else if (!open) {
          c.window = 0;
          wire.send(c, false, RST | ACK, 0, 'port-scan');
          c = null;
        } else if (ph === 1) wire.send(c, false, SYN | ACK, 0);
        else {
          wire.send(c, true, RST, 0, 'port-scan');
          c = null;
        }
        return true;
      },
    };
  };

  /** A client's connection to a port nobody listens on. */
  const refused = (): Actor => {
    const c = client({ sip: server(), sport: rng.pick(REFUSED_PORTS) });
    let phase = 0;
    return {
      step(): boolean {
        if (phase++ === 0) {
          wire.send(c, true, SYN, 0);
          return true;
        }
        c.window = 0;
        wire.send(c, false, RST | ACK, 0, 'refused');
        return false;
      },
    };
  };

  /** A handshake, a request and a reply of a few dozen bytes, the ACKs, a FIN exchange (or a RST). */
  const short = (): Actor => {
    const c = client({ sip: server(), sport: rng.pick(OPEN_PORTS) });
    const exchanges = rng.chance(0.3) ? rng.int(2, 4) : 1;
    const reset = rng.chance(0.05);
    let phase = 0;
    let done = 0;
    return {
      step(): boolean {
        const ph = phase++;
        if (ph === 0) wire.send(c, true, SYN, 0);
        else if (ph === 1) wire.send(c, false, SYN | ACK, 0);
        else if (ph === 2) wire.send(c, true, ACK, 0);
        else if (done < exchanges) {
          const k = (ph - 3) % 3;
          if (k === 0) wire.send(c, true, PSH | ACK, rng.int(10, 34));
          else if (k === 1) wire.send(c, false, PSH | ACK, rng.int(2, 34));
          else {
            wire.send(c, true, ACK, 0);
            done++;
          }
        } else if (reset) {
          wire.send(c, true, RST | ACK, 0, 'fast-close');
          return false;
        } else {
          wire.send(c, true, FIN | ACK, 0);
          wire.send(c, false, FIN | ACK, 0);
          wire.send(c, true, ACK, 0);
          return false;
        }
        return true;
      },
    };
  };

  /** An interactive session: keystrokes, their echoes, the ACKs. */
  const interactive = (): Actor => {
    const c = client({ sip: server(), sport: 22 });
    const keys = rng.int(100, 1000);
    let phase = 0;
    return {
      step(): boolean {
        const ph = phase++;
        if (ph === 0) wire.send(c, true, SYN, 0);
        else if (ph === 1) wire.send(c, false, SYN | ACK, 0);
        else if (ph === 2) wire.send(c, true, ACK, 0);
        else if (ph < 3 + 3 * keys) {
          const k = (ph - 3) % 3;
          if (k === 0) wire.send(c, true, PSH | ACK, rng.int(1, 34));
          else if (k === 1) wire.send(c, false, PSH | ACK, rng.int(1, 34));
          else wire.send(c, true, ACK, 0);
        } else {
          wire.send(c, true, FIN | ACK, 0);
          wire.send(c, false, FIN | ACK, 0);
          wire.send(c, true, ACK, 0);
          return false;
        }
        return true;
      },
    };
  };

  const start = (): Actor => {
    const r = rng.next();
    if (r < weights.scan) return scan();
    if (r < weights.scan + weights.refused) return refused();
    if (r < weights.scan + weights.refused + weights.short) return short();
    return interactive();
  };
  run(wire, rng, sink, limits, 64, start);
  return { packets: wire.packets, connections: wire.connections, lastT: wire.t, labels: wire.labels, counts: wire.counts };
}

export function smallMix(sink: FrameSink, seed: number, limits: MixLimits): MixResult {
  return smallFrames(sink, seed, limits, SMALL_WEIGHTS);
}

export function connsMix(sink: FrameSink, seed: number, limits: MixLimits): MixResult {
  return smallFrames(sink, seed, limits, CONNS_WEIGHTS);
}

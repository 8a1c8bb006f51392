/**
 * Deterministic synthetic captures for the benchmark (issue 6): a link seen from the clients' side
 * with many short HTTP-like connections, a few long transfers with losses and fast retransmissions,
 * and every reset scenario of SCENARIOS.md at a low rate, over IPv4 and IPv6, written as pcap or
 * pcapng in chunks so a gigabyte never sits in memory.
 *
 * Bytes per second of generation matter more than elegance here, yet the stories stay readable:
 * rare flows (short connections, scenarios) are scripted with the conversation builder; the long
 * transfers, which carry most of the bytes, stamp seq/ack/IP ID/timestamps into copies of frames
 * built once (`TcpFrameTemplate`). A min-heap on time merges all flows into one time-ordered stream.
 *
 * Every RST written is labelled with the scenario its script meant, so a run can be checked against
 * the classifier (`labels` in the summary).
 *
 * Other mixes (bench/mixes.ts): `plain` (gen_capture.py's shape), `small` (60–100-byte frames) and
 * `conns` (a given number of connections); `--mix` chooses.
 *
 * Run alone: `npx tsx bench/generate.ts --size 10MB --format pcapng --out /tmp/x.pcapng`
 * (`--mix plain`, `--mix conns --connections 1000000`).
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import {
  F,
  mergeFrames,
  PcapngStreamWriter,
  PcapStreamWriter,
  tcpConversation,
  TcpFrameTemplate,
  type ConversationOptions,
  type SynthFrame,
  type TcpConversation,
} from '../test/synth/index.ts';
import { connsMix, plainMix, smallMix, type FrameSink, type PlainMix } from './mixes.ts';
import { Rng } from './rng.ts';

/**
 * Bump when the output for a given mix/size/format/seed changes, and set that mix's entry in
 * MIX_VERSIONS to it: the cache is keyed by the mix's entry, so a mix whose bytes did not change
 * keeps its cached captures.
 */
export const GENERATOR_VERSION = 4;

/**
 * The traffic mixes: `bench`, this file's own (short HTTP-like connections, long paced downloads,
 * every reset scenario); `plain`, `small` and `conns` from bench/mixes.ts (gen_capture.py's shape,
 * small frames for packets per second, and a connection-heavy one for the list at a million rows).
 */
export type Mix = 'bench' | PlainMix;
export const MIXES: readonly Mix[] = ['bench', 'plain', 'small', 'conns'];

/** The generator version that last changed each mix's bytes (the bench mix is unchanged since v3). */
export const MIX_VERSIONS: Record<Mix, number> = { bench: 3, plain: 4, small: 4, conns: 4 };

export type CaptureFormat = 'pcap' | 'pcapng';

export interface GenerateOptions {
  /** Stop starting new flows once this many bytes are written (flows in progress then finish). */
  targetBytes: number;
  format: CaptureFormat;
  seed?: number;
  /** Receives the file in order, chunk by chunk. */
  onChunk: (chunk: Uint8Array) => void;
  chunkSize?: number;
  /** The traffic mix; `bench` when absent. */
  mix?: Mix;
  /** Also stop opening connections once this many are open (the plain mixes only). */
  targetConnections?: number;
}

export interface GenerateSummary {
  /** The generator that wrote it (GENERATOR_VERSION). */
  generatorVersion: number;
  /** The mix, and the version of its bytes (MIX_VERSIONS); absent in summaries older than v4 (bench, 3). */
  mix?: Mix;
  outputVersion?: number;
  format: CaptureFormat;
  seed: number;
  bytes: number;
  packets: number;
  connections: number;
  ipv6Connections: number;
  /** Seconds between the first and the last frame. */
  captureSeconds: number;
  /** RST frames by the scenario their script meant. */
  resetsByScenario: Record<string, number>;
  /** Every RST frame (1-based) with the scenario its script meant. */
  labels: { frame: number; scenario: string }[];
  /** Wall-clock seconds the generation took. */
  generationSeconds: number;
}

// ------------------------------------------------------------------------------------------------
// Hosts.

interface Server {
  ip: string;
  v6: boolean;
  /** TTL as seen at the capture point (the clients' side): initial TTL minus hops. */
  ttl: number;
  /** Seconds. */
  rtt: number;
  port: number;
}

interface Client {
  ip: string;
  v6: boolean;
  ttl: number;
  nextPort: number;
}

const SERVICE_PORTS = [80, 443, 443, 443, 8080, 5432, 22, 25];

function makeHosts(rng: Rng): { servers: Server[]; clients: Client[] } {
  const servers: Server[] = [];
  for (let i = 0; i < 48; i++) {
    const v6 = i % 5 === 4;
    servers.push({
      ip: v6 ? `2001:db8:5::${(i + 1).toString(16)}` : `${i % 2 ? '198.51.100' : '203.0.113'}.${i + 10}`,
      v6,
      ttl: rng.pick([64, 128, 255]) - rng.int(4, 20),
      rtt: rng.pick([0.002, 0.008, 0.015, 0.03, 0.05, 0.09]) * (0.8 + 0.4 * rng.next()),
      port: rng.pick(SERVICE_PORTS),
    });
  }
  const clients: Client[] = [];
  for (let i = 0; i < 600; i++) {
    const v6 = i % 4 === 3;
    clients.push({
      ip: v6 ? `2001:db8:c::${(i + 1).toString(16)}` : `10.1.${(i >> 8) & 255}.${(i & 255) + 1}`,
      v6,
      ttl: rng.chance(0.7) ? 64 : 128,
      nextPort: rng.int(32768, 60999),
    });
  }
  return { servers, clients };
}

const endpoint = (ip: string, port: number): string => (ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`);

// ------------------------------------------------------------------------------------------------
// What flows yield: a frame as bytes, or a template with the fields to stamp. `t` is nanoseconds
// since the capture's base time, as an integer-valued float64.

interface BytesPacket {
  t: number;
  data: Uint8Array;
  /** Scenario label when the frame is a RST. */
  label: string | null;
}

interface TemplatePacket {
  t: number;
  tpl: TcpFrameTemplate;
  seq: number;
  ack: number;
  ipId: number;
  tsVal: number;
  tsEcr: number;
}

type Packet = BytesPacket | TemplatePacket;

interface Flow {
  /** Time of `pending`. */
  t: number;
  pending: Packet;
  rest: Iterator<Packet>;
}

/** Min-heap of flows on the time of their next packet; equal times keep insertion order. */
class FlowHeap {
  private items: { flow: Flow; order: number }[] = [];
  private counter = 0;
  get size(): number {
    return this.items.length;
  }
  peekTime(): number {
    return this.items[0]?.flow.t ?? Infinity;
  }
  push(flow: Flow): void {
    const items = this.items;
    items.push({ flow, order: this.counter++ });
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }
  pop(): Flow | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined) return undefined;
    if (items.length > 0) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < items.length && this.less(l, m)) m = l;
        if (r < items.length && this.less(r, m)) m = r;
        if (m === i) break;
        [items[i], items[m]] = [items[m]!, items[i]!];
        i = m;
      }
    }
    return top.flow;
  }
  private less(i: number, j: number): boolean {
    const a = this.items[i]!;
    const b = this.items[j]!;
    return a.flow.t < b.flow.t || (a.flow.t === b.flow.t && a.order < b.order);
  }
}

// ------------------------------------------------------------------------------------------------
// The generator's world: hosts, randomness, the base time and the label bookkeeping.

const BASE_SEC = 1_700_000_000;
const BASE_NS = BigInt(BASE_SEC) * 1_000_000_000n;

/** Deterministic body bytes (printable text) that responses and transfers slice from. */
const BODY = (() => {
  const b = new Uint8Array(1 << 16);
  const text = 'Resetscope synthetic body: the quick brown fox jumps over the lazy dog 0123456789. ';
  for (let i = 0; i < b.length; i++) b[i] = text.charCodeAt(i % text.length);
  return b;
})();

class World {
  readonly rng: Rng;
  readonly servers: Server[];
  readonly clients: Client[];
  connections = 0;
  ipv6Connections = 0;
  stopping = false;

  constructor(seed: number) {
    this.rng = new Rng(seed);
    const hosts = makeHosts(this.rng);
    this.servers = hosts.servers;
    this.clients = hosts.clients;
  }

  /** A client and a server of the same IP version (IPv6 about a quarter of the time). */
  pair(server?: Server): { client: Client; server: Server } {
    const s = server ?? this.rng.pick(this.servers);
    let c = this.rng.pick(this.clients);
    while (c.v6 !== s.v6) c = this.rng.pick(this.clients);
    return { client: c, server: s };
  }

  /** A conversation between a client (next ephemeral port) and a server starting at time t. */
  conversation(
    client: Client,
    server: Server,
    t: number,
    extra: Partial<ConversationOptions> = {},
  ): TcpConversation {
    const port = client.nextPort;
    client.nextPort = port >= 60999 ? 32768 : port + 1;
    this.connections++;
    if (server.v6) this.ipv6Connections++;
    return tcpConversation({
      client: endpoint(client.ip, port),
      server: endpoint(server.ip, server.port),
      clientTtl: client.ttl,
      serverTtl: server.ttl,
      isnClient: this.rng.u32(),
      isnServer: this.rng.u32(),
      rtt: server.rtt,
      gap: 0.00002,
      start: BASE_NS + BigInt(Math.round(t)),
      ipIdClient: this.rng.int(0, 0xffff),
      ipIdServer: this.rng.int(0, 0xffff),
      timestamps: this.rng.chance(0.5),
      windowScale: 7,
      window: 502,
      ...extra,
    });
  }

  body(length: number): Uint8Array {
    const at = this.rng.int(0, BODY.length - Math.min(length, BODY.length));
    if (length <= BODY.length - at) return BODY.subarray(at, at + length);
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i += BODY.length) out.set(BODY.subarray(0, Math.min(BODY.length, length - i)), i);
    return out;
  }
}

/** A flow over already-built frames; RSTs carry `label`. */
function* scripted(frames: readonly SynthFrame[], label: string | null): Generator<Packet> {
  for (const f of frames) {
    yield {
      t: Number(f.timestampNs - BASE_NS),
      data: f.data,
      label: f.flags & F.RST ? label : null,
    };
  }
}

const request = (w: World, path: string): string =>
  `GET /${path}/${w.rng.int(1, 99999)} HTTP/1.1\r\nHost: example.test\r\nUser-Agent: bench/1\r\nAccept: */*\r\n\r\n`;

const response = (w: World, status: string, bodyLength: number): Uint8Array => {
  const head = `HTTP/1.1 ${status}\r\nContent-Type: text/plain\r\nContent-Length: ${bodyLength}\r\n\r\n`;
  const out = new Uint8Array(head.length + bodyLength);
  for (let i = 0; i < head.length; i++) out[i] = head.charCodeAt(i);
  out.set(w.body(bodyLength), head.length);
  return out;
};

// ------------------------------------------------------------------------------------------------
// Short connections: one to three request/response exchanges, then an orderly close; one in ten
// ends with the browser's RST after everything was acknowledged (`fast-close`, normal).

function shortConnection(w: World, t: number): Generator<Packet> {
  const { client, server } = w.pair();
  const c = w.conversation(client, server, t);
  const rng = w.rng;
  c.handshake();
  const exchanges = rng.chance(0.2) ? rng.int(2, 3) : 1;
  for (let i = 0; i < exchanges; i++) {
    if (i > 0) c.idle(rng.exp(0.05));
    c.clientSends(request(w, 'item'));
    if (rng.chance(0.03)) c.retransmit('client', { rto: 0.2 + server.rtt });
    const size = Math.min(60000, Math.round(rng.exp(4000)) + 200);
    c.serverSends(response(w, '200 OK', size));
    c.ack('client');
  }
  if (rng.chance(0.1)) {
    c.idle(rng.exp(0.5)).rst('client');
    return scripted(c.frames, 'fast-close');
  }
  c.close(rng.chance(0.6) ? 'client' : 'server');
  return scripted(c.frames, null);
}

// ------------------------------------------------------------------------------------------------
// Long transfers: a download paced at a few MB/s, delayed ACKs every two segments, and now and then
// a segment lost before the capture point: three duplicate ACKs, a fast retransmission a round trip
// later. Templates are built once per flow and stamped per packet.

function* longTransfer(w: World, t: number, totalBytes: number): Generator<Packet> {
  const rng = w.rng;
  const { client, server } = w.pair();
  const cport = client.nextPort;
  client.nextPort = cport >= 60999 ? 32768 : cport + 1;
  w.connections++;
  if (server.v6) w.ipv6Connections++;
  const base = {
    window: 502,
    options: { timestamps: { value: 0, echo: 0 } },
  };
  const c2s = { src: client.ip, dst: server.ip, srcPort: cport, dstPort: server.port, ttl: client.ttl, ...base };
  const s2c = { src: server.ip, dst: client.ip, srcPort: server.port, dstPort: cport, ttl: server.ttl, ...base };
  const synOpts = { mss: 1460, sackPermitted: true, windowScale: 7, timestamps: { value: 0, echo: 0 } };
  const req = request(w, 'large');
  const MSS = 1448;
  const tpl = {
    syn: new TcpFrameTemplate({ ...c2s, seq: 0, flags: F.SYN, window: 64240, options: synOpts }),
    synAck: new TcpFrameTemplate({ ...s2c, seq: 0, flags: F.SYN | F.ACK, window: 65160, options: synOpts }),
    ack: new TcpFrameTemplate({ ...c2s, seq: 0, flags: F.ACK }),
    req: new TcpFrameTemplate({ ...c2s, seq: 0, flags: F.ACK | F.PSH, payload: req }),
    data: new TcpFrameTemplate({ ...s2c, seq: 0, flags: F.ACK, payload: w.body(MSS) }),
    finS: new TcpFrameTemplate({ ...s2c, seq: 0, flags: F.ACK | F.FIN }),
    finC: new TcpFrameTemplate({ ...c2s, seq: 0, flags: F.ACK | F.FIN }),
    lastAck: new TcpFrameTemplate({ ...s2c, seq: 0, flags: F.ACK }),
  };
  const rtt = Math.round(server.rtt * 1e9);
  const gap = 20_000;
  // Each flow runs at 2-4 MB/s.
  const interval = Math.round((MSS / (2e6 + 2e6 * rng.next())) * 1e9);
  let ipC = rng.int(0, 0xffff);
  let ipS = rng.int(0, 0xffff);
  const tsC0 = rng.u32();
  const tsS0 = rng.u32();
  const tsC = (): number => (tsC0 + Math.floor(t / 1e6)) >>> 0;
  const tsS = (): number => (tsS0 + Math.floor((t - rtt / 2) / 1e6)) >>> 0;
  const fromC = (p: TcpFrameTemplate, seq: number, ack: number, echo: number): TemplatePacket => ({
    t,
    tpl: p,
    seq,
    ack,
    ipId: (ipC = (ipC + 1) & 0xffff),
    tsVal: tsC(),
    tsEcr: echo,
  });
  const fromS = (p: TcpFrameTemplate, seq: number, ack: number, echo: number): TemplatePacket => ({
    t,
    tpl: p,
    seq,
    ack,
    ipId: (ipS = (ipS + 1) & 0xffff),
    tsVal: tsS(),
    tsEcr: echo,
  });

  const isnC = rng.u32();
  const isnS = rng.u32();
  yield fromC(tpl.syn, isnC, 0, 0);
  t += rtt;
  yield fromS(tpl.synAck, isnS, isnC + 1, tsC());
  t += gap;
  yield fromC(tpl.ack, isnC + 1, isnS + 1, tsS());
  t += gap;
  yield fromC(tpl.req, isnC + 1, isnS + 1, tsS());
  const rcvC = (isnC + 1 + req.length) >>> 0;
  t += rtt;
  let snd = (isnS + 1) >>> 0;
  let sent = 0;
  while (sent < totalBytes && !w.stopping) {
    if (rng.chance(0.002)) {
      // Loss before the capture point: the segment at `lost` never shows; three dup ACKs.
      const lost = snd;
      snd = (snd + MSS) >>> 0;
      for (let k = 0; k < 3; k++) {
        t += interval;
        yield fromS(tpl.data, snd, rcvC, tsC());
        snd = (snd + MSS) >>> 0;
        t += gap;
        yield fromC(tpl.ack, rcvC, lost, tsS());
      }
      t += rtt;
      yield fromS(tpl.data, lost, rcvC, tsC());
      t += gap;
      yield fromC(tpl.ack, rcvC, snd, tsS());
      sent += 4 * MSS;
    } else {
      t += interval;
      yield fromS(tpl.data, snd, rcvC, tsC());
      snd = (snd + MSS) >>> 0;
      t += interval;
      yield fromS(tpl.data, snd, rcvC, tsC());
      snd = (snd + MSS) >>> 0;
      t += gap;
      yield fromC(tpl.ack, rcvC, snd, tsS());
      sent += 2 * MSS;
    }
  }
  t += interval;
  yield fromS(tpl.finS, snd, rcvC, tsC());
  t += gap;
  yield fromC(tpl.finC, rcvC, snd + 1, tsS());
  t += rtt;
  yield fromS(tpl.lastAck, snd + 1, rcvC + 1, tsC());
}

// ------------------------------------------------------------------------------------------------
// Reset scenarios (SCENARIOS.md), one script each. Each returns its frames and the label of its RSTs.

type Scenario = (w: World, t: number) => { frames: readonly SynthFrame[]; label: string };

const SCENARIOS: Record<string, Scenario> = {
  refused(w, t) {
    const { client, server } = w.pair();
    const c = w.conversation(client, { ...server, port: w.rng.pick([23, 3306, 6379, 9200]) }, t);
    return { frames: c.refuse().frames, label: 'refused' };
  },
  'firewall-reject'(w, t) {
    const { client, server } = w.pair();
    const c = w.conversation(client, { ...server, port: w.rng.pick([25, 445, 3389]) }, t);
    // Made by a device near the client: far faster than the round trip, with its own TTL.
    c.synOnly().refuse({ delay: Math.min(0.0003, server.rtt / 10), ttl: 255 - w.rng.int(0, 2) });
    return { frames: c.frames, label: 'firewall-reject' };
  },
  'port-scan'(w, t) {
    const server = w.pair().server;
    const scanner: Client = { ip: server.v6 ? '2001:db8:bad::66' : '10.66.6.6', v6: server.v6, ttl: 64, nextPort: 40000 };
    const convs: TcpConversation[] = [];
    const ports = new Set<number>();
    while (ports.size < 60) ports.add(w.rng.int(1, 1024));
    ports.add(server.port);
    let at = t;
    for (const port of ports) {
      at += w.rng.exp(3e6);
      const c = w.conversation(scanner, { ...server, port }, at, { timestamps: false, mss: 1460 });
      if (port === server.port) c.syn().synAck().rst('client', { noState: true });
      else c.refuse();
      convs.push(c);
    }
    return { frames: mergeFrames(...convs), label: 'port-scan' };
  },
  abort(w, t) {
    const { client, server } = w.pair();
    const c = w.conversation(client, server, t);
    c.handshake().clientSends(request(w, 'upload')).serverSends(response(w, '200 OK', 3000).subarray(0, 1400));
    c.clientSends(w.body(2000)).rst('server');
    return { frames: c.frames, label: 'abort' };
  },
  'fast-close'(w, t) {
    const { client, server } = w.pair();
    const c = w.conversation(client, server, t);
    c.handshake().clientSends(request(w, 'page')).serverSends(response(w, '200 OK', 900)).ack('client');
    c.fin('client').ack('server').rst('server');
    return { frames: c.frames, label: 'fast-close' };
  },
  'data-after-close'(w, t) {
    const { client, server } = w.pair();
    const c = w.conversation(client, { ...server, port: 21 }, t);
    c.handshake().serverSends('220 FTP ready\r\n').clientSends('PASV\r\n').serverSends('227 Entering Passive Mode\r\n');
    c.fin('server').ack('client').clientSends('LIST\r\n').rst('server');
    return { frames: c.frames, label: 'data-after-close' };
  },
  stale(w, t) {
    const { client, server } = w.pair();
    const c = w.conversation(client, server, t);
    c.handshake().clientSends(request(w, 'a')).serverSends(response(w, '200 OK', 500)).ack('client');
    c.idle(90 + w.rng.next() * 60).clientSends(request(w, 'b')).rst('server', { ack: false });
    return { frames: c.frames, label: 'stale' };
  },
  unexpected(w, t) {
    const { client, server } = w.pair();
    const c = w.conversation(client, server, t);
    // Backscatter: a SYN-ACK the client never asked for.
    c.segment('server', { flags: F.SYN | F.ACK, seq: w.rng.u32(), ack: w.rng.u32() }).rst('client', { noState: true });
    return { frames: c.frames, label: 'unexpected' };
  },
  'idle-timeout'(w, t) {
    const { client, server } = w.pair();
    const c = w.conversation(client, server, t);
    c.handshake();
    for (let i = 0; i < 4; i++) c.idle(0.2).clientSends(request(w, 'poll')).serverSends(response(w, '200 OK', 300)).ack('client');
    c.idle(45).keepalive('client').ack('server').idle(45).keepalive('client').ack('server');
    c.idle(300).rst('server');
    return { frames: c.frames, label: 'idle-timeout' };
  },
  'retransmission-timeout'(w, t) {
    const { client, server } = w.pair();
    const c = w.conversation(client, server, t);
    c.handshake().clientSends(request(w, 'x'), { delivered: false });
    c.retransmit('client', { times: 6, rto: 0.2 + server.rtt, delivered: false }).rst('client', { delay: 3 });
    return { frames: c.frames, label: 'retransmission-timeout' };
  },
  'rst-not-received'(w, t) {
    const { client, server } = w.pair();
    const c = w.conversation(client, server, t);
    c.handshake().clientSends(request(w, 'stream')).serverSends(w.body(1400)).rst('client');
    // The peer keeps sending well past a round trip after each RST: what it sends within one round
    // trip was already in flight and says nothing about whether the RST arrived.
    for (let i = 0; i < 4; i++) c.serverSends(w.body(1400), { delay: 2 * server.rtt + 0.001 }).rst('client', { delay: 0.000004 });
    return { frames: c.frames, label: 'rst-not-received' };
  },
  injected(w, t) {
    const { client, server } = w.pair();
    const c = w.conversation(client, server, t);
    c.handshake().clientSends(request(w, 'blocked')).serverSends(w.body(1000));
    // A middlebox forges the server's reset: wrong TTL and an IP ID out of the server's sequence.
    c.rst('server', { ttl: server.ttl > 200 ? 64 : 250, ipId: w.rng.int(0, 0xffff), delay: 0.0001 });
    c.serverSends(w.body(1400)).serverSends(w.body(800));
    return { frames: c.frames, label: 'injected' };
  },
  'out-of-window'(w, t) {
    const { client, server } = w.pair();
    const c = w.conversation(client, server, t);
    c.handshake().clientSends(request(w, 'q')).serverSends(response(w, '200 OK', 200)).ack('client');
    c.rst('server', { seqOffset: 0x40000000 + w.rng.int(0, 0xffffff) }).ack('client');
    c.clientSends(request(w, 'r')).serverSends(response(w, '200 OK', 200)).close('client');
    return { frames: c.frames, label: 'out-of-window' };
  },
  overload(w, t) {
    const server = w.pair().server;
    const convs: TcpConversation[] = [];
    let at = t;
    for (let i = 0; i < 25; i++) {
      at += w.rng.exp(1e6);
      const c = w.conversation(w.pair(server).client, server, at);
      if (i % 5 === 0) c.handshake().clientSends(request(w, 'busy')).serverSends(response(w, '200 OK', 400)).close('client');
      else c.refuse();
      convs.push(c);
    }
    return { frames: mergeFrames(...convs), label: 'overload' };
  },
  'app-error'(w, t) {
    const { client, server } = w.pair();
    const c = w.conversation(client, server, t);
    const status = w.rng.pick(['500 Internal Server Error', '503 Service Unavailable', '404 Not Found']);
    c.handshake().clientSends(request(w, 'api')).serverSends(response(w, status, 120)).rst('server', { delay: 0.0002 });
    return { frames: c.frames, label: 'app-error' };
  },
};

export const SCENARIO_IDS = Object.keys(SCENARIOS);

// ------------------------------------------------------------------------------------------------
// The driver.

/** Writes one synthetic capture through `onChunk` and says what is in it. */
export function generateCapture(options: GenerateOptions): GenerateSummary {
  const started = performance.now();
  const seed = options.seed ?? 1;
  const mix = options.mix ?? 'bench';
  const chunkSize = options.chunkSize ?? 4 << 20;

  let reserve: (sec: number, nsec: number, length: number) => number;
  let buf: () => Uint8Array;
  let finish: () => void;
  let written: () => number;
  if (options.format === 'pcap') {
    const pw = new PcapStreamWriter({ snaplen: 262144 }, { chunkSize, onChunk: options.onChunk });
    reserve = (sec, nsec, length) => pw.reserve(sec, nsec, length);
    buf = () => pw.out.buf;
    finish = () => pw.end().forEach(options.onChunk);
    written = () => pw.length;
  } else {
    const nw = new PcapngStreamWriter({ chunkSize, onChunk: options.onChunk });
    // The bench mix's section header is what it was in v3, so its captures stay byte for byte the same.
    const application = `resetscope bench generator v${MIX_VERSIONS[mix]}${mix === 'bench' ? '' : ` (${mix} mix)`}`;
    nw.section({ userApplication: application, os: 'synthetic' });
    nw.addInterface({ tsresol: 9, name: 'bench0', description: 'synthetic link, client side' });
    reserve = (sec, nsec, length) => nw.reserveNs(0, sec, nsec, length);
    buf = () => nw.out.buf;
    finish = () => nw.end().forEach(options.onChunk);
    written = () => nw.length;
  }

  if (mix !== 'bench') {
    const sink: FrameSink = { reserve, buf, written };
    const limits = { targetBytes: options.targetBytes, targetConnections: options.targetConnections };
    const generate = mix === 'plain' ? plainMix : mix === 'small' ? smallMix : connsMix;
    const r = generate(sink, seed, limits);
    const bytes = written();
    finish();
    return {
      generatorVersion: GENERATOR_VERSION,
      mix,
      outputVersion: MIX_VERSIONS[mix],
      format: options.format,
      seed,
      bytes,
      packets: r.packets,
      connections: r.connections,
      ipv6Connections: 0,
      captureSeconds: r.lastT / 1e9,
      resetsByScenario: r.counts,
      labels: r.labels,
      generationSeconds: (performance.now() - started) / 1000,
    };
  }

  const w = new World(seed);
  const rng = w.rng;
  const heap = new FlowHeap();
  const add = (it: Iterator<Packet>): void => {
    const first = it.next();
    if (!first.done) heap.push({ t: first.value.t, pending: first.value, rest: it });
  };

  // Arrival processes (times in ns since the base).
  const shortMean = 1e9 / 800;
  const scenarioMean = 1e9 / 15;
  const firstRoundMean = 1e9 / 300;
  const bulkTarget = 2;
  let bulkActive = 0;
  let nextShort = 0;
  let nextScenario = rng.exp(firstRoundMean);
  let scenarioTurn = 0;
  const scenarioOrder = [...SCENARIO_IDS];
  const bulkDone = function* (inner: Generator<Packet>): Generator<Packet> {
    yield* inner;
    bulkActive--;
  };
  const startBulk = (t: number): void => {
    bulkActive++;
    const size = Math.min(200e6, options.targetBytes * (0.05 + 0.25 * rng.next()));
    add(bulkDone(longTransfer(w, t, size)));
  };
  for (let i = 0; i < bulkTarget; i++) startBulk(rng.exp(5e6));

  let packets = 0;
  let lastT = 0;
  const labels: { frame: number; scenario: string }[] = [];
  const counts: Record<string, number> = {};

  for (;;) {
    if (!w.stopping) {
      // Start whatever arrives before the next packet due.
      const due = heap.peekTime();
      while (nextShort <= due || nextScenario <= due || bulkActive < bulkTarget) {
        if (bulkActive < bulkTarget) {
          startBulk(Math.max(lastT, 0) + rng.exp(50e6));
        } else if (nextShort <= nextScenario) {
          add(shortConnection(w, nextShort));
          nextShort += Math.round(rng.exp(shortMean));
        } else {
          const id = scenarioOrder[scenarioTurn++ % scenarioOrder.length]!;
          const { frames, label } = SCENARIOS[id]!(w, nextScenario);
          add(scripted(frames, label));
          // The first round of every scenario comes quickly, so even a small capture has them all.
          nextScenario += Math.round(rng.exp(scenarioTurn <= scenarioOrder.length ? firstRoundMean : scenarioMean));
        }
        if (heap.peekTime() < due) break;
      }
    }
    const flow = heap.pop();
    if (!flow) break;
    const p = flow.pending;
    // Times are integer nanoseconds since the base held in a float64.
    const t = Math.max(p.t, lastT);
    lastT = t;
    const secs = Math.floor(t / 1e9);
    const nsec = t - secs * 1e9;
    if ('tpl' in p) {
      const at = reserve(BASE_SEC + secs, nsec, p.tpl.length);
      p.tpl.writeTo(buf(), at, p.seq, p.ack, p.ipId, p.tsVal, p.tsEcr);
    } else {
      const at = reserve(BASE_SEC + secs, nsec, p.data.length);
      buf().set(p.data, at);
    }
    packets++;
    if ('label' in p && p.label !== null) {
      labels.push({ frame: packets, scenario: p.label });
      counts[p.label] = (counts[p.label] ?? 0) + 1;
    }
    const next = flow.rest.next();
    if (!next.done) {
      flow.t = next.value.t;
      flow.pending = next.value;
      heap.push(flow);
    }
    if (!w.stopping && written() >= options.targetBytes) w.stopping = true;
  }
  const bytes = written();
  finish();
  return {
    generatorVersion: GENERATOR_VERSION,
    mix,
    outputVersion: MIX_VERSIONS[mix],
    format: options.format,
    seed,
    bytes,
    packets,
    connections: w.connections,
    ipv6Connections: w.ipv6Connections,
    captureSeconds: lastT / 1e9,
    resetsByScenario: counts,
    labels,
    generationSeconds: (performance.now() - started) / 1000,
  };
}

/** Parses 10MB, 200MB, 1GB, 4GB (powers of 1000, as the issue's sizes are meant) or a byte count. */
export function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(B|KB|MB|GB)?$/i.exec(text.trim());
  if (!m) throw new Error(`not a size: ${text} (want e.g. 10MB, 200MB, 1GB)`);
  const unit = (m[2] ?? 'B').toUpperCase();
  const mult = unit === 'GB' ? 1e9 : unit === 'MB' ? 1e6 : unit === 'KB' ? 1e3 : 1;
  return Math.round(Number(m[1]) * mult);
}

/** Generates straight into a file; returns the summary. */
export function generateToFile(
  path: string,
  targetBytes: number,
  format: CaptureFormat,
  seed = 1,
  more: { mix?: Mix; targetConnections?: number } = {},
): GenerateSummary {
  const fd = openSync(path, 'w');
  try {
    return generateCapture({ targetBytes, format, seed, ...more, onChunk: (chunk) => void writeSync(fd, chunk) });
  } finally {
    closeSync(fd);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name: string): string | undefined => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  const out = arg('out');
  if (!out) {
    console.error(
      'usage: tsx bench/generate.ts --out FILE [--size 10MB] [--format pcap|pcapng] [--seed 1] [--mix bench|plain|small|conns] [--connections N]',
    );
    process.exit(2);
  }
  const format = (arg('format') ?? 'pcap') as CaptureFormat;
  const mix = (arg('mix') ?? 'bench') as Mix;
  if (!MIXES.includes(mix)) throw new Error(`unknown mix ${mix} (${MIXES.join(', ')})`);
  const connections = arg('connections');
  const summary = generateToFile(out, parseSize(arg('size') ?? (connections ? '100GB' : '10MB')), format, Number(arg('seed') ?? 1), {
    mix,
    targetConnections: connections ? Number(connections) : undefined,
  });
  const { labels: _labels, ...rest } = summary;
  console.log(JSON.stringify(rest, null, 2));
}

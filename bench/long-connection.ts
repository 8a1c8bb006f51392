/**
 * A capture with one long connection of exactly N packets (issue 6: "a connection of 1,000,000
 * packets opens its ladder in under a second"): handshake, a request, then a download of full-size
 * segments with a delayed ACK every two segments, and a FIN exchange. It is written the way
 * `tcpdump -s 96` records a bulk transfer: each frame cut to its first 96 bytes, the original length
 * kept, so 1,000,000 packets take ~100 MB rather than ~1 GB and the time measured is the ladder's,
 * not the file read's. A few short connections come first so the list has more than one row.
 *
 * Cached beside the benchmark's other captures (bench/cache.ts's directory).
 */
import { closeSync, existsSync, mkdirSync, openSync, renameSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { F, PcapStreamWriter, TcpFrameTemplate } from '../test/synth/index.ts';
import { cacheRoot } from './cache.ts';
import { MIX_VERSIONS } from './generate.ts';

export interface LongConnectionCapture {
  path: string;
  bytes: number;
  /** Packets of the long connection. */
  packets: number;
  /** Client and server ports of the long connection, to find its row. */
  clientPort: number;
  serverPort: number;
  generated: boolean;
}

const MSS = 1448;
const SNAPLEN = 96;
const CLIENT = '10.20.0.2';
const SERVER = '192.0.2.80';
const CLIENT_PORT = 51000;
const SERVER_PORT = 443;
/** Short connections before the long one (3-packet handshake + RST from the client each). */
const SHORT = 20;

function write(path: string, packets: number): void {
  const fd = openSync(path, 'w');
  try {
    const w = new PcapStreamWriter({ snaplen: SNAPLEN }, { chunkSize: 4 << 20, onChunk: (c) => void writeSync(fd, c) });
    let t = 1_700_000_000 * 1e9;
    const put = (tpl: TcpFrameTemplate, seq: number, ack: number, ipId: number): void => {
      const sec = Math.floor(t / 1e9);
      const at = w.reserve(sec, t - sec * 1e9, tpl.length);
      tpl.writeTo(w.out.buf, at, seq, ack, ipId);
    };

    for (let i = 0; i < SHORT; i++) {
      const c = { src: CLIENT, dst: SERVER, srcPort: 40000 + i, dstPort: SERVER_PORT };
      const s = { src: SERVER, dst: CLIENT, srcPort: SERVER_PORT, dstPort: 40000 + i };
      put(new TcpFrameTemplate({ ...c, seq: 0, flags: F.SYN, options: { mss: 1460 } }), 1000, 0, i);
      t += 1e6;
      put(new TcpFrameTemplate({ ...s, seq: 0, flags: F.SYN | F.ACK, options: { mss: 1460 } }), 5000, 1001, i);
      t += 1e5;
      put(new TcpFrameTemplate({ ...c, seq: 0, flags: F.ACK }), 1001, 5001, i);
      t += 1e6;
      put(new TcpFrameTemplate({ ...c, seq: 0, flags: F.RST | F.ACK }), 1001, 5001, i);
      t += 1e6;
    }

    const c = { src: CLIENT, dst: SERVER, srcPort: CLIENT_PORT, dstPort: SERVER_PORT, window: 2048 };
    const s = { src: SERVER, dst: CLIENT, srcPort: SERVER_PORT, dstPort: CLIENT_PORT, window: 502 };
    const request = 'GET /large HTTP/1.1\r\nHost: example.test\r\n\r\n';
    const tpl = {
      syn: new TcpFrameTemplate({ ...c, seq: 0, flags: F.SYN, window: 64240, options: { mss: 1460, windowScale: 7 } }),
      synAck: new TcpFrameTemplate({ ...s, seq: 0, flags: F.SYN | F.ACK, window: 65160, options: { mss: 1460, windowScale: 7 } }),
      ack: new TcpFrameTemplate({ ...c, seq: 0, flags: F.ACK }),
      req: new TcpFrameTemplate({ ...c, seq: 0, flags: F.ACK | F.PSH, payload: request }),
      data: new TcpFrameTemplate({ ...s, seq: 0, flags: F.ACK, payload: new Uint8Array(MSS).fill(0x61) }),
      finS: new TcpFrameTemplate({ ...s, seq: 0, flags: F.ACK | F.FIN }),
      finC: new TcpFrameTemplate({ ...c, seq: 0, flags: F.ACK | F.FIN }),
      lastAck: new TcpFrameTemplate({ ...s, seq: 0, flags: F.ACK }),
    };
    const isnC = 0x1000_0000;
    const isnS = 0x7000_0000;
    let ipC = 0;
    let ipS = 0;
    const rcvC = (isnC + 1 + request.length) >>> 0;
    put(tpl.syn, isnC, 0, ipC++);
    t += 20e6;
    put(tpl.synAck, isnS, isnC + 1, ipS++);
    t += 20e3;
    put(tpl.ack, isnC + 1, isnS + 1, ipC++);
    put(tpl.req, isnC + 1, isnS + 1, ipC++);
    t += 20e6;
    // 4 packets so far, 4 at the end (FIN, ACK, FIN, ACK): the transfer fills the rest.
    let left = packets - 8;
    let snd = (isnS + 1) >>> 0;
    let unacked = 0;
    while (left > 0) {
      if (unacked === 2 || left === 1) {
        put(tpl.ack, rcvC, snd, ipC++ & 0xffff);
        unacked = 0;
      } else {
        put(tpl.data, snd, rcvC, ipS++ & 0xffff);
        snd = (snd + MSS) >>> 0;
        unacked++;
      }
      left--;
      t += 250e3; // ~4,000 packets a second: 1,000,000 packets take ~4 minutes
    }
    put(tpl.finS, snd, rcvC, ipS++ & 0xffff);
    t += 10e6;
    put(tpl.ack, rcvC, (snd + 1) >>> 0, ipC++ & 0xffff);
    put(tpl.finC, rcvC, (snd + 1) >>> 0, ipC++ & 0xffff);
    t += 10e6;
    put(tpl.lastAck, (snd + 1) >>> 0, (rcvC + 1) >>> 0, ipS++ & 0xffff);
    w.end().forEach((chunk) => void writeSync(fd, chunk));
  } finally {
    closeSync(fd);
  }
}

/** The capture with one connection of `packets` packets, generated once and cached. */
export function ensureLongConnection(packets = 1_000_000): LongConnectionCapture {
  const dir = join(cacheRoot(), `gen-v${MIX_VERSIONS.bench}`);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `long-connection-${packets}.pcap`);
  let generated = false;
  if (!existsSync(path)) {
    const tmp = `${path}.partial`;
    write(tmp, packets);
    renameSync(tmp, path);
    generated = true;
  }
  return { path, bytes: statSync(path).size, packets, clientPort: CLIENT_PORT, serverPort: SERVER_PORT, generated };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = Number(process.argv[2] ?? 1_000_000);
  const t0 = performance.now();
  const cap = ensureLongConnection(n);
  console.log(JSON.stringify({ ...cap, seconds: (performance.now() - t0) / 1000 }));
}

/**
 * An RST flood (issue 13, item 4): one connection, a handshake and a request, then N RSTs from the
 * server (1,000,000 by default) answering the client, the way a stack or a middlebox in a loop
 * resets the same segment over and over. The RSTs are identical apart from their time, which
 * moves by 1 ms every 1,000 RSTs, so the gzip-compressed file stays small (242 KB for a
 * million) while the analysis sees a million RST frames. `--answering`: each RST answers a new data
 * segment from the client instead (2,000,004 frames, about 20 MB compressed).
 *
 * `npx tsx bench/rst-flood.ts [N]` writes it to the bench cache and prints its path.
 */
import { existsSync, mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { concatChunks, F, PcapStreamWriter, TcpFrameTemplate } from '../test/synth/index.ts';
import { cacheRoot } from './cache.ts';

const CLIENT = '10.20.0.2';
const SERVER = '192.0.2.80';

/**
 * The capture's bytes, uncompressed (pcap, µs). `answering`: each RST answers a new 100-byte
 * segment from the client (a peer that never hears the resets), so the RSTs are not back to back.
 */
export function rstFloodPcap(resets: number, answering = false): Uint8Array {
  const chunks: Uint8Array[] = [];
  const w = new PcapStreamWriter({}, { chunkSize: 4 << 20, onChunk: (c) => void chunks.push(c) });
  const c = { src: CLIENT, dst: SERVER, srcPort: 51000, dstPort: 443 };
  const s = { src: SERVER, dst: CLIENT, srcPort: 443, dstPort: 51000 };
  const request = 'GET / HTTP/1.1\r\nHost: example.test\r\n\r\n';
  let t = 1_700_000_000 * 1e9;
  const put = (tpl: TcpFrameTemplate, seq: number, ack: number, ipId: number): void => {
    const sec = Math.floor(t / 1e9);
    const at = w.reserve(sec, t - sec * 1e9, tpl.length); // may start a new chunk: before reading `buf`
    tpl.writeTo(w.out.buf, at, seq, ack, ipId);
  };
  const isnC = 0x1000_0000;
  const isnS = 0x7000_0000;
  put(new TcpFrameTemplate({ ...c, seq: 0, flags: F.SYN, options: { mss: 1460 } }), isnC, 0, 1);
  t += 20e6;
  put(new TcpFrameTemplate({ ...s, seq: 0, flags: F.SYN | F.ACK, options: { mss: 1460 } }), isnS, isnC + 1, 0);
  t += 20e3;
  put(new TcpFrameTemplate({ ...c, seq: 0, flags: F.ACK }), isnC + 1, isnS + 1, 2);
  put(new TcpFrameTemplate({ ...c, seq: 0, flags: F.ACK | F.PSH, payload: request }), isnC + 1, isnS + 1, 3);
  t += 5e6;
  const rst = new TcpFrameTemplate({ ...s, seq: 0, flags: F.RST });
  const data = new TcpFrameTemplate({ ...c, seq: 0, flags: F.ACK | F.PSH, payload: 'x'.repeat(100) });
  let seq = isnC + 1 + request.length;
  for (let i = 0; i < resets; i++) {
    if (i % 1000 === 0) t += 1e6;
    if (answering) {
      put(data, seq, isnS + 1, (4 + i) & 0xffff);
      seq += 100;
    }
    put(rst, isnS + 1, 0, 0);
  }
  for (const chunk of w.end()) chunks.push(chunk);
  return concatChunks(chunks);
}

/** The gzip-compressed flood of `resets` RSTs, written once into the bench cache. */
export function ensureRstFlood(resets = 1_000_000, answering = false): { path: string; bytes: number; resets: number; packets: number } {
  const dir = join(cacheRoot(), 'hostile-v2');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `rst-flood-${answering ? 'answering-' : ''}${resets}.pcap.gz`);
  if (!existsSync(path)) {
    writeFileSync(`${path}.partial`, gzipSync(rstFloodPcap(resets, answering), { level: 9 }));
    renameSync(`${path}.partial`, path);
  }
  return { path, bytes: statSync(path).size, resets, packets: (answering ? 2 * resets : resets) + 4 };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(ensureRstFlood(Number(process.argv[2] ?? 1_000_000), process.argv.includes('--answering'))));
}

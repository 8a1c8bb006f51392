/**
 * Hash flooding (issue 13, item 5): 4-tuples chosen so that the flow table's old hash (unkeyed
 * FNV-1a over the key words, then a murmur3 finish) gives every one of them the same value, against
 * as many 4-tuples with random ports. Each client address 10.x.y.z talks to one server, and its ports
 * are picked to cancel what its address did to the FNV state: with that hash all of them fall in one
 * slot and linear probing makes the capture quadratic.
 *
 * `npx tsx bench/hash-flood.ts [N]` writes both captures to the bench cache and prints their paths.
 */
import { closeSync, existsSync, mkdirSync, openSync, renameSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { F, formatIp, PcapStreamWriter, TcpFrameTemplate } from '../test/synth/index.ts';
import { cacheRoot } from './cache.ts';

export interface Tuple {
  /** IPv4 addresses as unsigned 32-bit numbers. */
  client: number;
  server: number;
  clientPort: number;
  serverPort: number;
}

const SERVER = 0xc0000250; // 192.0.2.80
const FIRST_CLIENT = 0x0a000001; // 10.0.0.1
const FNV_PRIME = 0x01000193;
const FNV_PRIME_INVERSE = modInverse32(FNV_PRIME);

/** The flow table's hash before it was keyed: FNV-1a over the 10 key words, murmur3's finish. */
export function oldFlowHash(k: ArrayLike<number>): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < 10; i++) h = Math.imul(h ^ k[i]!, FNV_PRIME);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The flow table's key words for an IPv4 tuple whose client sorts first (10.x < 192.0.2.80). */
export function flowKey(t: Tuple): Uint32Array {
  return Uint32Array.of(t.client, 0, 0, 0, t.server, 0, 0, 0, ((t.clientPort << 16) | t.serverPort) >>> 0, 4);
}

/** FNV-1a state after the first 8 words (both addresses) of a tuple's key. */
function stateAfterAddresses(client: number, server: number): number {
  let h = 0x811c9dc5;
  const words = [client, 0, 0, 0, server, 0, 0, 0];
  for (const w of words) h = Math.imul(h ^ w, FNV_PRIME);
  return h >>> 0;
}

/**
 * `n` distinct tuples that all have the same old hash: client i is 10.0.0.1 + i, and its port word
 * is chosen so that the FNV state after it is the same for all (ports of 0 are skipped).
 */
export function craftCollidingTuples(n: number): Tuple[] {
  const target = Math.imul(stateAfterAddresses(FIRST_CLIENT, SERVER) ^ ((40000 << 16) | 443), FNV_PRIME) >>> 0;
  // (state ^ ports) * P = target  <=>  ports = state ^ target * P^-1
  const wanted = Math.imul(target, FNV_PRIME_INVERSE) >>> 0;
  const out: Tuple[] = [];
  for (let client = FIRST_CLIENT; out.length < n; client++) {
    const ports = (stateAfterAddresses(client, SERVER) ^ wanted) >>> 0;
    const clientPort = ports >>> 16;
    const serverPort = ports & 0xffff;
    if (clientPort === 0 || serverPort === 0) continue;
    out.push({ client, server: SERVER, clientPort, serverPort });
  }
  return out;
}

/** `n` tuples over the same addresses as `craftCollidingTuples`, with ports from a seeded generator. */
export function randomTuples(n: number, seed = 1): Tuple[] {
  let s = seed >>> 0 || 1;
  const next = (): number => {
    // xorshift32
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>>= 0);
  };
  const out: Tuple[] = [];
  for (let i = 0; i < n; i++) out.push({ client: FIRST_CLIENT + i, server: SERVER, clientPort: 1024 + (next() % 64000), serverPort: 1 + (next() % 65535) });
  return out;
}

function modInverse32(a: number): number {
  // Newton's iteration: x = x * (2 - a * x) doubles the correct low bits each time.
  let x = a;
  for (let i = 0; i < 5; i++) x = Math.imul(x, 2 - Math.imul(a, x));
  return x >>> 0;
}

/** A pcap with a handshake (SYN, SYN-ACK, ACK) on every tuple, one connection after the other. */
function write(path: string, tuples: Tuple[]): void {
  const fd = openSync(path, 'w');
  try {
    const w = new PcapStreamWriter({}, { chunkSize: 4 << 20, onChunk: (c) => void writeSync(fd, c) });
    let t = 1_700_000_000 * 1e9;
    const put = (tpl: TcpFrameTemplate, seq: number, ack: number): void => {
      const sec = Math.floor(t / 1e9);
      const at = w.reserve(sec, t - sec * 1e9, tpl.length); // may start a new chunk: before reading `buf`
      tpl.writeTo(w.out.buf, at, seq, ack, 1);
      t += 10e3;
    };
    for (const tu of tuples) {
      const c = { src: formatIp(ipv4Bytes(tu.client)), dst: formatIp(ipv4Bytes(tu.server)), srcPort: tu.clientPort, dstPort: tu.serverPort };
      const s = { src: c.dst, dst: c.src, srcPort: c.dstPort, dstPort: c.srcPort };
      put(new TcpFrameTemplate({ ...c, seq: 0, flags: F.SYN }), 1000, 0);
      put(new TcpFrameTemplate({ ...s, seq: 0, flags: F.SYN | F.ACK }), 5000, 1001);
      put(new TcpFrameTemplate({ ...c, seq: 0, flags: F.ACK }), 1001, 5001);
    }
    w.end().forEach((chunk) => void writeSync(fd, chunk));
  } finally {
    closeSync(fd);
  }
}

function ipv4Bytes(a: number): Uint8Array {
  return Uint8Array.of(a >>> 24, (a >>> 16) & 0xff, (a >>> 8) & 0xff, a & 0xff);
}

export interface FloodCaptures {
  crafted: string;
  random: string;
  connections: number;
}

/** Both captures of `n` connections, written once into the bench cache. */
export function ensureHashFlood(n = 65536): FloodCaptures {
  const dir = join(cacheRoot(), 'hostile-v2');
  mkdirSync(dir, { recursive: true });
  const paths = { crafted: join(dir, `hash-flood-crafted-${n}.pcap`), random: join(dir, `hash-flood-random-${n}.pcap`) };
  for (const kind of ['crafted', 'random'] as const) {
    const path = paths[kind];
    if (existsSync(path) && statSync(path).size > 0) continue;
    write(`${path}.partial`, kind === 'crafted' ? craftCollidingTuples(n) : randomTuples(n));
    renameSync(`${path}.partial`, path);
  }
  return { ...paths, connections: n };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(ensureHashFlood(Number(process.argv[2] ?? 65536))));
}

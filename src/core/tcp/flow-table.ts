/**
 * Open-addressing hash table from a TCP 4-tuple (either direction) to a conversation index, with the
 * keys kept in one Uint32Array: no string or object per packet on the hot path.
 *
 * A key is 10 words: address A (4 words), address B (4 words), portA << 16 | portB, IP version. The
 * endpoint that sorts first is A, so both directions of a conversation find the same slot.
 *
 * IPv4 keys hash three words (the two addresses and the ports), IPv6 keys all ten.
 *
 * The 4-tuples come from the capture, so whoever made it chooses them: with a fixed hash they can be
 * chosen to land in one slot (an unkeyed FNV-1a let ports be picked that cancel the address words,
 * and 64k such connections cost 15 times as much as random ones, growing quadratically). The hash is
 * therefore keyed with a random secret per table (HalfSipHash-1-3, the 32-bit SipHash), which
 * the capture cannot know. Conversation indices are handed out in insertion order, so nothing a
 * report shows depends on the secret.
 */
import { resized } from '../model/columns.ts';

const WORDS = 10;
/** Entries of the IPv4 look-up cache (a power of two): four words each, one cache line per look-up. */
const CACHE_BITS = 14;

/** Where a table takes its key from: tests pass a fixed one to compare two tables. */
export type FlowHashKey = readonly [number, number];

export class FlowTable {
  private slots: Int32Array;
  private mask: number;
  private keys: Uint32Array;
  private hashes: Uint32Array;
  count = 0;
  /** Slots inspected by `lookup` beyond the first, over the table's life (what a flood would inflate). */
  extraProbes = 0;
  private readonly probe = new Uint32Array(WORDS);
  private probeHash = 0;
  private readonly k0: number;
  private readonly k1: number;
  /** True when the last `lookup` found the packet's source to be endpoint A. */
  srcIsA = true;
  /**
   * A direct-mapped cache in front of the table for IPv4 keys: address A, address B, ports and the
   * index, under a cheap unkeyed hash. A hit skips the keyed hash and the probe; a capture that makes
   * its keys collide here only makes every look-up miss and take the keyed path, as it would anyway.
   */
  private readonly cache = new Int32Array(4 << CACHE_BITS).fill(-1);

  constructor(initial = 1024, key: FlowHashKey = randomKey()) {
    let cap = 1;
    while (cap < initial * 2) cap <<= 1;
    this.slots = new Int32Array(cap).fill(-1);
    this.mask = cap - 1;
    this.keys = new Uint32Array(initial * WORDS);
    this.hashes = new Uint32Array(initial);
    this.k0 = key[0] >>> 0;
    this.k1 = key[1] >>> 0;
  }

  /**
   * The conversation index of this 4-tuple, or -1. Leaves the canonical key and its hash in the
   * probe so `insert` can follow without recomputing them.
   */
  lookup(version: number, src: Uint32Array, dst: Uint32Array, sport: number, dport: number): number {
    const k = this.probe;
    let h: number;
    if (version === 4) {
      // IPv4 (most packets): the address words past the first are zero, so only three words are
      // hashed (a different length than IPv6's ten keeps the two apart).
      const s = src[0]!;
      const d = dst[0]!;
      const srcFirst = s !== d ? s < d : sport <= dport;
      this.srcIsA = srcFirst;
      const a = srcFirst ? s : d;
      const b = srcFirst ? d : s;
      const ports = srcFirst ? (sport << 16) | dport : (dport << 16) | sport;
      const c = cacheSlot(a, b, ports);
      const cache = this.cache;
      if (cache[c] === (a | 0) && cache[c + 1] === (b | 0) && cache[c + 2] === ports && cache[c + 3]! >= 0) return cache[c + 3]!;
      k[0] = a;
      k[4] = b;
      k[1] = k[2] = k[3] = k[5] = k[6] = k[7] = 0;
      k[8] = ports >>> 0;
      k[9] = 4;
      h = halfSipHash13Short(a, b, ports >>> 0, this.k0, this.k1);
    } else {
      const srcFirst = compare(src, sport, dst, dport) <= 0;
      this.srcIsA = srcFirst;
      const a = srcFirst ? src : dst;
      const b = srcFirst ? dst : src;
      k[0] = a[0]!; k[1] = a[1]!; k[2] = a[2]!; k[3] = a[3]!;
      k[4] = b[0]!; k[5] = b[1]!; k[6] = b[2]!; k[7] = b[3]!;
      k[8] = srcFirst ? ((sport << 16) | dport) >>> 0 : ((dport << 16) | sport) >>> 0;
      k[9] = version;
      h = halfSipHash13(k, this.k0, this.k1);
    }
    this.probeHash = h;
    let i = h & this.mask;
    for (;;) {
      const idx = this.slots[i]!;
      if (idx < 0) return -1;
      if (this.hashes[idx] === h && this.equals(idx)) {
        if (version === 4) this.remember(idx);
        return idx;
      }
      this.extraProbes++;
      i = (i + 1) & this.mask;
    }
  }

  /** Put the probe's IPv4 key, found at or inserted as `idx`, in the look-up cache. */
  private remember(idx: number): void {
    const k = this.probe;
    const c = cacheSlot(k[0]!, k[4]!, k[8]! | 0);
    const cache = this.cache;
    cache[c] = k[0]!;
    cache[c + 1] = k[4]!;
    cache[c + 2] = k[8]!;
    cache[c + 3] = idx;
  }

  /** Add the key of the last `lookup` (which returned -1); returns its new index. */
  insert(): number {
    const idx = this.count++;
    if (idx * WORDS >= this.keys.length) {
      this.keys = resized(this.keys, this.keys.length * 2);
      this.hashes = resized(this.hashes, this.hashes.length * 2);
    }
    this.keys.set(this.probe, idx * WORDS);
    if (this.probe[9] === 4) this.remember(idx);
    const h = this.probeHash;
    this.hashes[idx] = h;
    if (this.count * 2 > this.slots.length) this.rehash();
    else this.place(idx, h);
    return idx;
  }

  private place(idx: number, h: number): void {
    let i = h & this.mask;
    while (this.slots[i]! >= 0) i = (i + 1) & this.mask;
    this.slots[i] = idx;
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2).fill(-1);
    this.mask = this.slots.length - 1;
    for (let idx = 0; idx < this.count; idx++) this.place(idx, this.hashes[idx]!);
  }

  private equals(idx: number): boolean {
    const base = idx * WORDS;
    const k = this.probe;
    const keys = this.keys;
    for (let w = 0; w < WORDS; w++) if (keys[base + w] !== k[w]) return false;
    return true;
  }
}

/** Where an IPv4 key sits in the look-up cache (the first of its four words). */
function cacheSlot(a: number, b: number, ports: number): number {
  return ((Math.imul(a ^ Math.imul(b, 0x85ebca6b), 0x9e3779b1) ^ Math.imul(ports, 0xc2b2ae35)) >>> (32 - CACHE_BITS)) << 2;
}

function compare(a: Uint32Array, ap: number, b: Uint32Array, bp: number): number {
  for (let i = 0; i < 4; i++) {
    if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  }
  return ap - bp;
}

/** 64 random bits from the platform's CSPRNG (browsers, workers and Node 20 all have `crypto`). */
function randomKey(): FlowHashKey {
  const words = new Uint32Array(2);
  const crypto = (globalThis as { crypto?: { getRandomValues(a: Uint32Array): Uint32Array } }).crypto;
  if (crypto) crypto.getRandomValues(words);
  else for (let i = 0; i < 2; i++) words[i] = Math.floor(Math.random() * 2 ** 32);
  return [words[0]!, words[1]!];
}

const rotl = (x: number, b: number): number => (x << b) | (x >>> (32 - b));

/**
 * HalfSipHash-1-3 (Aumasson and Bernstein's SipHash with 32-bit words, as in the Linux kernel's
 * `hsiphash`): one compression round per word, three to finish, keyed with (k0, k1).
 * The message length is fixed (WORDS words), folded in as SipHash does.
 */
export function halfSipHash13(m: Uint32Array, k0: number, k1: number): number {
  let v0 = k0;
  let v1 = k1;
  let v2 = 0x6c796765 ^ k0;
  let v3 = 0x74656462 ^ k1;
  for (let i = 0; i <= WORDS; i++) {
    const w = i < WORDS ? m[i]! : ((WORDS * 4) << 24) >>> 0;
    v3 ^= w;
    // SIPROUND
    v0 = (v0 + v1) | 0; v1 = rotl(v1, 5); v1 ^= v0; v0 = rotl(v0, 16);
    v2 = (v2 + v3) | 0; v3 = rotl(v3, 8); v3 ^= v2;
    v0 = (v0 + v3) | 0; v3 = rotl(v3, 7); v3 ^= v0;
    v2 = (v2 + v1) | 0; v1 = rotl(v1, 13); v1 ^= v2; v2 = rotl(v2, 16);
    v0 ^= w;
  }
  v2 ^= 0xff;
  for (let r = 0; r < 3; r++) {
    v0 = (v0 + v1) | 0; v1 = rotl(v1, 5); v1 ^= v0; v0 = rotl(v0, 16);
    v2 = (v2 + v3) | 0; v3 = rotl(v3, 8); v3 ^= v2;
    v0 = (v0 + v3) | 0; v3 = rotl(v3, 7); v3 ^= v0;
    v2 = (v2 + v1) | 0; v1 = rotl(v1, 13); v1 ^= v2; v2 = rotl(v2, 16);
  }
  return (v1 ^ v3) >>> 0;
}

/** HalfSipHash-1-3 of a three-word message (w0, w1, w2): an IPv4 key's address words and ports. */
export function halfSipHash13Short(w0: number, w1: number, w2: number, k0: number, k1: number): number {
  let v0 = k0;
  let v1 = k1;
  let v2 = 0x6c796765 ^ k0;
  let v3 = 0x74656462 ^ k1;
  for (let i = 0; i < 4; i++) {
    const w = i === 0 ? w0 : i === 1 ? w1 : i === 2 ? w2 : (12 << 24) >>> 0;
    v3 ^= w;
    v0 = (v0 + v1) | 0; v1 = rotl(v1, 5); v1 ^= v0; v0 = rotl(v0, 16);
    v2 = (v2 + v3) | 0; v3 = rotl(v3, 8); v3 ^= v2;
    v0 = (v0 + v3) | 0; v3 = rotl(v3, 7); v3 ^= v0;
    v2 = (v2 + v1) | 0; v1 = rotl(v1, 13); v1 ^= v2; v2 = rotl(v2, 16);
    v0 ^= w;
  }
  v2 ^= 0xff;
  for (let r = 0; r < 3; r++) {
    v0 = (v0 + v1) | 0; v1 = rotl(v1, 5); v1 ^= v0; v0 = rotl(v0, 16);
    v2 = (v2 + v3) | 0; v3 = rotl(v3, 8); v3 ^= v2;
    v0 = (v0 + v3) | 0; v3 = rotl(v3, 7); v3 ^= v0;
    v2 = (v2 + v1) | 0; v1 = rotl(v1, 13); v1 ^= v2; v2 = rotl(v2, 16);
  }
  return (v1 ^ v3) >>> 0;
}

/**
 * Open-addressing map from a 32-bit word (an IPv4 address) to a small non-negative integer, hashed
 * with the same keyed HalfSipHash as the flow table, so a capture cannot choose addresses that pile
 * into one slot. The tracker uses it to find a host's index without formatting its address.
 */
export class WordIndex {
  private slots: Int32Array;
  private keys: Uint32Array;
  private values: Int32Array;
  private mask: number;
  private count = 0;
  private readonly k0: number;
  private readonly k1: number;

  constructor(initial = 256, key: FlowHashKey = randomKey()) {
    let cap = 1;
    while (cap < initial * 2) cap <<= 1;
    this.slots = new Int32Array(cap).fill(-1);
    this.mask = cap - 1;
    this.keys = new Uint32Array(initial);
    this.values = new Int32Array(initial);
    this.k0 = key[0] >>> 0;
    this.k1 = key[1] >>> 0;
  }

  /** The value stored for `word`, or -1. */
  get(word: number): number {
    let i = halfSipHash13Short(word, 0, 0, this.k0, this.k1) & this.mask;
    for (;;) {
      const at = this.slots[i]!;
      if (at < 0) return -1;
      if (this.keys[at] === word >>> 0) return this.values[at]!;
      i = (i + 1) & this.mask;
    }
  }

  /** Store `value` for `word`, which `get` has just not found. */
  set(word: number, value: number): void {
    const at = this.count++;
    if (at >= this.keys.length) {
      this.keys = resized(this.keys, this.keys.length * 2);
      this.values = resized(this.values, this.values.length * 2);
    }
    this.keys[at] = word;
    this.values[at] = value;
    if (this.count * 2 > this.slots.length) {
      this.slots = new Int32Array(this.slots.length * 2).fill(-1);
      this.mask = this.slots.length - 1;
      for (let j = 0; j < this.count; j++) this.place(j);
    } else this.place(at);
  }

  private place(at: number): void {
    let i = halfSipHash13Short(this.keys[at]!, 0, 0, this.k0, this.k1) & this.mask;
    while (this.slots[i]! >= 0) i = (i + 1) & this.mask;
    this.slots[i] = at;
  }
}

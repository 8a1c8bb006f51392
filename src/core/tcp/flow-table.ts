/**
 * Open-addressing hash table from a TCP 4-tuple (either direction) to a conversation index, with the
 * keys kept in one Uint32Array: no string or object per packet on the hot path.
 *
 * A key is 10 words: address A (4 words), address B (4 words), portA << 16 | portB, IP version. The
 * endpoint that sorts first is A, so both directions of a conversation find the same slot.
 */
const WORDS = 10;

export class FlowTable {
  private slots: Int32Array;
  private mask: number;
  private keys: Uint32Array;
  private hashes: Uint32Array;
  count = 0;
  private readonly probe = new Uint32Array(WORDS);
  /** True when the last `lookup` found the packet's source to be endpoint A. */
  srcIsA = true;

  constructor(initial = 1024) {
    let cap = 1;
    while (cap < initial * 2) cap <<= 1;
    this.slots = new Int32Array(cap).fill(-1);
    this.mask = cap - 1;
    this.keys = new Uint32Array(initial * WORDS);
    this.hashes = new Uint32Array(initial);
  }

  /**
   * The conversation index of this 4-tuple, or -1. Leaves the canonical key in the probe so `insert`
   * can follow without recomputing it.
   */
  lookup(version: number, src: Uint32Array, dst: Uint32Array, sport: number, dport: number): number {
    const k = this.probe;
    const srcFirst = compare(src, sport, dst, dport) <= 0;
    this.srcIsA = srcFirst;
    const a = srcFirst ? src : dst;
    const b = srcFirst ? dst : src;
    k[0] = a[0]!; k[1] = a[1]!; k[2] = a[2]!; k[3] = a[3]!;
    k[4] = b[0]!; k[5] = b[1]!; k[6] = b[2]!; k[7] = b[3]!;
    k[8] = srcFirst ? ((sport << 16) | dport) >>> 0 : ((dport << 16) | sport) >>> 0;
    k[9] = version;
    const h = hashKey(k);
    let i = h & this.mask;
    for (;;) {
      const idx = this.slots[i]!;
      if (idx < 0) return -1;
      if (this.hashes[idx] === h && this.equals(idx)) return idx;
      i = (i + 1) & this.mask;
    }
  }

  /** Add the key of the last `lookup` (which returned -1); returns its new index. */
  insert(): number {
    const idx = this.count++;
    if (idx * WORDS >= this.keys.length) {
      const keys = new Uint32Array(this.keys.length * 2);
      keys.set(this.keys);
      this.keys = keys;
      const hashes = new Uint32Array(this.hashes.length * 2);
      hashes.set(this.hashes);
      this.hashes = hashes;
    }
    this.keys.set(this.probe, idx * WORDS);
    const h = hashKey(this.probe);
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

function compare(a: Uint32Array, ap: number, b: Uint32Array, bp: number): number {
  for (let i = 0; i < 4; i++) {
    if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  }
  return ap - bp;
}

/** FNV-1a over the words, finished with a murmur3 mix. */
function hashKey(k: Uint32Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < WORDS; i++) {
    h = Math.imul(h ^ k[i]!, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

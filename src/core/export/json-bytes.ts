/**
 * JSON written straight into UTF-8 bytes: a report of hundreds of megabytes is mostly indentation
 * and key names, which are copied from bytes made once, and integers, whose digits are written by
 * hand. Building the same text as strings, then encoding them for stdout, was most of the command
 * line's time on a capture of small frames (and most of its garbage).
 *
 * Every method writes exactly what `JSON.stringify` writes for the same value (a test compares them
 * on every verdict and connection of the test captures, and on text of every kind).
 */

/** Bytes of a text known to be ASCII (key names, punctuation, indentation). */
export function asciiBytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7f) throw new RangeError(`not ASCII: ${text}`);
    out[i] = c;
  }
  return out;
}

const HEX = asciiBytes('0123456789abcdef');

/** `JSON.stringify`'s short escapes (ECMA-262 QuoteJSONString), by code unit; 0: none. */
const SHORT_ESCAPE = new Uint8Array(0x60);
SHORT_ESCAPE[0x08] = 0x62; // \b
SHORT_ESCAPE[0x09] = 0x74; // \t
SHORT_ESCAPE[0x0a] = 0x6e; // \n
SHORT_ESCAPE[0x0c] = 0x66; // \f
SHORT_ESCAPE[0x0d] = 0x72; // \r
SHORT_ESCAPE[0x22] = 0x22; // \"
SHORT_ESCAPE[0x5c] = 0x5c; // \\

/** What a JSON string escapes, and surrogates (which the UTF-8 loop below handles). */
// eslint-disable-next-line no-control-regex -- the control characters are what JSON escapes
const NEEDS_CARE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** What the core needs of `TextEncoder` (its library settings have no DOM types; it exists in Node and browsers). */
interface Utf8Encoder {
  encodeInto(text: string, into: Uint8Array): { read: number; written: number };
}
const encoder = new (globalThis as unknown as { TextEncoder: new () => Utf8Encoder }).TextEncoder();

const OBJECT_PROTO = Object.prototype;
const MAX_ESCAPED = 4096;
/** How many keys `key` keeps the bytes of, at each indent. */
const MAX_KEYS = 256;
const ARRAY_PROTO = Array.prototype;

/**
 * A growing byte buffer that JSON is written into. `take()` hands the bytes written so far over (the
 * caller writes them out) and starts a new buffer: the writer never holds more than a chunk; `lend()`
 * hands them over to be read at once, and the buffer is written over next. The hot writers (the
 * connections' and numbers') are free functions on the buffer and a position (`put*`), after one
 * `reserve` for a whole run of fields.
 */
export class JsonBytes {
  buf: Uint8Array;
  pos = 0;

  constructor(private readonly size = 1 << 20) {
    this.buf = new Uint8Array(size);
  }

  /** Room for `n` more bytes. */
  reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const grown = new Uint8Array(Math.max(this.buf.length * 2, this.pos + n));
    grown.set(this.buf.subarray(0, this.pos));
    this.buf = grown;
  }

  /** The bytes written since the last `take`, and a new buffer for what follows. */
  take(): Uint8Array {
    const out = this.lend();
    this.renew();
    return out;
  }

  /**
   * The bytes written since the last `take` or `lend`, in the writer's own buffer: what is written
   * next goes over them, so they are to be read (written out) first, or the buffer `renew`ed.
   * Reusing one buffer spares a new megabyte per piece, and its zeroing and page faults.
   */
  lend(): Uint8Array {
    const out = this.buf.subarray(0, this.pos);
    this.pos = 0;
    return out;
  }

  /** A new buffer, leaving the bytes `lend` handed out to whoever holds them. */
  renew(): void {
    this.buf = new Uint8Array(this.size);
  }

  /** Bytes as they are (made by `asciiBytes`). */
  raw(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.pos = putBytes(this.buf, this.pos, bytes);
  }

  /** One ASCII byte. */
  byte(c: number): void {
    this.reserve(1);
    this.buf[this.pos++] = c;
  }

  /** A line break and `n` spaces. */
  newline(n: number): void {
    if (n < NEWLINES.length) {
      this.raw(NEWLINES[n]!);
      return;
    }
    this.reserve(n + 1);
    const b = this.buf;
    let p = this.pos;
    b[p++] = 10;
    for (let i = 0; i < n; i++) b[p++] = 32;
    this.pos = p;
  }

  /**
   * A text the core makes from a fixed alphabet (an address, a number's text, Zeek's history): its
   * characters as they are. Anything outside printable ASCII goes through `text` instead.
   */
  ascii(s: string): void {
    this.reserve(s.length * 3);
    this.pos = putAscii(this.buf, this.pos, s);
  }

  /** Any text as UTF-8 (a lone surrogate becomes U+FFFD, as `TextEncoder` writes it). */
  text(s: string): void {
    this.reserve(s.length * 3);
    this.pos = putText(this.buf, this.pos, s);
  }

  /** Text already in JSON (`JSON.stringify`'s), with `indent` spaces after each line break. */
  indented(json: string, indent: number): void {
    let from = 0;
    for (let at = json.indexOf('\n'); at >= 0; at = json.indexOf('\n', from)) {
      this.text(json.slice(from, at));
      this.newline(indent);
      from = at + 1;
    }
    this.text(from === 0 ? json : json.slice(from));
  }

  /** A string as a JSON string: quoted and escaped as `JSON.stringify` does. */
  quoted(s: string): void {
    const n = s.length;
    if (n > 16) {
      // A longer text with nothing to escape (most of them): encoded natively, between its quotes.
      if (!NEEDS_CARE.test(s)) {
        this.reserve(3 * n + 2);
        const b = this.buf;
        b[this.pos] = 34;
        const p = this.pos + 1 + encoder.encodeInto(s, b.subarray(this.pos + 1)).written;
        b[p] = 34;
        this.pos = p + 1;
        return;
      }
      // One with quotes in it is often one of a few written again and again (a scenario's reference).
      const known = this.escaped.get(s);
      if (known) {
        this.raw(known);
        return;
      }
      const start = this.pos;
      this.escape(s);
      if (this.escaped.size < MAX_ESCAPED) this.escaped.set(s, this.buf.slice(start, this.pos));
      return;
    }
    this.escape(s);
  }

  /** Texts with something to escape, by text, as `quoted` writes them (a few thousand at most). */
  private readonly escaped = new Map<string, Uint8Array>();

  /** `quoted`, character by character. */
  private escape(s: string): void {
    const n = s.length;
    // Six bytes at most per code unit (`\uXXXX`), and the quotes.
    this.reserve(6 * n + 2);
    const b = this.buf;
    let p = this.pos;
    b[p++] = 34;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x80) {
        if (c >= 0x20 && c !== 0x22 && c !== 0x5c) {
          b[p++] = c;
          continue;
        }
        b[p++] = 0x5c;
        const e = SHORT_ESCAPE[c]!;
        if (e !== 0) b[p++] = e;
        else {
          b[p++] = 0x75;
          b[p++] = 0x30;
          b[p++] = 0x30;
          b[p++] = HEX[c >> 4]!;
          b[p++] = HEX[c & 15]!;
        }
        continue;
      }
      const d = i + 1 < n ? s.charCodeAt(i + 1) : 0;
      if (isLoneSurrogate(c, d)) {
        // A lone surrogate: escaped (well-formed JSON.stringify).
        b[p++] = 0x5c;
        b[p++] = 0x75;
        b[p++] = HEX[c >> 12]!;
        b[p++] = HEX[(c >> 8) & 15]!;
        b[p++] = HEX[(c >> 4) & 15]!;
        b[p++] = HEX[c & 15]!;
        continue;
      }
      p = putUtf8(b, p, c, d);
      if (c >= 0xd800 && c <= 0xdbff) i++;
    }
    b[p++] = 34;
    this.pos = p;
  }

  /**
   * A number's text as a template literal writes it (`${n}`): the digits by hand for a whole number
   * from 0 to 2^32 - 1 (a count, a frame, a sequence number), `String(n)` for anything else.
   */
  int(n: number): void {
    this.reserve(MAX_NUMBER);
    this.pos = putInt(this.buf, this.pos, n);
  }

  /** A number as JSON writes it: `null` for NaN and the infinities. */
  number(n: number): void {
    this.reserve(MAX_NUMBER);
    this.pos = putNumber(this.buf, this.pos, n);
  }

  /** `n`, or `null`. */
  numberOrNull(n: number | null): void {
    if (n === null) this.raw(NULL);
    else this.number(n);
  }

  /** `true` or `false`. */
  bool(v: boolean): void {
    this.raw(v ? TRUE : FALSE);
  }

  /**
   * `value` as `JSON.stringify(value, null, 2)` writes it, with `indent` spaces after each line
   * break. Plain objects, arrays, strings, numbers, booleans and null are written here; anything
   * else (a `toJSON`, a class instance) goes through `JSON.stringify` itself.
   */
  value(value: unknown, indent: number): void {
    switch (typeof value) {
      case 'string':
        this.quoted(value);
        return;
      case 'number':
        this.number(value);
        return;
      case 'boolean':
        this.bool(value);
        return;
      case 'object':
        break;
      default:
        this.indented(JSON.stringify(value, null, 2), indent);
        return;
    }
    if (value === null) {
      this.raw(NULL);
      return;
    }
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto === ARRAY_PROTO && Array.isArray(value)) {
      this.array(value, indent);
      return;
    }
    if ((proto !== OBJECT_PROTO && proto !== null) || typeof (value as { toJSON?: unknown }).toJSON === 'function') {
      this.indented(JSON.stringify(value, null, 2), indent);
      return;
    }
    const o = value as Record<string, unknown>;
    let first = true;
    // for-in, not Object.keys: V8 reads `o[key]` through the object's enum cache here, a keyed load
    // by a variable key elsewhere (megamorphic over the verdicts' many shapes).
    for (const key in o) {
      if (!Object.hasOwn(o, key)) continue;
      const v = o[key];
      if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
      this.byte(first ? 0x7b : 0x2c);
      first = false;
      this.key(key, indent + 2);
      this.value(v, indent + 2);
    }
    if (first) this.raw(EMPTY_OBJECT);
    else {
      this.newline(indent);
      this.byte(0x7d);
    }
  }

  /** A line break, `indent` spaces, `key` quoted and `: `. */
  private key(key: string, indent: number): void {
    const byKey = indent < NEWLINES.length ? (this.keys[indent] ??= new Map()) : undefined;
    const known = byKey?.get(key);
    if (known !== undefined) {
      this.raw(known);
      return;
    }
    const start = this.pos;
    this.newline(indent);
    this.quoted(key);
    this.raw(COLON);
    if (byKey && byKey.size < MAX_KEYS) byKey.set(key, this.buf.slice(start, this.pos));
  }

  /** What `key` writes, by indent and key: objects of a few shapes, with the same few keys. */
  private readonly keys: (Map<string, Uint8Array> | undefined)[] = new Array<undefined>(NEWLINES.length).fill(undefined);

  private array(a: readonly unknown[], indent: number): void {
    const n = a.length;
    if (n === 0) {
      this.raw(EMPTY_ARRAY);
      return;
    }
    for (let i = 0; i < n; i++) {
      this.byte(i ? 0x2c : 0x5b);
      this.newline(indent + 2);
      const v = a[i];
      if (v === undefined || typeof v === 'function' || typeof v === 'symbol') this.raw(NULL);
      else this.value(v, indent + 2);
    }
    this.newline(indent);
    this.byte(0x5d);
  }
}

/** A line break and n spaces, by n. */
const NEWLINES = Array.from({ length: 64 }, (_, n) => asciiBytes(`\n${' '.repeat(n)}`));
/** The three words of JSON, as bytes. */
export const NULL = asciiBytes('null');
export const TRUE = asciiBytes('true');
export const FALSE = asciiBytes('false');
const COLON = asciiBytes(': ');
const EMPTY_OBJECT = asciiBytes('{}');
const EMPTY_ARRAY = asciiBytes('[]');

/** Whether UTF-16 unit `c`, followed by `d` (0 at the end), is a surrogate outside a pair. */
function isLoneSurrogate(c: number, d: number): boolean {
  return c >= 0xd800 && c <= 0xdfff && !(c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff);
}

/**
 * Writes `c` (0x80 or above, not a lone surrogate; a high surrogate with its low one `d`) as UTF-8 at
 * `p`; the position after it.
 */
function putUtf8(b: Uint8Array, p: number, c: number, d: number): number {
  if (c < 0x800) {
    b[p] = 0xc0 | (c >> 6);
    b[p + 1] = 0x80 | (c & 63);
    return p + 2;
  }
  if (c >= 0xd800 && c <= 0xdbff) {
    const cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
    b[p] = 0xf0 | (cp >> 18);
    b[p + 1] = 0x80 | ((cp >> 12) & 63);
    b[p + 2] = 0x80 | ((cp >> 6) & 63);
    b[p + 3] = 0x80 | (cp & 63);
    return p + 4;
  }
  b[p] = 0xe0 | (c >> 12);
  b[p + 1] = 0x80 | ((c >> 6) & 63);
  b[p + 2] = 0x80 | (c & 63);
  return p + 3;
}

/** The most bytes `putInt` and `putNumber` write (`String` of a double: "-2.2250738585072014e-308"). */
export const MAX_NUMBER = 25;

/** "00" to "99": two digits a time halves the divisions. */
const PAIRS = asciiBytes(Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0')).join(''));

/**
 * Writes `n`, a whole number from 0 to 2^32 - 1, at `p` (room for 10 bytes); the position after it.
 */
export function putUint(b: Uint8Array, p: number, n: number): number {
  if (n < 10) {
    b[p] = 48 + n;
    return p + 1;
  }
  if (n < 100) {
    b[p] = PAIRS[2 * n]!;
    b[p + 1] = PAIRS[2 * n + 1]!;
    return p + 2;
  }
  const end = p + (n < 1e3 ? 3 : n < 1e4 ? 4 : n < 1e5 ? 5 : n < 1e6 ? 6 : n < 1e7 ? 7 : n < 1e8 ? 8 : n < 1e9 ? 9 : 10);
  let e = end;
  while (n >= 100) {
    const q = Math.floor(n / 100);
    const r = 2 * (n - q * 100);
    b[--e] = PAIRS[r + 1]!;
    b[--e] = PAIRS[r]!;
    n = q;
  }
  if (n >= 10) {
    b[--e] = PAIRS[2 * n + 1]!;
    b[--e] = PAIRS[2 * n]!;
  } else b[--e] = 48 + n;
  return end;
}

/** `${n}` at `p` (room for `MAX_NUMBER` bytes); the position after it. */
export function putInt(b: Uint8Array, p: number, n: number): number {
  if (n >= 0 && n < 4294967296 && n === Math.floor(n)) return putUint(b, p, n);
  return putNumberText(b, p, n);
}

/** `n` as JSON writes it (`null` for NaN and the infinities) at `p` (room for `MAX_NUMBER` bytes). */
export function putNumber(b: Uint8Array, p: number, n: number): number {
  if (n >= 0 && n < 4294967296 && n === Math.floor(n)) return putUint(b, p, n);
  if (n > 0 && n < 1e6) return putFraction(b, p, n);
  if (Number.isFinite(n)) return putNumberText(b, p, n);
  return putBytes(b, p, NULL);
}

/** `String(n)`, whose characters are ASCII. */
function putNumberText(b: Uint8Array, p: number, n: number): number {
  const s = `${n}`;
  for (let i = 0; i < s.length; i++) b[p + i] = s.charCodeAt(i);
  return p + s.length;
}

/**
 * A number from 0 to a million as `String(n)` writes it, without making that string when `n` is the
 * double nearest to a decimal with at most 9 decimal places (a time in seconds from nanoseconds, a
 * confidence): then `String(n)` is that decimal. It has at most 15 significant digits (n < 1e6), and
 * two such decimals never share their nearest double (DBL_DIG is 15), so no shorter decimal gives
 * `n` back, which is what `Number.prototype.toString` looks for (ECMA-262 Number::toString).
 * Below 1e-6 `String` writes an exponent: those go through it.
 */
function putFraction(b: Uint8Array, p: number, n: number): number {
  const ns = Math.round(n * 1e9);
  if (ns < 1000 || ns / 1e9 !== n) return putNumberText(b, p, n);
  let whole = Math.floor(ns / 1e9);
  let frac = ns - whole * 1e9;
  if (frac < 0) {
    whole--;
    frac += 1e9;
  } else if (frac >= 1e9) {
    whole++;
    frac -= 1e9;
  }
  p = putUint(b, p, whole);
  if (frac === 0) return p;
  b[p++] = 0x2e;
  // Nine digits, leading zeros kept and trailing ones dropped (frac < 1e9 < 2^31: int32 arithmetic).
  let f = frac | 0;
  let digits = 9;
  while (f % 100 === 0) {
    f = (f / 100) | 0;
    digits -= 2;
  }
  if (f % 10 === 0) {
    f = (f / 10) | 0;
    digits--;
  }
  let e = p + digits;
  const end = e;
  while (e - p >= 2) {
    const q = (f / 100) | 0;
    const r = 2 * (f - q * 100);
    b[--e] = PAIRS[r + 1]!;
    b[--e] = PAIRS[r]!;
    f = q;
  }
  if (e > p) b[--e] = 48 + f;
  return end;
}

/** Writes `bytes` at `p` (room made); the position after them. */
export function putBytes(b: Uint8Array, p: number, bytes: Uint8Array): number {
  const n = bytes.length;
  // `set` (a memcpy) is faster than a loop from about ten bytes on.
  if (n > 10) b.set(bytes, p);
  else for (let i = 0; i < n; i++) b[p + i] = bytes[i]!;
  return p + n;
}

/** `JsonBytes.ascii` at `p`, with room for 3 bytes per character; the position after it. */
export function putAscii(b: Uint8Array, p: number, s: string): number {
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x7e) return putText(b, p, s);
    b[p + i] = c;
  }
  return p + n;
}

/** `JsonBytes.text` at `p`, with room for 3 bytes per character; the position after it. */
export function putText(b: Uint8Array, p: number, s: string): number {
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      b[p++] = c;
      continue;
    }
    const d = i + 1 < n ? s.charCodeAt(i + 1) : 0;
    if (isLoneSurrogate(c, d)) p = putUtf8(b, p, 0xfffd, 0);
    else {
      p = putUtf8(b, p, c, d);
      if (c >= 0xd800 && c <= 0xdbff) i++;
    }
  }
  return p;
}

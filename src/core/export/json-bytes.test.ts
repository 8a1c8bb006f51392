import { describe, expect, it } from 'vitest';
import { JsonBytes } from './json-bytes.ts';

/** What `write` puts in a new writer, as text (the writer starts small, so it grows on the way). */
function written(write: (w: JsonBytes) => void): string {
  const w = new JsonBytes(4);
  write(w);
  return new TextDecoder().decode(w.take());
}

const TEXTS = [
  '',
  'plain',
  'a longer text that needs no escaping at all, written natively',
  'quote " and backslash \\ in a longer text, so that the long path sees them',
  'controls \u0000\u0001\b\t\n\u000b\f\r\u001f\u007f end',
  'é, ü, ñ — “quotes” and … in a text long enough',
  '日本語のテキスト',
  'emoji 😀 pair and 𝄞 clef',
  'lone high \ud800 in the middle of a long enough text',
  'lone low \udc00 too',
  '\ud83d',
  '\ude00\ud83d',
  'U+2028 \u2028 and U+2029 \u2029 are not escaped',
];

describe('JsonBytes', () => {
  it('quotes text as JSON.stringify does, escapes and UTF-8 alike', () => {
    for (const s of TEXTS) expect(written((w) => w.quoted(s))).toBe(JSON.stringify(s));
    // Twice in one writer: the second time from the bytes it keeps of texts with escapes.
    for (const s of TEXTS) {
      expect(
        written((w) => {
          w.quoted(s);
          w.quoted(s);
        }),
      ).toBe(JSON.stringify(s).repeat(2));
    }
  });

  it('writes UTF-8 as TextEncoder does, a lone surrogate as U+FFFD', () => {
    for (const s of TEXTS) {
      const w = new JsonBytes(1);
      w.text(s);
      expect(w.take()).toEqual(new TextEncoder().encode(s));
    }
  });

  it('writes numbers as JSON and as template literals do', () => {
    const numbers = [0, -0, 1, 9, 10, 99, 100, 12345, 4294967295, 4294967296, 2 ** 53, 1e21, -1, -12.5, 0.1, 0.000001, 5e-7, 1e-9, 1.5e300, Number.NaN, Infinity, -Infinity];
    for (const n of numbers) {
      expect(written((w) => w.number(n))).toBe(JSON.stringify(n));
      expect(written((w) => w.int(n))).toBe(`${n}`);
    }
  });

  it('writes values as JSON.stringify(value, null, 2) does, indented', () => {
    class Point {
      constructor(
        readonly x: number,
        readonly y: number,
      ) {}
    }
    const values: unknown[] = [
      null,
      true,
      [],
      {},
      [1, 'two', null, undefined, () => 3, [[]], [{}]],
      { a: 1, b: undefined, c: () => 0, d: Symbol('s'), e: { f: [1, { g: 'h' }] }, '2': 'index keys first', 'quote"key': 0 },
      { when: { toJSON: () => 'as JSON' } },
      { point: new Point(1, 2), map: new Map([[1, 2]]), typed: new Uint8Array([1, 2]) },
      Object.assign(Object.create(null) as object, { bare: 1 }),
      { big: 2 ** 64, small: 1e-7, nan: Number.NaN, text: 'é "x"' },
    ];
    for (const v of values) {
      for (const indent of [0, 6]) {
        const expected = (JSON.stringify(v, null, 2) ?? 'undefined').replace(/\n/g, `\n${' '.repeat(indent)}`);
        expect(written((w) => w.value(v, indent))).toBe(expected);
      }
    }
  });

  it('hands over what was written and starts afresh', () => {
    const w = new JsonBytes(8);
    w.ascii('first');
    const first = w.take();
    w.ascii('second piece, longer than the first buffer');
    expect(new TextDecoder().decode(first)).toBe('first');
    expect(new TextDecoder().decode(w.take())).toBe('second piece, longer than the first buffer');
  });
});

describe('JsonBytes numbers', () => {
  it('writes times and confidences as String does', () => {
    let seed = 7;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const w = new JsonBytes(1 << 16);
    for (let i = 0; i < 200_000; i++) {
      const scale = 10 ** Math.floor(random() * 16);
      const ns = Math.floor(random() * scale);
      for (const n of [ns / 1e9, ns * 1e-9, Math.round(random() * 100) / 100, random() * 1000, ns / 1e6]) {
        w.pos = 0;
        w.number(n);
        const got = new TextDecoder().decode(w.buf.subarray(0, w.pos));
        if (got !== JSON.stringify(n)) expect(got).toBe(JSON.stringify(n));
      }
    }
  });
});

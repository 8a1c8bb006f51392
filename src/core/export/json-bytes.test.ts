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

describe('JsonBytes lend and renew', () => {
  it('lends its own buffer, written over next, unless renewed', () => {
    const w = new JsonBytes(64);
    w.ascii('first');
    const lent = w.lend();
    expect(new TextDecoder().decode(lent)).toBe('first');
    w.ascii('other');
    // Lent bytes are the writer's: the next write went over them.
    expect(new TextDecoder().decode(lent)).toBe('other');
    const again = w.lend();
    w.renew();
    w.ascii('third');
    expect(new TextDecoder().decode(again)).toBe('other');
    expect(new TextDecoder().decode(w.lend())).toBe('third');
  });
});

describe('JsonBytes numbers', () => {
  it('writes every form of number as String and JSON.stringify do', () => {
    const numbers = [
      // Whole numbers at each digit count and around the pairs of digits.
      ...[1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9].flatMap((n) => [n - 1, n, n + 1, 2 * n - 1, 2 * n]),
      4294967294, 4294967295, 4294967296, 2 ** 53 - 1, 2 ** 53, 2 ** 64, 1e21, 1e21 - 65536, Number.MAX_VALUE,
      // Negative, zero and -0.
      -0, -1, -99, -4294967295, -0.5, -1.25e-7, -1e21,
      // Fractions: leading zeros after the point, trailing ones dropped, exponents below 1e-6.
      0.5, 0.05, 0.000001, 0.0000015, 0.000001000000001, 1.000000001, 1.1, 12.34, 999999.999999999, 999999.9999999999, 1e6 - 1e-9, 1e6 + 0.5,
      1e-7, 5e-7, 1e-9, 1e-10, 1.5e-300, Number.MIN_VALUE, 0.1 + 0.2, 1 / 3, 2 / 3, Math.PI, 123456.789, 0.000123456789,
      // The products a time in seconds is made of (ns * 1e-9), which String writes with 16 or 17 digits.
      8000 * 1e-9, 1524000 * 1e-9, 300000 * 1e-9, 1681000 * 1e-9, 123456789 * 1e-9, 1700000000123456 * 1e-9,
      Number.NaN, Infinity, -Infinity,
    ];
    for (const n of numbers) {
      expect(written((w) => w.number(n))).toBe(JSON.stringify(n));
      expect(written((w) => w.int(n))).toBe(`${n}`);
    }
  });

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

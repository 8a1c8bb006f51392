/** Small text helpers for evidence and explanations. */

export { endpointText } from '../model/endpoint.ts';

/** A duration in nanoseconds as "63 µs", "2.1 ms", "3.0 s", "4 min". */
export function durationText(ns: number): string {
  const a = Math.abs(ns);
  if (a < 1e3) return `${Math.round(a)} ns`;
  if (a < 1e6) return `${trim(a / 1e3)} µs`;
  if (a < 1e9) return `${trim(a / 1e6)} ms`;
  if (a < 120e9) return `${trim(a / 1e9)} s`;
  if (a < 7200e9) return `${trim(a / 60e9)} min`;
  return `${trim(a / 3600e9)} h`;
}

function trim(x: number): string {
  return x >= 100 ? String(Math.round(x)) : x >= 10 ? x.toFixed(1).replace(/\.0$/, '') : x.toFixed(2).replace(/\.?0+$/, '');
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${countText(n)} ${n === 1 ? one : many}`;
}

const GROUPED = new Intl.NumberFormat('en-US');

/** A count as "950" or "12,400" (one shared formatter: `toLocaleString` builds one per call). */
export function countText(n: number): string {
  return Number.isInteger(n) && n < 1000 && n > -1000 ? String(n) : GROUPED.format(n);
}

/** "frames 3, 5, 7" or "frames 3, 5, ... 99 (40 in all)". */
export function framesText(frames: readonly number[], max = 6): string {
  if (frames.length === 1) return `frame ${frames[0]}`;
  if (frames.length <= max) return `frames ${frames.join(', ')}`;
  return `frames ${frames.slice(0, max - 1).join(', ')}, ... ${frames[frames.length - 1]} (${frames.length} in all)`;
}

/**
 * Values many resets repeat exactly, one each: a verdict keeps what it holds as long as the
 * analysis, so one copy, not one per reset (and nobody changes a verdict's value once it is made).
 * Bounded: emptied once it holds a few thousand, so a long run over many captures keeps at most that many.
 */
export class SharedValues<K, V> {
  private readonly values = new Map<K, V>();

  constructor(private readonly max = 4096) {}

  /** The value kept for `key`, if any. */
  find(key: K): V | undefined {
    return this.values.get(key);
  }

  /** Keeps `value` for `key`, and returns it. */
  keep(key: K, value: V): V {
    if (this.values.size >= this.max) this.values.clear();
    this.values.set(key, value);
    return value;
  }
}

/** Texts many resets repeat word for word, one string each (see `SharedValues`). */
export class SharedTexts<K> extends SharedValues<K, string> {}

const TEXTS = new SharedTexts<string>();

/** One string for each distinct text of a sentence that many resets repeat (a template's few values). */
export function oneText(text: string): string {
  return TEXTS.find(text) ?? TEXTS.keep(text, text);
}

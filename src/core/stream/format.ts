/**
 * Stream bytes for people: as UTF-8 text with every byte that would not show made visible, or as a
 * hex dump (offset, hex, ASCII) as Wireshark's "Follow TCP Stream" shows it. The page and the
 * command line use the same functions.
 */
import type { FollowedStream, StreamChunk } from './follow.ts';

/**
 * A run of text: `text` as it is; `control` a byte or character that would not show, written as an
 * escape (`\r`, `\n`, `\t`, `\0`, `\x1b`, `\u200e`), with a real line break after `\n`; `invalid`
 * bytes that are not UTF-8, each written `\xNN` (always 0x80 or above, so never taken for a control).
 */
export interface TextRun {
  kind: 'text' | 'control' | 'invalid';
  text: string;
}

const NAMED: Record<number, string> = { 0: '\\0', 9: '\\t', 10: '\\n\n', 13: '\\r' };

const hex2 = (b: number): string => b.toString(16).padStart(2, '0');

/** Characters that are valid but show nothing or change the text's direction (C1, bidi, BOM). */
function isInvisible(cp: number): boolean {
  return (
    (cp >= 0x80 && cp <= 0x9f) ||
    (cp >= 0x200b && cp <= 0x200f) ||
    (cp >= 0x202a && cp <= 0x202e) ||
    (cp >= 0x2066 && cp <= 0x2069) ||
    cp === 0xfeff
  );
}

/**
 * Length of the UTF-8 sequence at `i` (RFC 3629 §4: no overlongs, no surrogates, nothing past
 * U+10FFFF) and its code point, or 0 when the byte there does not start a valid one.
 */
function utf8At(bytes: Uint8Array, i: number): { length: number; cp: number } {
  const b0 = bytes[i]!;
  if (b0 < 0x80) return { length: 1, cp: b0 };
  let length: number;
  let min: number;
  let cp: number;
  if (b0 >= 0xc2 && b0 <= 0xdf) [length, min, cp] = [2, 0x80, b0 & 0x1f];
  else if (b0 >= 0xe0 && b0 <= 0xef) [length, min, cp] = [3, 0x800, b0 & 0x0f];
  else if (b0 >= 0xf0 && b0 <= 0xf4) [length, min, cp] = [4, 0x10000, b0 & 0x07];
  else return { length: 0, cp: 0 };
  if (i + length > bytes.length) return { length: 0, cp: 0 };
  for (let k = 1; k < length; k++) {
    const b = bytes[i + k]!;
    if ((b & 0xc0) !== 0x80) return { length: 0, cp: 0 };
    cp = (cp << 6) | (b & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return { length: 0, cp: 0 };
  return { length, cp };
}

/** `bytes` as UTF-8 text in runs; see `TextRun`. Adjacent runs of one kind are joined. */
export function textRuns(bytes: Uint8Array): TextRun[] {
  const runs: TextRun[] = [];
  const add = (kind: TextRun['kind'], text: string): void => {
    const last = runs[runs.length - 1];
    if (last?.kind === kind) last.text += text;
    else runs.push({ kind, text });
  };
  let plain = '';
  const flushPlain = (): void => {
    if (plain) add('text', plain);
    plain = '';
  };
  let i = 0;
  while (i < bytes.length) {
    const { length, cp } = utf8At(bytes, i);
    if (length === 0) {
      flushPlain();
      add('invalid', `\\x${hex2(bytes[i]!)}`);
      i++;
      continue;
    }
    if (cp < 0x20 || cp === 0x7f || isInvisible(cp)) {
      flushPlain();
      add('control', NAMED[cp] ?? (cp < 0x80 ? `\\x${hex2(cp)}` : `\\u${cp.toString(16).padStart(4, '0')}`));
      i += length;
      continue;
    }
    plain += String.fromCodePoint(cp);
    i += length;
  }
  flushPlain();
  return runs;
}

/** `bytes` as text with the escapes of `textRuns`, in one string. */
export function escapeText(bytes: Uint8Array): string {
  return textRuns(bytes)
    .map((r) => r.text)
    .join('');
}

/** One line of a hex dump: the stream offset of its first byte, up to 16 bytes in hex, and as ASCII. */
export interface HexLine {
  offset: number;
  hex: string;
  ascii: string;
}

/** `bytes` as hex-dump lines of 16, the first at stream offset `offset`. */
export function hexLines(bytes: Uint8Array, offset = 0): HexLine[] {
  const lines: HexLine[] = [];
  for (let i = 0; i < bytes.length; i += 16) {
    const line = bytes.subarray(i, i + 16);
    let hex = '';
    let ascii = '';
    for (let k = 0; k < 16; k++) {
      if (k === 8) hex += ' ';
      const b = line[k];
      hex += b === undefined ? '   ' : `${hex2(b)} `;
      if (b !== undefined) ascii += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
    }
    lines.push({ offset: offset + i, hex: hex.trimEnd(), ascii });
  }
  return lines;
}

/** A hex-dump line as text: `00000010  47 45 54 20 …  GET …`. */
export function formatHexLine(line: HexLine): string {
  return `${line.offset.toString(16).padStart(8, '0')}  ${line.hex.padEnd(48)}  ${line.ascii}`;
}

const SIDE = { client: 'client', server: 'server' } as const;
const OTHER = { client: 'server', server: 'client' } as const;

function count(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** The frames a chunk stands for, in words: "frame 4", "frames 4–9 (6)", "frames 4, 7". */
export function framesLabel(frames: readonly number[]): string {
  if (frames.length === 1) return `frame ${frames[0]}`;
  const first = frames[0]!;
  const last = frames[frames.length - 1]!;
  const consecutive = frames.every((f, i) => f === first + i);
  if (consecutive) return `frames ${first}–${last}`;
  if (frames.length <= 4) return `frames ${frames.join(', ')}`;
  return `${frames.length} frames, ${first} to ${last}`;
}

/** What a chunk is, in words, without its bytes: the heading of a data chunk, or a marker line. */
export function describeChunk(chunk: StreamChunk): string {
  switch (chunk.kind) {
    case 'data': {
      const late = chunk.late ? ' · late: these fill a gap shown above' : '';
      return `${SIDE[chunk.side]} → ${OTHER[chunk.side]} · ${framesLabel(chunk.frames)} · ${count(chunk.length, 'byte')}${late}`;
    }
    case 'gap': {
      const what =
        chunk.reason === 'cut'
          ? `cut off by the snapshot length in frame ${chunk.frame}`
          : chunk.reason === 'unreadable'
            ? `of frame ${chunk.frame} could not be read back`
            : `not in the capture (sequence hole, seen at frame ${chunk.frame})`;
      if (chunk.late > 0) {
        const missing = chunk.length - chunk.late;
        return `${count(chunk.length, 'byte')} from the ${SIDE[chunk.side]} missing here (sequence hole, seen at frame ${chunk.frame}): ${count(chunk.late, 'byte')} came later and ${chunk.late === 1 ? 'is' : 'are'} shown where ${chunk.late === 1 ? 'it' : 'they'} came, ${count(missing, 'byte')} not in the capture`;
      }
      return `${count(chunk.length, 'byte')} from the ${SIDE[chunk.side]} ${what}`;
    }
    case 'fin':
      return `The ${SIDE[chunk.side]} closed its side (FIN, frame ${chunk.frame})`;
    case 'reset': {
      const more = chunk.count > 1 ? ` and ${count(chunk.count - 1, 'more RST')} to frame ${chunk.lastFrame}` : '';
      return `Reset by the ${SIDE[chunk.side]} here (RST, frame ${chunk.frame}${more})`;
    }
  }
}

export interface StreamTextOptions {
  mode: 'text' | 'hex';
  /** Wireshark's tcp.stream index and the two endpoints as text. */
  stream: number;
  client: string;
  server: string;
}

/** The heading of a followed stream as plain text: which stream, its endpoints, what it holds. */
export function formatStreamHeading(followed: FollowedStream, options: StreamTextOptions): string {
  const out: string[] = [];
  out.push(`Follow TCP stream ${options.stream} (tcp.stream eq ${options.stream}): client ${options.client}, server ${options.server}`);
  const notes = [
    `client sent ${count(followed.sideBytes.client, 'byte')}, server ${count(followed.sideBytes.server, 'byte')}`,
  ];
  if (followed.duplicateBytes > 0) notes.push(`${count(followed.duplicateBytes, 'retransmitted byte')} shown once`);
  const gaps = followed.gapBytes.client + followed.gapBytes.server;
  if (gaps > 0) notes.push(`${count(gaps, 'byte')} not in the capture`);
  if (followed.outOfWindow > 0) notes.push(`${count(followed.outOfWindow, 'segment')} outside the window left out`);
  out.push(`${notes.join('; ')}.`);
  return `${out.join('\n')}\n`;
}

/** The chunks of a followed stream as plain text: a line per marker, a heading and the bytes per data chunk. */
export function formatStreamChunks(followed: FollowedStream, mode: StreamTextOptions['mode']): string {
  const out: string[] = [];
  for (const chunk of followed.chunks) {
    if (chunk.kind !== 'data') {
      out.push(`-- ${describeChunk(chunk)} --`);
      continue;
    }
    out.push(`== ${describeChunk(chunk)} ==`);
    const bytes = followed.bytes.subarray(chunk.at, chunk.at + chunk.length);
    if (mode === 'hex') {
      for (const line of hexLines(bytes, chunk.offset)) out.push(formatHexLine(line));
    } else {
      const text = escapeText(bytes);
      out.push(text.endsWith('\n') ? text.slice(0, -1) : text);
    }
  }
  return out.length > 0 ? `${out.join('\n')}\n` : '';
}

/** A followed stream (or a part of it) as plain text: the heading, then each chunk. */
export function formatStream(followed: FollowedStream, options: StreamTextOptions): string {
  let head = formatStreamHeading(followed, options);
  if (followed.to - followed.from < followed.total) {
    const n = (v: number): string => v.toLocaleString('en-US');
    head += `Showing bytes ${n(followed.from)} to ${n(followed.to)} of ${n(followed.total)}.\n`;
  }
  return `${head}\n${formatStreamChunks(followed, options.mode)}`;
}

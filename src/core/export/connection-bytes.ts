/**
 * A connection of the JSON report as `JSON.stringify(table.get(id), null, 2)` writes it (every line
 * after the first indented), written from the table's columns into bytes: the fixed text between
 * the values (indentation, key names: most of a report) is made once per indent and copied.
 *
 * The fields and their order are `ConnectionTable.get`'s; a test compares the bytes with
 * `JSON.stringify` on every connection of the test captures. Texts the core makes from a fixed
 * alphabet (addresses, Zeek's state and history, the side, the protocol, the presence) are written
 * as they are, without escaping, as the string writer before did; reply lines from the capture are
 * escaped.
 */
import type { AppReply, DirectionCompleteness } from '../model/types.ts';
import { DirOption, synAckToAck, synToSynAck, type ConnectionTable } from '../tcp/connection-table.ts';
import { asciiBytes, FALSE, MAX_NUMBER, NULL, putAscii, putBytes, putInt, putNumber, TRUE, type JsonBytes } from './json-bytes.ts';

/** Where a value goes in a template. */
const HOLE = '\u0000';

/** A template's fixed parts, as bytes: the values go between them. */
function pieces(template: string): Uint8Array[] {
  return template.split(HOLE).map(asciiBytes);
}

const spaces = (n: number): string => ' '.repeat(n);

/** A direction's stats (`DirectionStats`) at indent `at`, its values left as holes. */
function directionTemplate(at: number): string {
  const i = spaces(at + 2);
  const keys = ['packets', 'bytes', 'ipBytes', 'isn', 'baseSeq', 'nextSeq', 'highestAck', 'synFrame', 'finFrame', 'rstFrames', 'retransmissions', 'keepalives', 'zeroWindows', 'dupAcks', 'ttlMin', 'ttlMax', 'windowScale', 'mss', 'sackPermitted', 'timestamps'];
  return `{\n${keys.map((k) => `${i}"${k}": ${HOLE}`).join(',\n')}\n${spaces(at)}}`;
}

/** A direction's completeness (`DirectionCompleteness`) at indent `at`, its values left as holes. */
function completenessTemplate(at: number): string {
  const i = spaces(at + 2);
  const keys = ['gaps', 'gapBytes', 'firstGapFrame', 'ackedUnseen', 'firstAckedUnseenFrame', 'beyondPeerWindow', 'snapCut', 'firstSnapCutFrame'];
  return `{\n${i}"presence": "${HOLE}",\n${keys.map((k) => `${i}"${k}": ${HOLE}`).join(',\n')}\n${spaces(at)}}`;
}

interface Templates {
  /** From `{` to `"resets": `, and the room it takes with its values. */
  head: Uint8Array[];
  headRoom: number;
  /** From after the resets to before the closing brace (the optional `app` goes there), and its room. */
  tail: Uint8Array[];
  tailRoom: number;
  /**
   * The tail's common runs with their values in, by hole (see `HOLE_*`): a direction without RSTs
   * and with no retransmission, keep-alive, zero window or duplicate ACK; its two option flags; the
   * replies and completeness of a connection without replies that misses nothing.
   */
  quietRun: Uint8Array[];
  flags: Uint8Array[][];
  whole: (Uint8Array | undefined)[];
  /** The closing brace on its own line. */
  close: Uint8Array;
  /** Between the resets: `,` and a line break, and the start of the list. */
  firstReset: Uint8Array;
  nextReset: Uint8Array;
  /** After the last reset. */
  endResets: Uint8Array;
  /** A reply line's fields (`AppReply`). */
  reply: Uint8Array[];
  /** The tail's pieces as text, for the runs made on demand. */
  tailText: string[];
}

/** Holes of the tail template: a direction's first (client, server), and the replies. */
const DIR_HOLES = [4, 24];
const RST_FRAMES = 9;
const SACK = 18;
const REPLIES = 44;
/** The last hole of the tail (the server's firstSnapCutFrame). */
const LAST_HOLE = 64;
/** Values of a direction's completeness that misses nothing, after its presence. */
const NOTHING_MISSED = ['0', '0', 'null', '0', 'null', '0', '0', 'null'];
const PRESENCES = ['seen', 'partial', 'absent'];

/** `pieces[from]`, then each value and the piece after it. */
function joined(pieces: readonly string[], from: number, values: readonly string[]): string {
  let out = pieces[from]!;
  values.forEach((v, i) => (out += v + pieces[from + 1 + i]!));
  return out;
}

const bytesOf = (pieces: readonly Uint8Array[]): number => pieces.reduce((n, p) => n + p.length, 0);

const made = new Map<number, Templates>();

function templatesFor(indent: number): Templates {
  let t = made.get(indent);
  if (t) return t;
  const a = spaces(indent + 2);
  const b = spaces(indent + 4);
  const head = `{
${a}"id": ${HOLE},
${a}"client": {
${b}"ip": "${HOLE}",
${b}"port": ${HOLE}
${a}},
${a}"server": {
${b}"ip": "${HOLE}",
${b}"port": ${HOLE}
${a}},
${a}"ipVersion": ${HOLE},
${a}"firstFrame": ${HOLE},
${a}"lastFrame": ${HOLE},
${a}"start": ${HOLE},
${a}"end": ${HOLE},
${a}"packets": ${HOLE},
${a}"bytes": {
${b}"client": ${HOLE},
${b}"server": ${HOLE}
${a}},
${a}"state": "${HOLE}",
${a}"history": "${HOLE}",
${a}"resets": `;
  const tail = `,
${a}"handshake": {
${b}"synToSynAck": ${HOLE},
${b}"synAckToAck": ${HOLE}
${a}},
${a}"maxIdle": ${HOLE},
${a}"medianGap": ${HOLE},
${a}"dir": {
${b}"client": ${directionTemplate(indent + 4)},
${b}"server": ${directionTemplate(indent + 4)}
${a}},
${a}"appReplies": ${HOLE},
${a}"completeness": {
${b}"startedMidConnection": ${HOLE},
${b}"endedBeforeClose": ${HOLE},
${b}"client": ${completenessTemplate(indent + 4)},
${b}"server": ${completenessTemplate(indent + 4)}
${a}}`;
  const r = spaces(indent + 6);
  const reply = `{
${r}"frame": ${HOLE},
${r}"from": "${HOLE}",
${r}"protocol": "${HOLE}",
${r}"code": ${HOLE},
${r}"text": ${HOLE}
${a}  }`;
  const headPieces = pieces(head);
  const tailText = tail.split(HOLE);
  const tailPieces = tailText.map(asciiBytes);
  t = {
    head: headPieces,
    headRoom: bytesOf(headPieces) + headPieces.length * MAX_NUMBER,
    tail: tailPieces,
    tailRoom: bytesOf(tailPieces) + tailPieces.length * MAX_NUMBER,
    quietRun: DIR_HOLES.map((d) => asciiBytes(joined(tailText, d + RST_FRAMES, ['[]', '0', '0', '0', '0']))),
    flags: DIR_HOLES.map((d) => [0, 1, 2, 3].map((f) => asciiBytes(joined(tailText, d + SACK, [String((f & 1) !== 0), String((f & 2) !== 0)])))),
    whole: [],
    close: asciiBytes(`\n${spaces(indent)}}`),
    firstReset: asciiBytes(`[\n${spaces(indent + 4)}`),
    nextReset: asciiBytes(`,\n${spaces(indent + 4)}`),
    endResets: asciiBytes(`\n${a}]`),
    reply: pieces(reply),
    tailText,
  };
  if (tailPieces.length !== LAST_HOLE + 2) throw new Error('connection template: holes moved');
  made.set(indent, t);
  return t;
}

/**
 * The tail from the replies (none: `[]`) to the end of the completeness, when neither side misses
 * anything: one of 36 texts, by the two flags and the two presences (`key`).
 */
function wholeRun(t: Templates, key: number): Uint8Array {
  let run = t.whole[key];
  if (run) return run;
  const values = ['[]', String(key >= 18), String(Math.floor(key / 9) % 2 === 1), PRESENCES[Math.floor(key / 3) % 3]!, ...NOTHING_MISSED, PRESENCES[key % 3]!, ...NOTHING_MISSED];
  // The piece before the replies ends the server's direction (its option flags' run).
  run = t.whole[key] = asciiBytes(joined(t.tailText, REPLIES, values).slice(t.tailText[REPLIES]!.length));
  return run;
}

const EMPTY_LIST = asciiBytes('[]');

/**
 * Connection `id`'s fields up to `"resets": ` (the caller writes the list), at `indent` spaces: the
 * fields of `ConnectionTable.get`, in its order.
 */
export function writeConnectionHead(w: JsonBytes, table: ConnectionTable, id: number, indent: number): void {
  const t = templatesFor(indent);
  const P = t.head;
  const C = table.conn;
  const D = table.dir;
  const hosts = table.hosts.values;
  const client = hosts[C.clientHost[id]!]!;
  const server = hosts[C.serverHost[id]!]!;
  const state = table.stateOf(id);
  const history = table.history[id]!;
  w.reserve(t.headRoom + 3 * (client.length + server.length + state.length + history.length));
  const b = w.buf;
  let p = putBytes(b, w.pos, P[0]!);
  p = putInt(b, p, id);
  p = putBytes(b, p, P[1]!);
  p = putAscii(b, p, client);
  p = putBytes(b, p, P[2]!);
  p = putInt(b, p, C.clientPort[id]!);
  p = putBytes(b, p, P[3]!);
  p = putAscii(b, p, server);
  p = putBytes(b, p, P[4]!);
  p = putInt(b, p, C.serverPort[id]!);
  p = putBytes(b, p, P[5]!);
  b[p++] = C.ipVersion[id] === 6 ? 0x36 : 0x34;
  p = putBytes(b, p, P[6]!);
  p = putInt(b, p, C.firstFrame[id]!);
  p = putBytes(b, p, P[7]!);
  p = putInt(b, p, C.lastFrame[id]!);
  p = putBytes(b, p, P[8]!);
  p = putNumber(b, p, C.startNs[id]! * 1e-9);
  p = putBytes(b, p, P[9]!);
  p = putNumber(b, p, C.endNs[id]! * 1e-9);
  p = putBytes(b, p, P[10]!);
  p = putInt(b, p, C.packets[id]!);
  p = putBytes(b, p, P[11]!);
  p = putInt(b, p, D.bytes[2 * id]!);
  p = putBytes(b, p, P[12]!);
  p = putInt(b, p, D.bytes[2 * id + 1]!);
  p = putBytes(b, p, P[13]!);
  p = putAscii(b, p, state);
  p = putBytes(b, p, P[14]!);
  p = putAscii(b, p, history);
  w.pos = putBytes(b, p, P[15]!);
}

/** The start of a connection's list of resets, the separator between two, and its end. */
export function resetListParts(indent: number): { first: Uint8Array; next: Uint8Array; end: Uint8Array; empty: Uint8Array; inner: number } {
  const t = templatesFor(indent);
  return { first: t.firstReset, next: t.nextReset, end: t.endResets, empty: EMPTY_LIST, inner: indent + 4 };
}

/** RST frames by direction index (see `rstFramesByDirection`), or undefined where none. */
export type RstFramesByDirection = readonly (readonly number[] | undefined)[];

/**
 * The table's RST frames as a list by direction index: the report reads them a direction at a
 * time, and one walk over the map costs less than a lookup in it per direction (a cache miss or
 * two each, on a map of a hundred thousand lists).
 */
export function rstFramesByDirection(table: ConnectionTable): RstFramesByDirection {
  const out = new Array<readonly number[] | undefined>(2 * table.length).fill(undefined);
  for (const [k, frames] of table.rstFrames) out[k] = frames;
  return out;
}

/**
 * Connection `id`'s fields after its resets, and its closing brace; `rsts`: the table's RST frames
 * by direction, when the caller has them.
 */
export function writeConnectionTail(w: JsonBytes, table: ConnectionTable, id: number, indent: number, rsts?: RstFramesByDirection): void {
  const t = templatesFor(indent);
  const P = t.tail;
  const C = table.conn;
  w.reserve(t.tailRoom);
  let b = w.buf;
  let p = putBytes(b, w.pos, P[0]!);
  p = numberOrNull(b, p, synToSynAck(table, id));
  p = putBytes(b, p, P[1]!);
  p = numberOrNull(b, p, synAckToAck(table, id));
  p = putBytes(b, p, P[2]!);
  p = putNumber(b, p, C.maxIdleNs[id]! / 1e9);
  p = putBytes(b, p, P[3]!);
  p = putNumber(b, p, C.medianGapNs[id]! / 1e9);
  w.pos = putBytes(b, p, P[4]!);
  writeDirection(w, table, t, 2 * id, 0, indent + 6, rsts ? rsts[2 * id] : table.rstFrames.get(2 * id));
  writeDirection(w, table, t, 2 * id + 1, 1, indent + 6, rsts ? rsts[2 * id + 1] : table.rstFrames.get(2 * id + 1));
  const replies = table.appReplies(id);
  const c = table.completeness(id);
  const cl = c.client;
  const sv = c.server;
  const pc = PRESENCES.indexOf(cl.presence);
  const ps = PRESENCES.indexOf(sv.presence);
  if (replies.length === 0 && pc >= 0 && ps >= 0 && missesNothing(cl) && missesNothing(sv)) {
    const key = (c.startedMidConnection ? 18 : 0) + (c.endedBeforeClose ? 9 : 0) + 3 * pc + ps;
    w.raw(wholeRun(t, key));
  } else {
    writeReplies(w, replies, t, indent + 2);
    w.reserve(t.tailRoom);
    b = w.buf;
    p = putBytes(b, w.pos, P[REPLIES + 1]!);
    p = putBytes(b, p, c.startedMidConnection ? TRUE : FALSE);
    p = putBytes(b, p, P[REPLIES + 2]!);
    p = putBytes(b, p, c.endedBeforeClose ? TRUE : FALSE);
    p = putBytes(b, p, P[REPLIES + 3]!);
    let k = REPLIES + 4;
    for (const d of [cl, sv]) {
      p = putAscii(b, p, d.presence);
      p = putBytes(b, p, P[k++]!);
      p = putInt(b, p, d.gaps);
      p = putBytes(b, p, P[k++]!);
      p = putInt(b, p, d.gapBytes);
      p = putBytes(b, p, P[k++]!);
      p = intOrNull(b, p, d.firstGapFrame);
      p = putBytes(b, p, P[k++]!);
      p = putInt(b, p, d.ackedUnseen);
      p = putBytes(b, p, P[k++]!);
      p = intOrNull(b, p, d.firstAckedUnseenFrame);
      p = putBytes(b, p, P[k++]!);
      p = putInt(b, p, d.beyondPeerWindow);
      p = putBytes(b, p, P[k++]!);
      p = putInt(b, p, d.snapCut);
      p = putBytes(b, p, P[k++]!);
      p = intOrNull(b, p, d.firstSnapCutFrame);
      p = putBytes(b, p, P[k++]!);
    }
    w.pos = p;
  }
  // The application context is rare and varied: the generic writer is fine for it.
  const app = table.appContext(id) ?? undefined;
  if (app !== undefined) {
    w.byte(0x2c);
    w.newline(indent + 2);
    w.ascii('"app": ');
    w.value(app, indent + 2);
  }
  w.raw(t.close);
}

/** A direction's completeness that misses nothing (the common case: one text for all of it). */
function missesNothing(d: DirectionCompleteness): boolean {
  return d.gaps === 0 && d.gapBytes === 0 && d.firstGapFrame === null && d.ackedUnseen === 0 && d.firstAckedUnseenFrame === null && d.beyondPeerWindow === 0 && d.snapCut === 0 && d.firstSnapCutFrame === null;
}


function numberOrNull(b: Uint8Array, p: number, n: number | null): number {
  return n === null ? putBytes(b, p, NULL) : putNumber(b, p, n);
}

function intOrNull(b: Uint8Array, p: number, n: number | null): number {
  return n === null ? putBytes(b, p, NULL) : putInt(b, p, n);
}

/** A sequence number, or null when unknown (negative in the columns). */
function seqOrNull(b: Uint8Array, p: number, v: number): number {
  return v < 0 ? putBytes(b, p, NULL) : putInt(b, p, v);
}

/** A frame number, or null when none (0 in the columns). */
function frameOrNull(b: Uint8Array, p: number, v: number): number {
  return v ? putInt(b, p, v) : putBytes(b, p, NULL);
}

/**
 * Direction `k`'s `DirectionStats` (see `ConnectionTable.get`), from the columns and its RST frames,
 * into the tail's holes from `DIR_HOLES[side]` on (`at`: the indent of its RST frames' brackets).
 */
function writeDirection(w: JsonBytes, table: ConnectionTable, t: Templates, k: number, side: number, at: number, rsts: readonly number[] | undefined): void {
  const D = table.dir;
  const P = t.tail;
  const h = DIR_HOLES[side]!;
  const packets = D.packets[k]!;
  w.reserve(t.tailRoom);
  let b = w.buf;
  let p = putInt(b, w.pos, packets);
  p = putBytes(b, p, P[h + 1]!);
  p = putInt(b, p, D.bytes[k]!);
  p = putBytes(b, p, P[h + 2]!);
  p = putInt(b, p, D.ipBytes[k]!);
  p = putBytes(b, p, P[h + 3]!);
  p = seqOrNull(b, p, D.isn[k]!);
  p = putBytes(b, p, P[h + 4]!);
  p = seqOrNull(b, p, D.baseSeq[k]!);
  p = putBytes(b, p, P[h + 5]!);
  p = seqOrNull(b, p, D.nextSeq[k]!);
  p = putBytes(b, p, P[h + 6]!);
  p = seqOrNull(b, p, D.highestAck[k]!);
  p = putBytes(b, p, P[h + 7]!);
  p = frameOrNull(b, p, D.synFrame[k]!);
  p = putBytes(b, p, P[h + 8]!);
  p = frameOrNull(b, p, D.finFrame[k]!);
  const retransmissions = D.retransmissions[k]!;
  const keepalives = D.keepalives[k]!;
  const zeroWindows = D.zeroWindows[k]!;
  const dupAcks = D.dupAcks[k]!;
  if ((!rsts || rsts.length === 0) && retransmissions === 0 && keepalives === 0 && zeroWindows === 0 && dupAcks === 0) p = putBytes(b, p, t.quietRun[side]!);
  else {
    p = putBytes(b, p, P[h + RST_FRAMES]!);
    if (!rsts || rsts.length === 0) p = putBytes(b, p, EMPTY_LIST);
    else {
      w.pos = p;
      for (let i = 0; i < rsts.length; i++) {
        w.byte(i ? 0x2c : 0x5b);
        w.newline(at + 2);
        w.int(rsts[i]!);
      }
      w.newline(at);
      w.byte(0x5d);
      w.reserve(t.tailRoom);
      b = w.buf;
      p = w.pos;
    }
    p = putBytes(b, p, P[h + 10]!);
    p = putInt(b, p, retransmissions);
    p = putBytes(b, p, P[h + 11]!);
    p = putInt(b, p, keepalives);
    p = putBytes(b, p, P[h + 12]!);
    p = putInt(b, p, zeroWindows);
    p = putBytes(b, p, P[h + 13]!);
    p = putInt(b, p, dupAcks);
    p = putBytes(b, p, P[h + 14]!);
  }
  p = putInt(b, p, packets ? D.ttlMin[k]! : 0);
  p = putBytes(b, p, P[h + 15]!);
  p = putInt(b, p, D.ttlMax[k]!);
  p = putBytes(b, p, P[h + 16]!);
  p = putInt(b, p, D.windowScale[k]!);
  p = putBytes(b, p, P[h + 17]!);
  p = putInt(b, p, D.mss[k]!);
  const options = D.options[k]!;
  w.pos = putBytes(b, p, t.flags[side]![((options & DirOption.sackPermitted) !== 0 ? 1 : 0) + ((options & DirOption.timestamps) !== 0 ? 2 : 0)]!);
}

function writeReplies(w: JsonBytes, list: readonly AppReply[], t: Templates, at: number): void {
  if (list.length === 0) {
    w.raw(EMPTY_LIST);
    return;
  }
  const p = t.reply;
  for (let i = 0; i < list.length; i++) {
    const r = list[i]!;
    w.byte(i ? 0x2c : 0x5b);
    w.newline(at + 2);
    w.raw(p[0]!);
    w.int(r.frame);
    w.raw(p[1]!);
    w.ascii(r.from);
    w.raw(p[2]!);
    w.ascii(r.protocol);
    w.raw(p[3]!);
    w.int(r.code);
    w.raw(p[4]!);
    w.quoted(r.text);
    w.raw(p[5]!);
  }
  w.newline(at);
  w.byte(0x5d);
}

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
import type { AppReply } from '../model/types.ts';
import { DirOption, synAckToAck, synToSynAck, type ConnectionTable } from '../tcp/connection-table.ts';
import { asciiBytes, type JsonBytes } from './json-bytes.ts';

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
  /** From `{` to `"resets": `. */
  head: Uint8Array[];
  /** From after the resets to before the closing brace (the optional `app` goes there). */
  tail: Uint8Array[];
  /** The closing brace on its own line. */
  close: Uint8Array;
  /** Between the resets: `,` and a line break, and the start of the list. */
  firstReset: Uint8Array;
  nextReset: Uint8Array;
  /** After the last reset. */
  endResets: Uint8Array;
  /** A reply line's fields (`AppReply`). */
  reply: Uint8Array[];
}

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
  t = {
    head: pieces(head),
    tail: pieces(tail),
    close: asciiBytes(`\n${spaces(indent)}}`),
    firstReset: asciiBytes(`[\n${spaces(indent + 4)}`),
    nextReset: asciiBytes(`,\n${spaces(indent + 4)}`),
    endResets: asciiBytes(`\n${a}]`),
    reply: pieces(reply),
  };
  made.set(indent, t);
  return t;
}

const EMPTY_LIST = asciiBytes('[]');
const NULL = asciiBytes('null');

/**
 * Connection `id`'s fields up to `"resets": ` (the caller writes the list), at `indent` spaces: the
 * fields of `ConnectionTable.get`, in its order.
 */
export function writeConnectionHead(w: JsonBytes, table: ConnectionTable, id: number, indent: number): void {
  const p = templatesFor(indent).head;
  const C = table.conn;
  const D = table.dir;
  const hosts = table.hosts.values;
  let k = 0;
  w.raw(p[k++]!);
  w.int(id);
  w.raw(p[k++]!);
  w.ascii(hosts[C.clientHost[id]!]!);
  w.raw(p[k++]!);
  w.int(C.clientPort[id]!);
  w.raw(p[k++]!);
  w.ascii(hosts[C.serverHost[id]!]!);
  w.raw(p[k++]!);
  w.int(C.serverPort[id]!);
  w.raw(p[k++]!);
  w.int(C.ipVersion[id] === 6 ? 6 : 4);
  w.raw(p[k++]!);
  w.int(C.firstFrame[id]!);
  w.raw(p[k++]!);
  w.int(C.lastFrame[id]!);
  w.raw(p[k++]!);
  w.number(C.startNs[id]! * 1e-9);
  w.raw(p[k++]!);
  w.number(C.endNs[id]! * 1e-9);
  w.raw(p[k++]!);
  w.int(C.packets[id]!);
  w.raw(p[k++]!);
  w.int(D.bytes[2 * id]!);
  w.raw(p[k++]!);
  w.int(D.bytes[2 * id + 1]!);
  w.raw(p[k++]!);
  w.ascii(table.stateOf(id));
  w.raw(p[k++]!);
  w.ascii(table.history[id]!);
  w.raw(p[k++]!);
}

/** The start of a connection's list of resets, the separator between two, and its end. */
export function resetListParts(indent: number): { first: Uint8Array; next: Uint8Array; end: Uint8Array; empty: Uint8Array; inner: number } {
  const t = templatesFor(indent);
  return { first: t.firstReset, next: t.nextReset, end: t.endResets, empty: EMPTY_LIST, inner: indent + 4 };
}

/** Connection `id`'s fields after its resets, and its closing brace. */
export function writeConnectionTail(w: JsonBytes, table: ConnectionTable, id: number, indent: number): void {
  const t = templatesFor(indent);
  const p = t.tail;
  const C = table.conn;
  let k = 0;
  w.raw(p[k++]!);
  w.numberOrNull(synToSynAck(table, id));
  w.raw(p[k++]!);
  w.numberOrNull(synAckToAck(table, id));
  w.raw(p[k++]!);
  w.number(C.maxIdleNs[id]! / 1e9);
  w.raw(p[k++]!);
  w.number(C.medianGapNs[id]! / 1e9);
  w.raw(p[k++]!);
  k = writeDirection(w, table, 2 * id, p, k, indent + 6);
  k = writeDirection(w, table, 2 * id + 1, p, k, indent + 6);
  writeReplies(w, table.appReplies(id), t, indent + 2);
  w.raw(p[k++]!);
  const c = table.completeness(id);
  w.bool(c.startedMidConnection);
  w.raw(p[k++]!);
  w.bool(c.endedBeforeClose);
  w.raw(p[k++]!);
  for (const d of [c.client, c.server]) {
    w.ascii(d.presence);
    w.raw(p[k++]!);
    w.int(d.gaps);
    w.raw(p[k++]!);
    w.int(d.gapBytes);
    w.raw(p[k++]!);
    intOrNull(w, d.firstGapFrame);
    w.raw(p[k++]!);
    w.int(d.ackedUnseen);
    w.raw(p[k++]!);
    intOrNull(w, d.firstAckedUnseenFrame);
    w.raw(p[k++]!);
    w.int(d.beyondPeerWindow);
    w.raw(p[k++]!);
    w.int(d.snapCut);
    w.raw(p[k++]!);
    intOrNull(w, d.firstSnapCutFrame);
    w.raw(p[k++]!);
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

function intOrNull(w: JsonBytes, n: number | null): void {
  if (n === null) w.raw(NULL);
  else w.int(n);
}

/** Direction `k`'s `DirectionStats` (see `ConnectionTable.get`), from the columns, into holes `k0..`. */
function writeDirection(w: JsonBytes, t: ConnectionTable, k: number, p: Uint8Array[], k0: number, at: number): number {
  const D = t.dir;
  const packets = D.packets[k]!;
  let h = k0;
  w.int(packets);
  w.raw(p[h++]!);
  w.int(D.bytes[k]!);
  w.raw(p[h++]!);
  w.int(D.ipBytes[k]!);
  w.raw(p[h++]!);
  orNull(w, D.isn[k]!);
  w.raw(p[h++]!);
  orNull(w, D.baseSeq[k]!);
  w.raw(p[h++]!);
  orNull(w, D.nextSeq[k]!);
  w.raw(p[h++]!);
  orNull(w, D.highestAck[k]!);
  w.raw(p[h++]!);
  frameOrNull(w, D.synFrame[k]!);
  w.raw(p[h++]!);
  frameOrNull(w, D.finFrame[k]!);
  w.raw(p[h++]!);
  const rsts = t.rstFrames.get(k);
  if (!rsts || rsts.length === 0) w.raw(EMPTY_LIST);
  else {
    for (let i = 0; i < rsts.length; i++) {
      w.byte(i ? 0x2c : 0x5b);
      w.newline(at + 2);
      w.int(rsts[i]!);
    }
    w.newline(at);
    w.byte(0x5d);
  }
  w.raw(p[h++]!);
  w.int(D.retransmissions[k]!);
  w.raw(p[h++]!);
  w.int(D.keepalives[k]!);
  w.raw(p[h++]!);
  w.int(D.zeroWindows[k]!);
  w.raw(p[h++]!);
  w.int(D.dupAcks[k]!);
  w.raw(p[h++]!);
  w.int(packets ? D.ttlMin[k]! : 0);
  w.raw(p[h++]!);
  w.int(D.ttlMax[k]!);
  w.raw(p[h++]!);
  w.int(D.windowScale[k]!);
  w.raw(p[h++]!);
  w.int(D.mss[k]!);
  w.raw(p[h++]!);
  w.bool((D.options[k]! & DirOption.sackPermitted) !== 0);
  w.raw(p[h++]!);
  w.bool((D.options[k]! & DirOption.timestamps) !== 0);
  w.raw(p[h++]!);
  return h;
}

/** A sequence number, or null when unknown (negative in the columns). */
function orNull(w: JsonBytes, v: number): void {
  if (v < 0) w.raw(NULL);
  else w.int(v);
}

/** A frame number, or null when none (0 in the columns). */
function frameOrNull(w: JsonBytes, v: number): void {
  if (v) w.int(v);
  else w.raw(NULL);
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

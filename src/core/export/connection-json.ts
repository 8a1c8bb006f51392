/**
 * A connection as `JSON.stringify(connection, null, 2)` writes it, with every line after the first
 * prefixed by an indent, written field by field: the report writes tens of thousands of these, and
 * the generic stringify with a gap, followed by a pass that re-indents its text, was most of the
 * JSON report's time. The text is returned in two parts around `"resets": []`, where the writer
 * puts the connection's resets.
 *
 * The fields and their order are `ConnectionTable.get`'s; a test compares this with
 * `JSON.stringify` on every connection of the test captures. Counts, frames and sequence numbers
 * (integers) are written as they are; only the times, which are computed, go through `num`. Texts
 * the core makes from a fixed alphabet (addresses, Zeek's state and history, the side, the
 * protocol, the presence) are quoted as they are: they hold nothing JSON escapes. The rest (reply
 * lines from the capture) go through stringify's escaping.
 */
import type { AppReply, Completeness, Connection, DirectionCompleteness, DirectionStats } from '../model/types.ts';
import { DirOption, synAckToAck, synToSynAck, type ConnectionTable } from '../tcp/connection-table.ts';

/** JSON's text of a number: `null` for what JSON cannot hold (NaN, infinities), as stringify writes it. */
function num(n: number): string {
  return Number.isFinite(n) ? `${n}` : 'null';
}

function numOrNull(n: number | null): string {
  return n === null ? 'null' : num(n);
}

/** An integer field (a count, a frame, a sequence number: never NaN or infinite), or null. */
function int(n: number | null): string {
  return n === null ? 'null' : `${n}`;
}

const str = (s: string): string => JSON.stringify(s);

function numbers(list: readonly number[], at: string): string {
  if (list.length === 0) return '[]';
  let s = '[';
  for (let i = 0; i < list.length; i++) s += `${i ? ',' : ''}\n${at}  ${list[i]!}`;
  return `${s}\n${at}]`;
}

function direction(d: DirectionStats, at: string): string {
  const i = `${at}  `;
  return `{
${i}"packets": ${d.packets},
${i}"bytes": ${d.bytes},
${i}"ipBytes": ${d.ipBytes},
${i}"isn": ${int(d.isn)},
${i}"baseSeq": ${int(d.baseSeq)},
${i}"nextSeq": ${int(d.nextSeq)},
${i}"highestAck": ${int(d.highestAck)},
${i}"synFrame": ${int(d.synFrame)},
${i}"finFrame": ${int(d.finFrame)},
${i}"rstFrames": ${numbers(d.rstFrames, i)},
${i}"retransmissions": ${d.retransmissions},
${i}"keepalives": ${d.keepalives},
${i}"zeroWindows": ${d.zeroWindows},
${i}"dupAcks": ${d.dupAcks},
${i}"ttlMin": ${d.ttlMin},
${i}"ttlMax": ${d.ttlMax},
${i}"windowScale": ${d.windowScale},
${i}"mss": ${d.mss},
${i}"sackPermitted": ${d.sackPermitted},
${i}"timestamps": ${d.timestamps}
${at}}`;
}

function completeness(d: DirectionCompleteness, at: string): string {
  const i = `${at}  `;
  return `{
${i}"presence": "${d.presence}",
${i}"gaps": ${d.gaps},
${i}"gapBytes": ${d.gapBytes},
${i}"firstGapFrame": ${int(d.firstGapFrame)},
${i}"ackedUnseen": ${d.ackedUnseen},
${i}"firstAckedUnseenFrame": ${int(d.firstAckedUnseenFrame)},
${i}"beyondPeerWindow": ${d.beyondPeerWindow},
${i}"snapCut": ${d.snapCut},
${i}"firstSnapCutFrame": ${int(d.firstSnapCutFrame)}
${at}}`;
}

function replies(list: readonly AppReply[], at: string): string {
  if (list.length === 0) return '[]';
  const i = `${at}    `;
  let s = '[';
  for (let k = 0; k < list.length; k++) {
    const r = list[k]!;
    s += `${k ? ',' : ''}
${at}  {
${i}"frame": ${r.frame},
${i}"from": "${r.from}",
${i}"protocol": "${r.protocol}",
${i}"code": ${r.code},
${i}"text": ${str(r.text)}
${at}  }`;
  }
  return `${s}\n${at}]`;
}

/**
 * `c` (its `resets` left out) as the indented JSON text before and after `"resets": []`. Lines after
 * the first start with `indent` and then two spaces per level, as in `JSON.stringify(c, null, 2)`
 * with `indent` added after each line break.
 */
export function connectionJsonParts(c: Connection, indent: string): [before: string, after: string] {
  const a = `${indent}  `;
  const b = `${a}  `;
  return parts(
    indent,
    `{
${a}"id": ${c.id},
${a}"client": {
${b}"ip": "${c.client.ip}",
${b}"port": ${c.client.port}
${a}},
${a}"server": {
${b}"ip": "${c.server.ip}",
${b}"port": ${c.server.port}
${a}},
${a}"ipVersion": ${c.ipVersion},
${a}"firstFrame": ${c.firstFrame},
${a}"lastFrame": ${c.lastFrame},
${a}"start": ${num(c.start)},
${a}"end": ${num(c.end)},
${a}"packets": ${c.packets},
${a}"bytes": {
${b}"client": ${c.bytes.client},
${b}"server": ${c.bytes.server}
${a}},
${a}"state": "${c.state}",
${a}"history": "${c.history}",
${a}`,
    c.handshake.synToSynAck,
    c.handshake.synAckToAck,
    c.maxIdle,
    c.medianGap,
    `${direction(c.dir.client, b)}`,
    `${direction(c.dir.server, b)}`,
    c.appReplies,
    c.completeness,
    c.app,
  );
}

/**
 * Connection `id` of `table` as `connectionJsonParts(table.get(id, false), indent)` writes it, read
 * from the table's columns: the report writes every connection once, and the objects `get` makes
 * for that (a dozen per connection) were most of the writer's remaining time.
 */
export function connectionJsonPartsOf(table: ConnectionTable, id: number, indent: string): [before: string, after: string] {
  const a = `${indent}  `;
  const b = `${a}  `;
  const C = table.conn;
  const D = table.dir;
  const hosts = table.hosts.values;
  return parts(
    indent,
    `{
${a}"id": ${id},
${a}"client": {
${b}"ip": "${hosts[C.clientHost[id]!]!}",
${b}"port": ${C.clientPort[id]!}
${a}},
${a}"server": {
${b}"ip": "${hosts[C.serverHost[id]!]!}",
${b}"port": ${C.serverPort[id]!}
${a}},
${a}"ipVersion": ${C.ipVersion[id] === 6 ? 6 : 4},
${a}"firstFrame": ${C.firstFrame[id]!},
${a}"lastFrame": ${C.lastFrame[id]!},
${a}"start": ${num(C.startNs[id]! * 1e-9)},
${a}"end": ${num(C.endNs[id]! * 1e-9)},
${a}"packets": ${C.packets[id]!},
${a}"bytes": {
${b}"client": ${D.bytes[2 * id]!},
${b}"server": ${D.bytes[2 * id + 1]!}
${a}},
${a}"state": "${table.stateOf(id)}",
${a}"history": "${table.history[id]!}",
${a}`,
    synToSynAck(table, id),
    synAckToAck(table, id),
    C.maxIdleNs[id]! / 1e9,
    C.medianGapNs[id]! / 1e9,
    directionOf(table, 2 * id, b),
    directionOf(table, 2 * id + 1, b),
    table.appReplies(id),
    table.completeness(id),
    table.appContext(id) ?? undefined,
  );
}

/** What follows the `id` .. `history` fields, from `"resets": []` on (left out), as two parts. */
function parts(
  indent: string,
  before: string,
  synToSynAckSeconds: number | null,
  synAckToAckSeconds: number | null,
  maxIdle: number,
  medianGap: number,
  client: string,
  server: string,
  appReplies: readonly AppReply[],
  c: Completeness,
  app: Connection['app'],
): [before: string, after: string] {
  const a = `${indent}  `;
  const b = `${a}  `;
  let after = `,
${a}"handshake": {
${b}"synToSynAck": ${numOrNull(synToSynAckSeconds)},
${b}"synAckToAck": ${numOrNull(synAckToAckSeconds)}
${a}},
${a}"maxIdle": ${num(maxIdle)},
${a}"medianGap": ${num(medianGap)},
${a}"dir": {
${b}"client": ${client},
${b}"server": ${server}
${a}},
${a}"appReplies": ${replies(appReplies, a)},
${a}"completeness": {
${b}"startedMidConnection": ${c.startedMidConnection},
${b}"endedBeforeClose": ${c.endedBeforeClose},
${b}"client": ${completeness(c.client, b)},
${b}"server": ${completeness(c.server, b)}
${a}}`;
  // The application context is rare and varied: the generic writer, re-indented, is fine for it.
  if (app !== undefined) after += `,\n${a}"app": ${JSON.stringify(app, null, 2).replace(/\n/g, `\n${a}`)}`;
  return [before, `${after}\n${indent}}`];
}

/** Direction `k`'s `DirectionStats` (see `ConnectionTable.get`), from the columns. */
function directionOf(t: ConnectionTable, k: number, at: string): string {
  const D = t.dir;
  const i = `${at}  `;
  const packets = D.packets[k]!;
  const orNull = (v: number): string => (v < 0 ? 'null' : `${v}`);
  return `{
${i}"packets": ${packets},
${i}"bytes": ${D.bytes[k]!},
${i}"ipBytes": ${D.ipBytes[k]!},
${i}"isn": ${orNull(D.isn[k]!)},
${i}"baseSeq": ${orNull(D.baseSeq[k]!)},
${i}"nextSeq": ${orNull(D.nextSeq[k]!)},
${i}"highestAck": ${orNull(D.highestAck[k]!)},
${i}"synFrame": ${D.synFrame[k] || 'null'},
${i}"finFrame": ${D.finFrame[k] || 'null'},
${i}"rstFrames": ${numbers(t.rstFrames.get(k) ?? [], i)},
${i}"retransmissions": ${D.retransmissions[k]!},
${i}"keepalives": ${D.keepalives[k]!},
${i}"zeroWindows": ${D.zeroWindows[k]!},
${i}"dupAcks": ${D.dupAcks[k]!},
${i}"ttlMin": ${packets ? D.ttlMin[k]! : 0},
${i}"ttlMax": ${D.ttlMax[k]!},
${i}"windowScale": ${D.windowScale[k]!},
${i}"mss": ${D.mss[k]!},
${i}"sackPermitted": ${(D.options[k]! & DirOption.sackPermitted) !== 0},
${i}"timestamps": ${(D.options[k]! & DirOption.timestamps) !== 0}
${at}}`;
}

/**
 * A connection as `JSON.stringify(connection, null, 2)` writes it, with every line after the first
 * prefixed by an indent, written field by field: the report writes tens of thousands of these, and
 * the generic stringify with a gap, followed by a pass that re-indents its text, was most of the
 * JSON report's time. The text is returned in two parts around `"resets": []`, where the writer
 * puts the connection's resets.
 *
 * The fields and their order are `ConnectionTable.get`'s; a test compares this with
 * `JSON.stringify` on every connection of the test captures.
 */
import type { AppReply, Connection, DirectionCompleteness, DirectionStats } from '../model/types.ts';

/** JSON's text of a number: `null` for what JSON cannot hold (NaN, infinities), as stringify writes it. */
function num(n: number): string {
  return Number.isFinite(n) ? `${n}` : 'null';
}

function numOrNull(n: number | null): string {
  return n === null ? 'null' : num(n);
}

const str = (s: string): string => JSON.stringify(s);

function numbers(list: readonly number[], at: string): string {
  if (list.length === 0) return '[]';
  let s = '[';
  for (let i = 0; i < list.length; i++) s += `${i ? ',' : ''}\n${at}  ${num(list[i]!)}`;
  return `${s}\n${at}]`;
}

function direction(d: DirectionStats, at: string): string {
  const i = `${at}  `;
  return `{
${i}"packets": ${num(d.packets)},
${i}"bytes": ${num(d.bytes)},
${i}"ipBytes": ${num(d.ipBytes)},
${i}"isn": ${numOrNull(d.isn)},
${i}"baseSeq": ${numOrNull(d.baseSeq)},
${i}"nextSeq": ${numOrNull(d.nextSeq)},
${i}"highestAck": ${numOrNull(d.highestAck)},
${i}"synFrame": ${numOrNull(d.synFrame)},
${i}"finFrame": ${numOrNull(d.finFrame)},
${i}"rstFrames": ${numbers(d.rstFrames, i)},
${i}"retransmissions": ${num(d.retransmissions)},
${i}"keepalives": ${num(d.keepalives)},
${i}"zeroWindows": ${num(d.zeroWindows)},
${i}"dupAcks": ${num(d.dupAcks)},
${i}"ttlMin": ${num(d.ttlMin)},
${i}"ttlMax": ${num(d.ttlMax)},
${i}"windowScale": ${num(d.windowScale)},
${i}"mss": ${num(d.mss)},
${i}"sackPermitted": ${d.sackPermitted},
${i}"timestamps": ${d.timestamps}
${at}}`;
}

function completeness(d: DirectionCompleteness, at: string): string {
  const i = `${at}  `;
  return `{
${i}"presence": ${str(d.presence)},
${i}"gaps": ${num(d.gaps)},
${i}"gapBytes": ${num(d.gapBytes)},
${i}"firstGapFrame": ${numOrNull(d.firstGapFrame)},
${i}"ackedUnseen": ${num(d.ackedUnseen)},
${i}"firstAckedUnseenFrame": ${numOrNull(d.firstAckedUnseenFrame)},
${i}"beyondPeerWindow": ${num(d.beyondPeerWindow)},
${i}"snapCut": ${num(d.snapCut)},
${i}"firstSnapCutFrame": ${numOrNull(d.firstSnapCutFrame)}
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
${i}"frame": ${num(r.frame)},
${i}"from": ${str(r.from)},
${i}"protocol": ${str(r.protocol)},
${i}"code": ${num(r.code)},
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
  const before = `{
${a}"id": ${num(c.id)},
${a}"client": {
${b}"ip": ${str(c.client.ip)},
${b}"port": ${num(c.client.port)}
${a}},
${a}"server": {
${b}"ip": ${str(c.server.ip)},
${b}"port": ${num(c.server.port)}
${a}},
${a}"ipVersion": ${num(c.ipVersion)},
${a}"firstFrame": ${num(c.firstFrame)},
${a}"lastFrame": ${num(c.lastFrame)},
${a}"start": ${num(c.start)},
${a}"end": ${num(c.end)},
${a}"packets": ${num(c.packets)},
${a}"bytes": {
${b}"client": ${num(c.bytes.client)},
${b}"server": ${num(c.bytes.server)}
${a}},
${a}"state": ${str(c.state)},
${a}"history": ${str(c.history)},
${a}`;
  let after = `,
${a}"handshake": {
${b}"synToSynAck": ${numOrNull(c.handshake.synToSynAck)},
${b}"synAckToAck": ${numOrNull(c.handshake.synAckToAck)}
${a}},
${a}"maxIdle": ${num(c.maxIdle)},
${a}"medianGap": ${num(c.medianGap)},
${a}"dir": {
${b}"client": ${direction(c.dir.client, b)},
${b}"server": ${direction(c.dir.server, b)}
${a}},
${a}"appReplies": ${replies(c.appReplies, a)},
${a}"completeness": {
${b}"startedMidConnection": ${c.completeness.startedMidConnection},
${b}"endedBeforeClose": ${c.completeness.endedBeforeClose},
${b}"client": ${completeness(c.completeness.client, b)},
${b}"server": ${completeness(c.completeness.server, b)}
${a}}`;
  // The application context is rare and varied: the generic writer, re-indented, is fine for it.
  if (c.app !== undefined) after += `,\n${a}"app": ${JSON.stringify(c.app, null, 2).replace(/\n/g, `\n${a}`)}`;
  return [before, `${after}\n${indent}}`];
}

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
import type { AppReply, Connection, DirectionCompleteness, DirectionStats } from '../model/types.ts';

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
  const before = `{
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

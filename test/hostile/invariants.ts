import type { AnalysisResult } from '../../src/core/analyze-api.ts';
import { isFromClient } from '../../src/core/model/packet-table.ts';
import { TcpFlag } from '../../src/core/model/types.ts';

/**
 * What must hold of any analysis result, whatever bytes it came from. Returns the violations (empty
 * when all is well) so a fuzzer can report the case with its seed instead of stopping at the first.
 */

/** C0 controls, DEL, C1 controls, and the line/paragraph separators: none may reach the report. */
// eslint-disable-next-line no-control-regex
export const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

export function checkResult(result: AnalysisResult, opts: { classifierActive: boolean }): string[] {
  const problems: string[] = [];
  const { report, packets, connStart } = result;
  const say = (s: string): void => {
    if (problems.length < 20) problems.push(s);
  };
  const conns = result.connections.all();
  const nConn = conns.length;
  const rows = packets.frame.length;

  if (!Number.isInteger(report.packets) || report.packets < 0) say(`report.packets is ${report.packets}`);
  if (report.tcpPackets !== rows) say(`tcpPackets ${report.tcpPackets} but ${rows} packet rows`);
  const skipped = Object.values(report.skipped).reduce((a, b) => a + b, 0);
  if (skipped + report.tcpPackets !== report.packets) {
    say(`skipped ${skipped} + tcp ${report.tcpPackets} != packets ${report.packets}`);
  }

  // Rows grouped by connection: connStart ascends from 0 to the row count.
  const conn = new Uint32Array(rows).fill(0xffffffff);
  if (connStart.length !== nConn + 1 || connStart[0] !== 0 || connStart[nConn] !== rows) {
    say(`connStart shape: ${connStart.length} entries from ${connStart[0]} to ${connStart[nConn]}, for ${nConn} connections and ${rows} rows`);
  } else {
    for (let c = 0; c < nConn; c++) {
      if (connStart[c + 1]! < connStart[c]!) say(`connStart[${c + 1}] < connStart[${c}]`);
      for (let k = connStart[c]!; k < connStart[c + 1]!; k++) conn[k] = c;
    }
  }

  // Frames within 1..n, each once, ascending (file order) within each connection.
  const seen = new Set<number>();
  for (let i = 0; i < rows; i++) {
    const f = packets.frame[i]!;
    if (seen.has(f)) say(`packet row ${i}: frame ${f} twice`);
    seen.add(f);
    if (i > 0 && conn[i] === conn[i - 1] && f <= packets.frame[i - 1]!) say(`packet row ${i}: frame ${f} after frame ${packets.frame[i - 1]} in its connection`);
    if (f < 1 || f > report.packets) say(`packet row ${i}: frame ${f} outside 1..${report.packets}`);
    if (conn[i]! >= nConn) say(`packet row ${i}: in no connection's range`);
    if (!Number.isFinite(packets.timeNs[i]!)) say(`packet row ${i}: time ${packets.timeNs[i]}`);
  }

  // Every RST row is in its connection's rstFrames (on the right side), and nothing else is.
  const rstByConn = new Map<number, { client: number[]; server: number[] }>();
  for (let i = 0; i < rows; i++) {
    if (!(packets.flags[i]! & TcpFlag.RST)) continue;
    const c = conn[i]!;
    const entry = rstByConn.get(c) ?? { client: [], server: [] };
    (isFromClient(packets, i) ? entry.client : entry.server).push(packets.frame[i]!);
    rstByConn.set(c, entry);
  }
  for (const [i, c] of conns.entries()) {
    if (c.id !== i) say(`connection at index ${i} has id ${c.id}`);
    const expected = rstByConn.get(c.id) ?? { client: [], server: [] };
    if (c.dir.client.rstFrames.join() !== expected.client.join() || c.dir.server.rstFrames.join() !== expected.server.join()) {
      say(`connection ${c.id}: rstFrames ${c.dir.client.rstFrames}/${c.dir.server.rstFrames}, RST rows ${expected.client}/${expected.server}`);
    }
    if (c.firstFrame > c.lastFrame || c.firstFrame < 1 || c.lastFrame > report.packets) {
      say(`connection ${c.id}: frames ${c.firstFrame}..${c.lastFrame} of ${report.packets}`);
    }
    const rsts = new Set([...c.dir.client.rstFrames, ...c.dir.server.rstFrames]);
    for (const v of c.resets) {
      if (!rsts.has(v.frame)) say(`connection ${c.id}: verdict for frame ${v.frame}, which is not one of its RSTs`);
    }
    if (opts.classifierActive) {
      const judged = new Set(c.resets.map((v) => v.frame));
      for (const f of rsts) if (!judged.has(f)) say(`connection ${c.id}: RST frame ${f} has no verdict`);
    }
    for (const r of c.appReplies) {
      if (CONTROL_CHARS.test(r.text)) say(`connection ${c.id}: app reply text ${JSON.stringify(r.text)} has control characters`);
    }
  }

  // Untrusted text reaches the report only as plain strings without control characters.
  for (const [i, iface] of report.interfaces.entries()) {
    for (const text of [iface.name, iface.description, iface.linkTypeName]) {
      if (text !== undefined && (typeof text !== 'string' || CONTROL_CHARS.test(text))) {
        say(`interface ${i}: text ${JSON.stringify(text)} has control characters`);
      }
    }
  }
  for (const [frame, text] of result.rstPayloadText) {
    if (CONTROL_CHARS.test(text)) say(`RST payload text of frame ${frame} has control characters`);
  }
  for (const w of report.warnings) {
    if (CONTROL_CHARS.test(w.message)) say(`warning ${w.code} is not one line: ${JSON.stringify(w.message)}`);
    if (w.frame !== undefined && (!Number.isInteger(w.frame) || w.frame < 1)) say(`warning ${w.code} names frame ${w.frame}`);
    if (w.offset !== undefined && (!Number.isInteger(w.offset) || w.offset < 0)) say(`warning ${w.code} names offset ${w.offset}`);
  }
  try {
    JSON.stringify(report);
  } catch (e) {
    say(`report does not serialise: ${(e as Error).message}`);
  }
  return problems;
}

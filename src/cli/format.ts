import { streamNumber } from '../core/model/stream-number.ts';
import type { AnalysisResult } from '../core/analyze-api.ts';
import { isRun, resetsAndRuns, type RepeatRun } from '../core/export/reset-runs.ts';

type Reportable = Pick<AnalysisResult, 'report' | 'connections'>;

/**
 * The readable summary in pieces of about a megabyte, so that a capture with a million resets is
 * written as it is formatted instead of becoming one string first (which V8 caps at 512 MB).
 * `keep`: only those connections' resets (`--filter`).
 */
export function* formatReportChunks(result: Reportable, keep?: (id: number) => boolean, chunk = 1 << 20): Generator<string> {
  const r = result.report;
  const table = result.connections;
  let lines: string[] = [];
  let size = 0;
  const push = (...more: string[]): void => {
    for (const line of more) {
      lines.push(line);
      size += line.length + 1;
    }
  };
  const ifaces = r.interfaces.map((i) => i.linkTypeName).filter((v, i, a) => a.indexOf(v) === i).join(', ');
  push(`${r.file.name}: ${r.file.format}${r.file.compressed ? ' (gzip)' : ''}, ${r.file.bytes.toLocaleString('en-US')} bytes, ${ifaces || 'no interface'}`);
  push(`${r.packets.toLocaleString('en-US')} frames, ${r.tcpPackets.toLocaleString('en-US')} TCP, ${table.length.toLocaleString('en-US')} connections, ${r.duration.toFixed(3)} s`);
  if (r.shared) {
    // A connection shared by a link: the numbers are its origin's, the reading is of these frames.
    push(`One connection shared from ${r.shared.file} (${r.shared.frames.toLocaleString('en-US')} frames, tcp.stream ${r.shared.stream}): frame numbers are those of ${r.shared.file}; the verdicts below are computed on these frames alone.`);
  }
  if (r.summary.verdict) push('', `Verdict: ${r.summary.verdict}`);
  if (r.summary.capturePoint) push(`Capture point: ${r.summary.capturePoint}`);
  if (r.findings.length) {
    push('', 'Findings:');
    for (const f of r.findings) push(`  [${f.kind}] ${f.title} (${f.frames.length} frames)`);
  }
  let heading = false;
  const hosts = table.hosts.values;
  const C = table.conn;
  for (let id = 0; id < table.length; id++) {
    if (table.resetCount(id) === 0 || (keep && !keep(id))) continue;
    if (!heading) push('', 'Resets:');
    heading = true;
    // The connection's line from the table's columns: no `Connection` object for it.
    lines.push(`  #${streamNumber(table, id)} ${hosts[C.clientHost[id]!]}:${C.clientPort[id]} -> ${hosts[C.serverHost[id]!]}:${C.serverPort[id]}  ${table.stateOf(id)} ${table.history[id]}`);
    size += lines[lines.length - 1]!.length + 1;
    for (const v of resetsAndRuns(table, id)) {
      if (isRun(v)) {
        // A run of identical resets is one line: its first and last frame and how many.
        const line = repeatLine(v);
        lines.push(line);
        size += line.length + 1;
        continue;
      }
      const conf = v.confidence !== undefined ? ` ${(v.confidence * 100).toFixed(0)}%` : '';
      let line = `    frame ${v.frame} [${v.flags}] from ${v.from} at ${v.time.toFixed(6)} s: ${v.scenario ?? '?'}${v.severity ? ` (${v.severity}${conf})` : ''}`;
      lines.push(line);
      size += line.length + 1;
      if (v.explanation) {
        line = `      ${v.explanation}`;
        lines.push(line);
        size += line.length + 1;
      }
      const evidence = v.evidence;
      if (evidence) {
        for (let k = 0; k < evidence.length; k++) {
          const e = evidence[k]!;
          line = e.frame !== undefined ? `      - frame ${e.frame}: ${e.fact}` : `      - ${e.fact}`;
          lines.push(line);
          size += line.length + 1;
        }
      }
      if (size >= chunk) {
        yield `${lines.join('\n')}\n`;
        lines = [];
        size = 0;
      }
    }
  }
  const skipped = Object.entries(r.skipped);
  if (skipped.length) {
    push('', 'Frames not analysed:');
    for (const [why, n] of skipped) push(`  ${n.toLocaleString('en-US')} ${why}`);
  }
  if (r.warnings.length) {
    push('', 'Warnings:');
    for (const w of r.warnings) push(`  ${w.frame !== undefined ? `frame ${w.frame}: ` : ''}${w.message}`);
  }
  yield `${lines.join('\n')}\n`;
}

function repeatLine({ of, repeats, from, to }: RepeatRun): string {
  const n = to - from;
  const first = repeats.frames[from]!;
  const last = repeats.frames[to - 1]!;
  const frames = n === 1 ? `frame ${first}` : `frames ${first}–${last}`;
  const t0 = repeats.times[from]!.toFixed(6);
  const times = n === 1 ? `at ${t0} s` : `from ${t0} to ${repeats.times[to - 1]!.toFixed(6)} s`;
  const what = n === 1 ? 'the same RST as' : `${n.toLocaleString('en-US')} more RSTs identical to`;
  return `    ${frames} [${of.flags}] from ${of.from} ${times}: ${what} frame ${of.frame}: ${of.scenario} (${of.severity}), as explained there`;
}

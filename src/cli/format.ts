import type { AnalysisResult } from '../core/analyze-api.ts';

/** The readable summary the command line prints by default. */
export function formatReport(result: Pick<AnalysisResult, 'report' | 'connections'>): string {
  const r = result.report;
  const table = result.connections;
  const lines: string[] = [];
  const ifaces = r.interfaces.map((i) => i.linkTypeName).filter((v, i, a) => a.indexOf(v) === i).join(', ');
  lines.push(`${r.file.name}: ${r.file.format}${r.file.compressed ? ' (gzip)' : ''}, ${r.file.bytes.toLocaleString('en-US')} bytes, ${ifaces || 'no interface'}`);
  lines.push(`${r.packets.toLocaleString('en-US')} frames, ${r.tcpPackets.toLocaleString('en-US')} TCP, ${table.length.toLocaleString('en-US')} connections, ${r.duration.toFixed(3)} s`);
  if (r.summary.verdict) lines.push('', `Verdict: ${r.summary.verdict}`);
  if (r.summary.capturePoint) lines.push(`Capture point: ${r.summary.capturePoint}`);
  if (r.findings.length) {
    lines.push('', 'Findings:');
    for (const f of r.findings) lines.push(`  [${f.kind}] ${f.title} (${f.frames.length} frames)`);
  }
  let heading = false;
  for (let id = 0; id < table.length; id++) {
    if (table.resetsOf(id).length === 0) continue;
    if (!heading) lines.push('', 'Resets:');
    heading = true;
    const c = table.get(id);
    lines.push(`  #${c.id} ${c.client.ip}:${c.client.port} -> ${c.server.ip}:${c.server.port}  ${c.state} ${c.history}`);
    for (const v of c.resets) {
      const conf = v.confidence !== undefined ? ` ${(v.confidence * 100).toFixed(0)}%` : '';
      lines.push(`    frame ${v.frame} [${v.flags}] from ${v.from} at ${v.time.toFixed(6)} s: ${v.scenario ?? '?'}${v.severity ? ` (${v.severity}${conf})` : ''}`);
      if (v.explanation) lines.push(`      ${v.explanation}`);
      for (const e of v.evidence ?? []) lines.push(`      - ${e.frame !== undefined ? `frame ${e.frame}: ` : ''}${e.fact}`);
    }
  }
  const skipped = Object.entries(r.skipped);
  if (skipped.length) {
    lines.push('', 'Frames not analysed:');
    for (const [why, n] of skipped) lines.push(`  ${n.toLocaleString('en-US')} ${why}`);
  }
  if (r.warnings.length) {
    lines.push('', 'Warnings:');
    for (const w of r.warnings) lines.push(`  ${w.frame !== undefined ? `frame ${w.frame}: ` : ''}${w.message}`);
  }
  return `${lines.join('\n')}\n`;
}

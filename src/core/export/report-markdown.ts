/**
 * A Markdown report for a ticket (`--format md`, the page's "Export Markdown"): the capture, the
 * verdict, the host findings, then every reset of the connections chosen, with its scenario,
 * confidence, explanation, evidence with frame numbers, and the Wireshark filters that find it.
 * Text that came from the capture is escaped, so a crafted payload cannot add links or markup.
 */
import { streamNumber } from '../model/stream-number.ts';
import type { AnalysisResult } from '../analyze-api.ts';
import { endpointText } from '../model/endpoint.ts';
import type { ConnectionTable } from '../tcp/connection-table.ts';
import { addressPortFilter, frameFilter, streamFilter } from '../filter/wireshark.ts';

export interface MarkdownOptions {
  /** The connections whose resets are listed (default: all). */
  ids?: Iterable<number>;
  /** The filter that chose them, shown in the report. */
  filter?: string;
  /** At most this many resets are written out in full (default 500); the rest are counted. */
  maxResets?: number;
}

/** Markdown's special characters escaped (and line breaks flattened) in text from the capture. */
export function mdText(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/([\\`*_{}[\]()<>#+!|~])/g, '\\$1');
}

/** Inline code that may hold backticks. */
function code(text: string): string {
  const flat = text.replace(/[\r\n]+/g, ' ');
  return flat.includes('`') ? `\`\` ${flat} \`\`` : `\`${flat}\``;
}

const pct = (c: number): string => `${Math.round(c * 100)}%`;

export function markdownReport(result: Pick<AnalysisResult, 'report' | 'connections'>, options: MarkdownOptions = {}): string {
  const r = result.report;
  const table: ConnectionTable = result.connections;
  const out: string[] = [];
  out.push(`# Resets in ${mdText(r.file.name)}`, '');
  const facts = [
    `${r.file.format}${r.file.compressed ? ' (gzip)' : ''}, ${r.file.bytes.toLocaleString('en-US')} bytes`,
    `${r.packets.toLocaleString('en-US')} frames (${r.tcpPackets.toLocaleString('en-US')} TCP)`,
    `${table.length.toLocaleString('en-US')} connections`,
    `${r.duration.toFixed(3)} s`,
  ];
  if (r.firstTime !== null) facts.push(`first frame ${new Date(Number(r.firstTime.split('.')[0]) * 1000).toISOString().replace('.000Z', 'Z')}`);
  out.push(`- **Capture:** ${facts.join(', ')}`);
  const ids = options.ids ? [...options.ids] : null;
  if (options.filter !== undefined && options.filter.trim() !== '') {
    out.push(`- **Filter:** ${code(options.filter)} (${(ids?.length ?? table.length).toLocaleString('en-US')} of ${table.length.toLocaleString('en-US')} connections)`);
  }
  out.push(`- **Resets:** ${r.summary.resets.toLocaleString('en-US')} (${(['problem', 'suspicious', 'normal'] as const).map((s) => `${r.summary.bySeverity[s] ?? 0} ${s}`).join(', ')})`, '');
  out.push('## Verdict', '', r.summary.verdict ? mdText(r.summary.verdict) : 'No TCP reset in this capture.', '');
  if (r.summary.capturePoint) out.push(`Capture point: ${mdText(r.summary.capturePoint)}`, '');
  const scenarios = Object.entries(r.summary.byScenario).sort((a, b) => b[1] - a[1]);
  if (scenarios.length) {
    out.push('| Scenario | Resets |', '|---|---:|');
    for (const [s, n] of scenarios) out.push(`| ${code(s)} | ${n} |`);
    out.push('');
  }
  if (r.findings.length) {
    out.push('## Findings', '');
    for (const f of r.findings) {
      const frames = f.frames.slice(0, 10).join(', ') + (f.frames.length > 10 ? `, … (${f.frames.length} frames)` : '');
      out.push(`- **${f.kind}** — ${mdText(f.title)} (frames ${frames})`);
    }
    out.push('');
  }
  const max = options.maxResets ?? 500;
  let written = 0;
  let left = 0;
  const chosen = ids ?? Array.from({ length: table.length }, (_, i) => i);
  const withResets = chosen.filter((id) => table.resetsOf(id).length > 0);
  out.push('## Resets', '');
  if (withResets.length === 0) out.push(ids ? 'None of the connections chosen has a reset.' : 'None.', '');
  for (const id of withResets) {
    const resets = table.resetsOf(id);
    if (written >= max) {
      left += resets.length;
      continue;
    }
    const h = table.head(id);
    const stream = streamNumber(table, id);
    out.push(`### Connection ${stream}: ${mdText(endpointText(h.client))} → ${mdText(endpointText(h.server))}`, '');
    out.push(`State ${code(h.state)}, history ${code(h.history)}, ${h.packets} packets, ${h.bytes.client} + ${h.bytes.server} bytes, ${(h.end - h.start).toFixed(3)} s.`);
    out.push(`Wireshark: ${code(streamFilter(stream))} or ${code(addressPortFilter(h))}`, '');
    for (const v of resets) {
      if (written >= max) {
        left++;
        continue;
      }
      written++;
      out.push(`#### Frame ${v.frame}: ${code(v.scenario)} (${v.severity}, confidence ${pct(v.confidence)})`, '');
      out.push(`${v.flags} from the ${v.from} at ${v.time.toFixed(6)} s. Wireshark: ${code(frameFilter(v.frame))}`, '');
      if (v.explanation) out.push(mdText(v.explanation), '');
      if (v.evidence.length) {
        out.push('Evidence:', '');
        for (const e of v.evidence) out.push(`- ${e.frame !== undefined ? `frame ${e.frame}: ` : ''}${mdText(e.fact)}`);
        out.push('');
      }
      if (v.nextSteps.length) {
        out.push('Next steps:', '');
        for (const s of v.nextSteps) out.push(`- ${mdText(s)}`);
        out.push('');
      }
      if (v.alternatives.length) out.push(`Alternatives: ${v.alternatives.map((a) => `${code(a.scenario)} ${pct(a.confidence)}`).join(', ')}`, '');
    }
  }
  if (left) out.push(`… and ${left.toLocaleString('en-US')} more resets, not written out (narrow the list with a filter).`, '');
  if (r.warnings.length) {
    out.push('## Warnings', '');
    for (const w of r.warnings.slice(0, 50)) out.push(`- ${w.frame !== undefined ? `frame ${w.frame}: ` : ''}${mdText(w.message)}`);
    if (r.warnings.length > 50) out.push(`- … ${r.warnings.length - 50} more`);
    out.push('');
  }
  out.push('---', '', 'Made by Resetscope.');
  return `${out.join('\n')}\n`;
}

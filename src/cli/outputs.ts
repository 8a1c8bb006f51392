/**
 * The command line's output choices: `--format json|csv|md|text` (`--json` is `--format json`) and
 * `--filter EXPR`, which keeps the connections the expression matches (the same language as the
 * page's filter box).
 */
import type { AnalysisResult } from '../core/analyze-api.ts';
import { connectionsCsvChunks } from '../core/export/connections-csv.ts';
import { markdownReport } from '../core/export/report-markdown.ts';
import { jsonReportBytes } from '../core/export/report-json.ts';
import { tableExpertContext } from '../core/expert/context.ts';
import { connectionExpertMasks } from '../core/expert/expert.ts';
import { compileFilter, formatFilterError, parseFilter, tableFilterSource, usesExpertFields, type FilterExpr } from '../core/filter/index.ts';
import { formatReportChunks } from './format.ts';

export const FORMATS = ['text', 'json', 'csv', 'md'] as const;
export type OutputFormat = (typeof FORMATS)[number];

export interface CliOptions {
  help: boolean;
  files: string[];
  format: OutputFormat;
  filter: { text: string; expr: FilterExpr } | null;
  /** `--stream N`: print TCP stream N (Wireshark's tcp.stream) followed, as text, instead of a report. */
  stream: number | null;
  /** `--threads N`: threads that read the file (1: the main thread alone); null: the default. */
  threads: number | null;
}

/** The arguments read, or the message (one or more lines) to print before exiting with 2. */
export function parseCliArgs(argv: readonly string[]): { ok: true; options: CliOptions } | { ok: false; message: string; usage: boolean } {
  const options: CliOptions = { help: false, files: [], format: 'text', filter: null, stream: null, threads: null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const inline = arg.startsWith('--') && eq > 0 ? arg.slice(eq + 1) : undefined;
    const value = (): string | undefined => inline ?? argv[++i];
    if (name === '--help' || name === '-h') options.help = true;
    else if (name === '--json') options.format = 'json';
    else if (name === '--format') {
      const f = value();
      if (!FORMATS.includes(f as OutputFormat)) return { ok: false, usage: true, message: `--format takes ${FORMATS.join(', ')}${f === undefined ? '' : `, not "${f}"`}` };
      options.format = f as OutputFormat;
    } else if (name === '--filter') {
      const text = value();
      if (text === undefined) return { ok: false, usage: true, message: '--filter takes an expression, e.g. --filter "tcp.port == 80"' };
      const parsed = parseFilter(text);
      if (!parsed.ok) return { ok: false, usage: false, message: `resetscope: bad filter: ${parsed.error.message}\n${formatFilterError(text, parsed.error).replace(/^/gm, '  ')}` };
      options.filter = { text, expr: parsed.expr };
    } else if (name === '--stream') {
      const n = value();
      if (n === undefined || !/^\d+$/.test(n)) return { ok: false, usage: true, message: `--stream takes a stream number (tcp.stream), e.g. --stream 0${n === undefined ? '' : `, not "${n}"`}` };
      options.stream = Number(n);
    } else if (name === '--threads') {
      const text = value();
      const n = Number(text);
      if (!Number.isInteger(n) || n < 1 || n > 256) return { ok: false, usage: true, message: `--threads takes a whole number of threads from 1 to 256${text === undefined ? '' : `, not "${text}"`}` };
      options.threads = n;
    } else if (arg.startsWith('--')) return { ok: false, usage: true, message: `unknown option ${arg}` };
    else options.files.push(arg);
  }
  return { ok: true, options };
}

/**
 * The report in the chosen format, in pieces (text, or UTF-8 bytes for the JSON report), limited to
 * the connections the filter keeps. `next(true)` hands the last bytes back (see `jsonReportBytes`).
 */
export function* outputChunks(result: AnalysisResult, options: Pick<CliOptions, 'format' | 'filter'>): Generator<string | Uint8Array, void, boolean | undefined> {
  const table = result.connections;
  let ids: number[] | undefined;
  if (options.filter) {
    // The expert kinds (tcp.analysis.*) take a pass over the packets: only for a filter that reads them.
    const expr = options.filter.expr;
    const expert = usesExpertFields(expr) ? connectionExpertMasks(result.packets, result.connStart, tableExpertContext(table)) : undefined;
    const keep = compileFilter(expr, tableFilterSource(table, expert));
    ids = [];
    for (let id = 0; id < table.length; id++) if (keep(id)) ids.push(id);
  }
  switch (options.format) {
    case 'json':
      yield* jsonReportBytes(result, ids);
      return;
    case 'csv':
      yield* connectionsCsvChunks(table, ids ?? range(table.length));
      return;
    case 'md':
      yield markdownReport(result, ids ? { ids, filter: options.filter!.text } : {});
      return;
    case 'text': {
      const kept = ids ? new Set(ids) : null;
      yield* formatReportChunks(result, kept ? (id) => kept.has(id) : undefined);
      return;
    }
  }
}

function* range(n: number): Generator<number> {
  for (let i = 0; i < n; i++) yield i;
}

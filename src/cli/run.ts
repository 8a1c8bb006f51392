import { analyze, NotACaptureError } from '../core/analyze.ts';
import type { AnalysisResult } from '../core/analyze-api.ts';
import { fileSource } from './file-source.ts';
import { formatReport } from './format.ts';

export const USAGE = `usage: npm run analyze -- <capture.pcap|.pcapng|.gz> [--json]

Reads a packet capture, tracks every TCP connection and explains every reset.
  --json    print one JSON document (the full report) instead of the readable summary
Exit status: 0 when the file was read (warnings allowed), 2 when it is not a capture or cannot be read.`;

export interface Output {
  /** May return a promise that settles when the text is flushed (backpressure). */
  out(text: string): void | Promise<void>;
  err(text: string): void;
}

/**
 * The report as JSON, written a connection at a time: a large capture's report is a long text,
 * which should not have to exist as one string next to the report itself.
 */
async function writeJson(result: AnalysisResult, io: Output): Promise<void> {
  const connections = result.connections;
  // The connections come last, after the summary: a reader of a long report sees the verdict first.
  const head = JSON.stringify({ ...result.report, connections: [] }, null, 2);
  const cut = head.indexOf('"connections": []');
  await io.out(`${head.slice(0, cut)}"connections": [`);
  let batch = '';
  for (let i = 0; i < connections.length; i++) {
    batch += `${i ? ',' : ''}\n    ${JSON.stringify(connections.get(i), null, 2).replace(/\n/g, '\n    ')}`;
    if (batch.length > 1 << 20) {
      await io.out(batch);
      batch = '';
    }
  }
  await io.out(`${batch}${connections.length ? '\n  ' : ''}]${head.slice(cut + '"connections": []'.length)}\n`);
}

/** The command line, minus the process: returns the exit status. */
export async function run(argv: string[], io: Output): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.out(`${USAGE}\n`);
    return 0;
  }
  const json = argv.includes('--json');
  const unknown = argv.filter((a) => a.startsWith('--') && a !== '--json');
  const files = argv.filter((a) => !a.startsWith('--'));
  if (files.length !== 1 || unknown.length > 0) {
    io.err(`${unknown.length ? `unknown option ${unknown[0]}\n` : ''}${USAGE}\n`);
    return 2;
  }
  const path = files[0]!;
  let source;
  try {
    source = await fileSource(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    io.err(`resetscope: cannot open ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (e as Error).message}\n`);
    return 2;
  }
  try {
    const result = await analyze(source);
    if (json) await writeJson(result, io);
    else await io.out(formatReport(result));
    return 0;
  } catch (e) {
    const reason = e instanceof NotACaptureError ? e.message : `cannot be read: ${(e as Error).message}`;
    io.err(`resetscope: ${source.name}: ${reason}\n`);
    return 2;
  } finally {
    await source.close();
  }
}

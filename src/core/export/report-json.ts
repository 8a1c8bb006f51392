import type { AnalysisResult } from '../analyze-api.ts';
import { connectionJsonChunks } from './reset-runs.ts';

const BATCH = 1 << 16;

/**
 * The report as JSON in pieces of about 64 KB, in order, written a connection at a time and a
 * connection's resets a few at a time: a 1 GB capture's report is over 100 MB of text, and one
 * connection may hold a million resets, neither of which should have to exist as one string next
 * to the report itself. `ids` keeps only those connections (in that order; default all).
 */
export function* jsonReportChunks(result: Pick<AnalysisResult, 'report' | 'connections'>, ids?: Iterable<number>): Generator<string> {
  const connections = result.connections;
  // The connections come last, after the summary: a reader of a long report sees the verdict first.
  const head = JSON.stringify({ ...result.report, connections: [] }, null, 2);
  const cut = head.indexOf('"connections": []');
  yield `${head.slice(0, cut)}"connections": [`;
  let batch = '';
  let written = 0;
  for (const id of ids ?? allIds(connections.length)) {
    batch += `${written++ ? ',' : ''}\n    `;
    for (const piece of connectionJsonChunks(connections, id, '    ')) {
      batch += piece;
      if (batch.length > BATCH) {
        yield batch;
        batch = '';
      }
    }
  }
  yield `${batch}${written ? '\n  ' : ''}]${head.slice(cut + '"connections": []'.length)}\n`;
}

function* allIds(n: number): Generator<number> {
  for (let i = 0; i < n; i++) yield i;
}

/**
 * The documents the page exports, written where the analysis lives (the worker) by the same code as
 * the command line's `--format`: the connection list as CSV, the JSON report, the Markdown report.
 */
import type { AnalysisResult } from '../analyze-api.ts';
import { connectionsCsvChunks } from './connections-csv.ts';
import { markdownReport } from './report-markdown.ts';
import { jsonReportChunks } from './report-json.ts';

export type DocumentKind = 'csv' | 'json' | 'md';

export interface DocumentRequest {
  kind: DocumentKind;
  /**
   * The connections the list shows, in its order: the CSV's rows and the Markdown report's resets.
   * The JSON report is always the whole document, as the command line prints it.
   */
  ids: ArrayLike<number>;
  /** The filter typed, named in the Markdown report. */
  filter?: string;
}

export interface ExportedDocument {
  /** The text in pieces (a Blob takes them without joining). */
  parts: string[];
  mime: string;
  /** The file name to save as: the capture's name with this document's extension. */
  fileName: string;
}

const MIME: Record<DocumentKind, string> = { csv: 'text/csv', json: 'application/json', md: 'text/markdown' };
const SUFFIX: Record<DocumentKind, string> = { csv: '-connections.csv', json: '-report.json', md: '-report.md' };

export function exportDocument(result: Pick<AnalysisResult, 'report' | 'connections'>, request: DocumentRequest): ExportedDocument {
  const ids = Array.from(request.ids);
  let parts: string[];
  switch (request.kind) {
    case 'csv':
      parts = [...connectionsCsvChunks(result.connections, ids)];
      break;
    case 'json':
      parts = [...jsonReportChunks(result)];
      break;
    case 'md': {
      const filtered = ids.length !== result.connections.length || (request.filter ?? '').trim() !== '';
      // The report lists connections in id order, whatever order the list was sorted in.
      const sorted = filtered ? ids.slice().sort((a, b) => a - b) : undefined;
      parts = [markdownReport(result, sorted ? { ids: sorted, ...(request.filter ? { filter: request.filter } : {}) } : {})];
      break;
    }
  }
  const base = result.report.file.name.replace(/\.(pcapng|pcap|cap)(\.gz)?$|\.gz$/i, '') || 'capture';
  return { parts, mime: MIME[request.kind], fileName: `${base}${SUFFIX[request.kind]}` };
}

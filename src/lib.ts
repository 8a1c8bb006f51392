/**
 * The library: `import { analyze, analyzeFile } from 'resetscope'`. The core (`analyze` over any
 * `ByteSource`) runs in browsers and Node; `analyzeFile` and `fileSource` read a file from disk.
 */
import { analyze, type AnalysisResult, type AnalyzeOptions } from './core/analyze.ts';
import { fileSource } from './cli/file-source.ts';

export { analyze, AnalysisCancelled, NotACaptureError } from './core/analyze.ts';
export type { AnalysisResult, AnalyzeOptions, Progress, PageResult } from './core/analyze-api.ts';
export type { ByteSource } from './core/capture/source.ts';
export { bytesSource } from './core/capture/source.ts';
export type * from './core/model/types.ts';
export { fileSource } from './cli/file-source.ts';

/** Analyse the capture at `path` (pcap, pcapng, either gzip-compressed). */
export async function analyzeFile(path: string, opts: AnalyzeOptions = {}): Promise<AnalysisResult> {
  const source = await fileSource(path);
  try {
    return await analyze(source, opts);
  } finally {
    await source.close();
  }
}

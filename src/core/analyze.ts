import { AnalysisSink } from './analysis-sink.ts';
import type { AnalysisResult, AnalyzeOptions } from './analyze-api.ts';
import { feed } from './capture/feed.ts';
import { NotACaptureError } from './capture/sink.ts';
import { openChunks, pickReader } from './capture/sniff.ts';
import type { ByteSource } from './capture/source.ts';
import { classify } from './classify/index.ts';
import { readInParallel } from './parallel/read-parallel.ts';
import type { CaptureFormat } from './model/types.ts';

export type { AnalysisResult, AnalyzeOptions, Progress } from './analyze-api.ts';
export { NotACaptureError } from './capture/sink.ts';

const DEFAULT_CHUNK = 4 * 1024 * 1024;
/** Milliseconds from a monotonic clock (browsers, workers and Node all have `performance`). */
const now = (): number => (globalThis as { performance?: { now(): number } }).performance?.now() ?? Date.now();

/** Thrown when the analysis was cancelled through its signal. */
export class AnalysisCancelled extends Error {
  constructor() {
    super('analysis cancelled');
    this.name = 'AnalysisCancelled';
  }
}

/**
 * Read a capture (pcap, pcapng, either gzip-compressed), track every TCP connection and classify
 * every reset. The file is consumed in bounded chunks; only compact per-packet columns are kept.
 * Throws `NotACaptureError` (one-line reason) when the file cannot be read at all.
 */
export async function analyze(source: ByteSource, opts: AnalyzeOptions = {}): Promise<AnalysisResult> {
  const started = Date.now();
  const t0 = now();
  const chunkSize = opts.chunkSize ?? DEFAULT_CHUNK;
  if (source.size === 0) throw new NotACaptureError('the file is empty (0 bytes)');
  const { stream, compressed } = await openChunks(source, chunkSize);
  const sink = new AnalysisSink(opts, source.size, started);
  // A name is only a hint (the content decides), but a wrong one is worth saying.
  const namedGz = /\.gz$/i.test(source.name) && !compressed;
  if (namedGz) sink.warning({ offset: 0, code: 'not-gzip', message: 'the file is named .gz but is not gzip-compressed: it was read as it is' });
  let base: number | null;
  let format: CaptureFormat = 'pcap';
  try {
    let first = await stream.next();
    if (compressed && (!first || first.length === 0)) {
      throw new NotACaptureError(`gzip file holds no data${stream.error ? `: ${stream.error}` : ''}`);
    }
    first ??= new Uint8Array(0);
    const hooks = {
      chunkSize,
      cancelled: () => opts.signal?.aborted === true,
      progress: (bytesRead: number) => sink.progress(bytesRead),
      ...(opts.rangeLimits ? { limits: opts.rangeLimits } : {}),
    };
    // A gzip stream can only be read from its start: one thread.
    const parallel = opts.ranges && !compressed ? await readInParallel(source, first, sink, opts.ranges, hooks) : null;
    if (parallel === 'cancelled') base = null;
    else if (parallel) {
      base = parallel.stop;
      format = parallel.format;
    } else {
      const reader = pickReader(first, sink, namedGz ? ' (and, despite its name, not gzip-compressed)' : '');
      base = await feed(reader, stream, first, chunkSize, hooks);
      format = reader.format;
    }
  } finally {
    stream.cancel();
  }
  if (base === null || opts.signal?.aborted) throw new AnalysisCancelled();
  if (stream.error) {
    sink.warning({ offset: base, code: 'bad-gzip', message: `${stream.error}; frames before that point are kept` });
  }
  if (sink.frames === 0 && sink.interfaces.length === 0) {
    throw new NotACaptureError('the capture holds no interface and no frame');
  }
  sink.progress(source.size, true);

  const t1 = now();
  const result = sink.finish({ name: source.name, bytes: source.size, format, compressed });
  const t2 = now();
  classify(result);
  const t3 = now();
  result.timings = { read: (t1 - t0) / 1000, index: (t2 - t1) / 1000, classify: (t3 - t2) / 1000 };
  return result;
}

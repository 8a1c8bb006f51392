/// <reference lib="webworker" />
/**
 * The analysis worker: a thin comlink adapter around the core. Parsing and classification run here;
 * the main thread only renders. Connections found while the file is read are batched and posted a
 * few times a second; the final per-packet columns are transferred, not copied.
 */
import * as Comlink from 'comlink';
import type { PageResult, Progress } from '../core/analyze-api.ts';
import { blobSource } from '../core/capture/source.ts';
import type { Connection } from '../core/model/types.ts';
import { analyze, reportWithoutConnections } from '../core/analyze.ts';
import { readFrameDetail, type FrameDetail } from '../core/frame-detail.ts';
import { reportBatches, type ReportBatch } from './report-batches.ts';
import { columnBuffers } from './transfer.ts';

/** Callbacks the main thread hands over (as comlink proxies). */
export interface AnalysisCallbacks {
  onProgress(progress: Progress): void;
  onConnections(fresh: Connection[]): void;
  /** The final report's connections, in bounded batches; each call is awaited before the next. */
  onReportBatch(batch: ReportBatch): void;
}

/** How often fresh connections are posted to the main thread while a file is read. */
const CONNECTION_FLUSH_MS = 150;

/**
 * Provisional connections streamed while reading, at most. Each costs the page ~10 µs to take in;
 * past this the list already has plenty to look at, the progress bar keeps counting, and the
 * final report (sent in batches) brings the rest.
 */
export const STREAM_LIMIT = 20_000;

const api = {
  async analyze(file: Blob, name: string, callbacks: AnalysisCallbacks): Promise<PageResult> {
    let pending: Connection[] = [];
    let streamed = 0;
    let lastFlush = 0;
    const flush = (): void => {
      if (pending.length === 0) return;
      const batch = pending;
      pending = [];
      lastFlush = performance.now();
      void callbacks.onConnections(batch);
    };
    const result = await analyze(blobSource(name, file), {
      onProgress: (p) => void callbacks.onProgress(p),
      onConnections: (fresh) => {
        for (const c of fresh) {
          if (streamed >= STREAM_LIMIT) break;
          pending.push(c);
          streamed += 1;
        }
        if (performance.now() - lastFlush >= CONNECTION_FLUSH_MS || streamed >= STREAM_LIMIT) flush();
      },
      progressInterval: 100,
    });
    // Streamed connections are provisional; the final report replaces them, so no last flush.
    // The final connections go over in batches, each awaited, so the page takes each in its own
    // task; the result itself then carries only the small report and the transferred columns.
    for (const batch of reportBatches(result.connections)) await callbacks.onReportBatch(batch);
    const { connections: _store, ...rest } = result;
    const light: PageResult = { ...rest, report: reportWithoutConnections(result.report) };
    return Comlink.transfer(light, columnBuffers(result));
  },

  /** One frame's decoded headers, read back from the file (only that frame's bytes are loaded). */
  async frameDetail(file: Blob, name: string, fileOffset: number, frame: number, linkType: number): Promise<FrameDetail> {
    return readFrameDetail(blobSource(name, file), fileOffset, frame, linkType);
  },
};

export type AnalysisWorkerApi = typeof api;

Comlink.expose(api);

/// <reference lib="webworker" />
/**
 * The analysis worker: a thin comlink adapter around the core. Parsing and classification run here;
 * the main thread only renders. Connections found while the file is read are batched and posted a
 * few times a second. At the end the page gets the per-packet columns and the list's columns
 * (transferred, not copied); the connections themselves stay here, and the page asks for one in full
 * when it is selected.
 */
import * as Comlink from 'comlink';
import type { Progress } from '../core/analyze-api.ts';
import { blobSource } from '../core/capture/source.ts';
import type { Connection } from '../core/model/types.ts';
import { analyze, reportWithoutConnections } from '../core/analyze.ts';
import { readFrameDetail, type FrameDetail } from '../core/frame-detail.ts';
import { listBuffers, listOf } from '../state/connection-list.ts';
import type { WorkerResult } from './analysis-client.ts';
import { reportBatches, type ReportBatch } from './report-batches.ts';
import { columnBuffers } from './transfer.ts';

/** Callbacks the main thread hands over (as comlink proxies). */
export interface AnalysisCallbacks {
  onProgress(progress: Progress): void;
  onConnections(fresh: Connection[]): void;
}

/** The last analysis's connections (the core makes each on demand), kept for `connectionDetail`. */
let held: (id: number) => Connection | undefined = () => undefined;

/** How often fresh connections are posted to the main thread while a file is read. */
const CONNECTION_FLUSH_MS = 150;

/**
 * Provisional connections streamed while reading, at most. Each costs the page ~10 µs to take in;
 * past this the list already has plenty to look at, the progress bar keeps counting, and the
 * final report (sent in batches) brings the rest.
 */
export const STREAM_LIMIT = 20_000;

const api = {
  async analyze(file: Blob, name: string, callbacks: AnalysisCallbacks): Promise<WorkerResult> {
    held = () => undefined;
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
    // Streamed connections are provisional; the final list replaces them, so no last flush.
    // The page gets what its list shows as columns (a million connections as a million objects
    // would cost it ~1.5 GB); the connections stay here, for `connectionDetail`.
    const { connections: table, ...rest } = result;
    held = (id) => (id >= 0 && id < table.length ? table.get(id) : undefined);
    const list = listOf(table, table.length);
    const light: WorkerResult = { ...rest, report: reportWithoutConnections(result.report) as WorkerResult['report'], list };
    return Comlink.transfer(light, [...columnBuffers(result), ...listBuffers(list)]);
  },

  /**
   * Connection `id` of the last analysis in full, in bounded batches (a connection may hold 100,000
   * verdicts), each awaited so the page takes each in its own task. False when there is no such one.
   */
  async connectionDetail(id: number, onBatch: (batch: ReportBatch) => void): Promise<boolean> {
    const conn = held(id);
    if (!conn) return false;
    for (const batch of reportBatches([conn])) await onBatch(batch);
    return true;
  },

  /** One frame's decoded headers, read back from the file (only that frame's bytes are loaded). */
  async frameDetail(file: Blob, name: string, fileOffset: number, frame: number, linkType: number): Promise<FrameDetail> {
    return readFrameDetail(blobSource(name, file), fileOffset, frame, linkType);
  },
};

export type AnalysisWorkerApi = typeof api;

Comlink.expose(api);

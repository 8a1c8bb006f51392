/// <reference lib="webworker" />
/**
 * The analysis worker: a thin comlink adapter around the core. Parsing and classification run here;
 * the main thread only renders. The page never holds the connections: it gets the list's columns (a
 * few times a second for the connections found while the file is read, then the final ones) and the
 * per-packet columns, all transferred, not copied; it asks for a connection in full when it is
 * selected.
 */
import * as Comlink from 'comlink';
import type { Progress } from '../core/analyze-api.ts';
import { blobSource } from '../core/capture/source.ts';
import type { Connection } from '../core/model/types.ts';
import { analyze } from '../core/analyze.ts';
import { readFrameDetail, type FrameDetail } from '../core/frame-detail.ts';
import { ConnectionListBuilder, listBuffers, listOf, type ListColumns } from '../state/connection-list.ts';
import type { WorkerResult } from './analysis-client.ts';
import { reportBatches, type ReportBatch } from './report-batches.ts';
import { columnBuffers } from './transfer.ts';

/** Callbacks the main thread hands over (as comlink proxies). */
export interface AnalysisCallbacks {
  onProgress(progress: Progress): void;
  /** The list of the connections found so far (provisional), each time a whole new one. */
  onList(list: ListColumns): void;
}

/**
 * The connections of the running or last analysis (provisional while running; the core makes each
 * on demand once done), for `connectionDetail`.
 */
let held: (id: number) => Connection | undefined = () => undefined;

/** How often the provisional list is posted to the main thread while a file is read. */
const LIST_FLUSH_MS = 150;

/**
 * Provisional connections listed while reading, at most: past this the list already has plenty to
 * look at, the progress bar keeps counting, and the final list brings the rest.
 */
export const STREAM_LIMIT = 20_000;

const api = {
  async analyze(file: Blob, name: string, callbacks: AnalysisCallbacks): Promise<WorkerResult> {
    const provisional: Connection[] = [];
    held = (id) => provisional[id];
    const builder = new ConnectionListBuilder();
    let posted = 0;
    let lastFlush = 0;
    const flush = (): void => {
      if (builder.length === posted) return;
      posted = builder.length;
      lastFlush = performance.now();
      const list = builder.columns(true);
      void callbacks.onList(Comlink.transfer(list, listBuffers(list)));
    };
    const result = await analyze(blobSource(name, file), {
      onProgress: (p) => void callbacks.onProgress(p),
      onConnections: (fresh) => {
        for (const c of fresh) {
          if (builder.length >= STREAM_LIMIT) break;
          if (c.id !== builder.length) continue; // ids come in order; the list's row is the id
          builder.append(c);
          provisional.push(c);
        }
        if (performance.now() - lastFlush >= LIST_FLUSH_MS || builder.length >= STREAM_LIMIT) flush();
      },
      progressInterval: 100,
    });
    // The provisional list is replaced by the final one, so no last flush. The page gets what its
    // list shows as columns (a million connections as objects would cost it ~1.5 GB); the
    // connections stay here, for `connectionDetail`.
    const { connections: table, rstPayloadText: _texts, ...rest } = result;
    held = (id) => (id >= 0 && id < table.length ? table.get(id) : undefined);
    const list = listOf(table.heads(), table.length);
    const light: WorkerResult = { ...rest, list };
    return Comlink.transfer(light, [...columnBuffers(result), ...listBuffers(list)]);
  },

  /**
   * Connection `id` of the running (provisional) or last analysis in full, in bounded batches (a connection may hold 100,000
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

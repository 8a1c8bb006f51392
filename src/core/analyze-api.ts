import type { SharedLinkMeta } from './export/shared-link.ts';
import type { RangeRunner } from './parallel/protocol.ts';
import type { PacketColumns } from './model/packet-table.ts';
import type { Report } from './model/types.ts';
import type { ConnectionTable } from './tcp/connection-table.ts';

/** Progress of a running analysis, reported a few times a second. */
export interface Progress {
  /** Bytes of the stored file consumed so far. */
  bytesRead: number;
  totalBytes: number;
  packets: number;
  connections: number;
  /** Seconds since the analysis started. */
  elapsed: number;
}

export interface AnalyzeOptions {
  onProgress?: (progress: Progress) => void;
  /**
   * New connections, ids `from` to `to - 1`, called while the file is still read so a list can fill
   * in before the end. `table` is the live connection table: read what is needed (`head`, `get`)
   * now or later; their state is as of the reading, and provisional until the end (no verdicts).
   */
  onConnections?: (table: ConnectionTable, from: number, to: number) => void;
  /** Anything with an `aborted` flag (an AbortSignal); checked between chunks. */
  signal?: { readonly aborted: boolean };
  /** Bytes read from the source per step (default 4 MiB). */
  chunkSize?: number;
  /** Minimum milliseconds between two onProgress calls (default 100). */
  progressInterval?: number;
  /**
   * Read with several threads (src/core/parallel): the file is cut into byte ranges that `ranges`
   * reads and decodes, and this thread tracks their frames in file order; the result is the same as
   * without. Not used for gzip-compressed files, which can only be read from the start.
   */
  ranges?: RangeRunner;
  /** Where to cut the ranges (file offsets; tests). By default a range per thread, at most 16 MiB each. */
  rangeLimits?: number[];
}

export interface AnalysisResult {
  /** What the analysis says about the capture as a whole (without the connections). */
  report: Report;
  /** Every connection: `get(id)` makes one `Connection` object (with its verdicts) on demand. */
  connections: ConnectionTable;
  /**
   * Seconds spent reading and tracking the file, joining the packet columns and indexing them by
   * connection, and classifying the resets.
   */
  timings: { read: number; index: number; classify: number };
  /**
   * One row per TCP frame, grouped by connection: connection c's packets are rows
   * `connStart[c] .. connStart[c + 1]`, in file order. Frames ascend within a connection, not
   * across the table (`rowOfFrame` finds any frame's row).
   */
  packets: PacketColumns;
  connStart: Uint32Array;
  /**
   * Printable text carried in the payload of RST frames, by frame number (only RSTs with data), as
   * the classifier reads it; each verdict then carries its own (`facts.payloadText`).
   */
  rstPayloadText: Map<number, string>;
  /**
   * What a shared connection's section header says (export/shared-link.ts): the capture it comes
   * from and the sender's verdicts; absent for any other capture.
   */
  sharedLink?: SharedLinkMeta;
}

/**
 * What the page receives from the worker: the result without the connection store (its connections
 * come in batches) and without the RST texts (each verdict carries its own in `facts.payloadText`).
 */
export type PageResult = Omit<AnalysisResult, 'connections' | 'rstPayloadText'>;

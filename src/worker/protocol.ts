/**
 * What the page and the analysis worker say to each other, in one place (Perfetto UI's `Engine` is
 * the model): the engine the page's store drives, the functions the worker exposes, and the messages
 * both pass. The page holds only what its list shows and the report's summary; the packet table and
 * the connections stay in the worker, which answers for one connection (with its packets), one frame,
 * or an export.
 */
import type { Progress } from '../core/analyze-api.ts';
import type { DocumentRequest } from '../core/export/documents.ts';
import type { ExpertCount, ExpertKind } from '../core/expert/expert.ts';
import type { ConnectionFilters, SortState } from '../core/model/connection-rows.ts';
import type { EndpointTable } from '../core/stats/endpoints.ts';
import type { FrameDetail } from '../core/frame-detail.ts';
import type { ListColumns } from '../core/model/list-columns.ts';
import type { PacketColumns } from '../core/model/packet-table.ts';
import type { FollowedStream, StreamRequest } from '../core/stream/follow.ts';
import type { Connection, Report } from '../core/model/types.ts';
import type { ReportBatch } from './report-batches.ts';

/** The report as the page holds it (the connections are not in it: they stay in the worker). */
export type PageReport = Report;

/** A capture still arriving (a `#url=` download): its bytes as they come, and the announced size. */
export interface StreamedInput {
  stream: ReadableStream<Uint8Array>;
  size: number;
}

/** What an analysis reads: a file (dropped, chosen, launched, downloaded) or a download under way. */
export type CaptureInput = Blob | StreamedInput;

/** A finished analysis, as the page holds it. */
export interface PageAnalysis {
  report: PageReport;
  /** What the connection list shows of every connection, as columns. */
  list: ListColumns;
}

/** One connection in full, as the ladder and the explanation show it. */
export interface ConnectionDetail {
  connection: Connection;
  /**
   * The connection's packets, rows 0..n-1 in file order; null while the file is still being read
   * (the packet table is joined at the end).
   */
  packets: PacketColumns | null;
}

/** Which connections to export and how. */
export interface ExportRequest {
  /** Connection ids: all their packets, in file order. */
  connections: ArrayLike<number>;
  /** Cut every frame after its TCP header (as a snaplen would); default false. */
  headersOnly?: boolean;
  /** Write pcapng with each frame's number in its comment and these section comments (a link). */
  shared?: { fileName: string; sectionComments: readonly string[] };
  /**
   * Write the one connection as a link does (pcapng whose packets keep their frame numbers in their
   * comments, the file's name, this fingerprint and the verdicts in the section header), so
   * Wireshark shows the original frame numbers and Resetscope the sender's analysis.
   */
  asShared?: { fingerprint: string | null };
}

/** How a connection is put in a link. */
export interface LinkOptions {
  /** Keep the payloads (default: headers only). */
  payloads: boolean;
  /** Give up past this many base64url characters. */
  maxBase64Length: number;
  /** The open capture's fingerprint (ui/links/fingerprint.ts), written into the link. */
  fingerprint?: string | null;
}

/** A capture written from some connections' frames, in the format Wireshark opens. */
export interface CaptureExport {
  file: Blob;
  format: 'pcap' | 'pcapng';
  frames: number;
}

/**
 * A connection's frames for a link: a gzip-compressed capture, or only its size when the link would
 * be longer than asked (`base64Length` is what it would take in base64url).
 */
export type LinkCapture =
  | { ok: true; gzip: Uint8Array; base64Length: number; frames: number }
  | { ok: false; base64Length: number; frames: number };

/** A report or list the worker wrote (CSV, JSON, Markdown), ready to save. */
export interface DocumentExport {
  file: Blob;
  fileName: string;
}

/** A page of the whole capture's expert list: the items of one kind (or of all), in frame order. */
export interface ExpertRequest {
  kind: ExpertKind | null;
  offset: number;
  limit: number;
}

/** One item of the expert list. */
export interface ExpertRow {
  frame: number;
  connection: number;
  kind: ExpertKind;
  /** Sent by the connection's client. */
  fromClient: boolean;
  /** Seconds since the capture's first frame. */
  time: number;
}

export interface ExpertPage {
  /** Every kind present in the capture with its count, most severe first (the counts come first). */
  counts: ExpertCount[];
  /** Items of the kind asked for, in all. */
  total: number;
  offset: number;
  items: ExpertRow[];
}

/** Which rows the list shows: its filters and its order. */
export interface RowQuery {
  filters: ConnectionFilters;
  sort: SortState;
}

/** A row query as the worker gets it: numbered, so that a newer one supersedes those still waiting. */
export interface RowsRequest extends RowQuery {
  /** Grows with every request the page sends. */
  generation: number;
}

export interface AnalysisHandlers {
  onProgress(progress: Progress): void;
  /** The provisional list of the connections found so far. */
  onList(list: ListColumns): void;
}

/** What the page's store needs from the analysis; tests give the store a fake one. */
export interface AnalysisEngine {
  analyze(input: CaptureInput, name: string, handlers: AnalysisHandlers): Promise<PageAnalysis>;
  /** Connection `id` of the running (provisional) or last analysis in full, or null. */
  connection(id: number): Promise<ConnectionDetail | null>;
  /** The connection frame `frame` belongs to in the last analysis, or null (not TCP, or none). */
  connectionOfFrame(frame: number): Promise<number | null>;
  /** One frame's decoded headers, read back from the last analysed file. */
  frameDetail(frame: number): Promise<FrameDetail>;
  exportCapture(request: ExportRequest): Promise<CaptureExport>;
  /**
   * Connection `id`'s frames for a link (pcapng with the frame numbers and verdicts of the whole
   * capture), gzip-compressed, if they fit in `maxBase64Length`.
   */
  linkCapture(id: number, options: LinkOptions): Promise<LinkCapture>;
  /** The connection list as CSV, the JSON report or the Markdown report of the last analysis. */
  exportDocument(request: DocumentRequest): Promise<DocumentExport>;
  /** A page of the last analysis's expert list (computed on the first call, then kept). */
  expertPage(request: ExpertRequest): Promise<ExpertPage>;
  /**
   * The ids of the connections the list shows for the last finished analysis, filtered and sorted
   * (core/model/connection-rows.ts), worked out in the worker so the page stays free while a filter is
   * typed. Null when a newer query came in before this one was started (only the newest is worked
   * out), or there is no finished analysis.
   */
  connectionRows(query: RowQuery): Promise<Uint32Array | null>;
  /** The endpoints table of the last analysis. */
  endpoints(): Promise<EndpointTable>;
  /** Part of connection `id`'s TCP stream (bounded), its payloads read back from the file; null if none. */
  followStream(id: number, request: StreamRequest): Promise<FollowedStream | null>;
  /** Stop the running analysis; its promise rejects with a `CancelledError`. */
  cancel(): void;
}

/**
 * The worker's functions, as comlink exposes them (callbacks arrive as proxies): the engine's, except
 * that a connection comes in batches and cancelling is the client's (it ends the worker).
 */
export interface WorkerApi extends Omit<AnalysisEngine, 'connection' | 'connectionRows' | 'cancel'> {
  /**
   * Connection `id` in bounded batches (a connection may hold 100,000 verdicts), each awaited so the
   * page takes each in its own task; resolves to the connection's packets (null while reading), or
   * false when there is no such connection.
   */
  connectionDetail(id: number, onBatch: (batch: ReportBatch) => void): Promise<{ packets: PacketColumns | null } | false>;
  /** The engine's `connectionRows`, numbered by the client (see `RowsRequest`). */
  connectionRows(request: RowsRequest): Promise<Uint32Array | null>;
}

export class CancelledError extends Error {
  constructor() {
    super('Analysis cancelled');
    this.name = 'CancelledError';
  }
}

/** Characters of base64url (no padding) for `bytes` bytes. */
export function base64UrlLength(bytes: number): number {
  return Math.ceil((bytes * 4) / 3);
}

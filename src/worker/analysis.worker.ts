/// <reference lib="webworker" />
/**
 * The analysis worker: a thin comlink adapter around the core (the messages are in protocol.ts).
 * Parsing and classification run here, and the finished analysis stays here: the page gets the
 * list's columns (a few times a second while the file is read, then the final ones) and the report's
 * summary, transferred, not copied; it asks for one connection with its packets when one is selected,
 * for one frame's headers, and for exports, which are written here from the file.
 */
import * as Comlink from 'comlink';
import type { AnalysisResult } from '../core/analyze-api.ts';
import { analyze } from '../core/analyze.ts';
import { blobSource, type ByteSource } from '../core/capture/source.ts';
import { adoptSharedVerdicts } from '../core/classify/shared-verdicts.ts';
import { exportDocument, type DocumentRequest } from '../core/export/documents.ts';
import { formatSharedLink, sharedLinkOf, sharedLinkSentence } from '../core/export/shared-link.ts';
import { extractFrames } from '../core/export/extract.ts';
import { endpointTable, tableEndpointSource, type EndpointTable } from '../core/stats/endpoints.ts';
import { readFrameDetail, type FrameDetail } from '../core/frame-detail.ts';
import { tableExpertContext } from '../core/expert/context.ts';
import { connectionExpertMasks } from '../core/expert/expert.ts';
import { streamNumber } from '../core/model/stream-number.ts';
import { ConnectionListBuilder, listOf, type ListColumns } from '../core/model/list-columns.ts';
import { interfaceOf, type PacketColumns } from '../core/model/packet-table.ts';
import { followStream, STREAM_PAGE_BYTES, type FollowedStream, type StreamRequest } from '../core/stream/follow.ts';
import type { Connection } from '../core/model/types.ts';
import type { ConnectionTable } from '../core/tcp/connection-table.ts';
import { connectionOfFrame as ownerOfFrame, packetRowOfFrame } from './frame-lookup.ts';
import {
  base64UrlLength,
  type AnalysisHandlers,
  type CaptureExport,
  type CaptureInput,
  type DocumentExport,
  type ExpertPage,
  type ExpertRequest,
  type ExportRequest,
  type LinkCapture,
  type LinkOptions,
  type PageAnalysis,
  type RowsRequest,
  type WorkerApi,
} from './protocol.ts';
import { ExpertPages } from './expert-pages.ts';
import { copyList, RowQueries } from './list-rows.ts';
import { reportBatches, type ReportBatch } from './report-batches.ts';
import { chunkedSource, localReader } from './file-chunks.ts';
import { streamSource } from './stream-source.ts';
import { transferables } from './transfer.ts';

/**
 * A dropped file is read in chunks of this size into `READ_BUFFERS` buffers lent in turn
 * (file-chunks.ts): the analysis holds two (the chunk it parses and the next), the others are being
 * filled meanwhile, each through a pipe of its own that the browser fills while the parser works.
 */
const READ_CHUNK = 16 * 1024 * 1024;
const READ_BUFFERS = 5;

/** What a dropped file is read through. */
function fileSource(name: string, file: Blob): { source: ByteSource; close(): void } {
  const source = chunkedSource(name, file, READ_CHUNK, localReader(file, READ_CHUNK, READ_BUFFERS));
  return { source, close: () => source.close() };
}

/** How often the provisional list is posted to the main thread while a file is read. */
const LIST_FLUSH_MS = 150;

/**
 * Provisional connections listed while reading, at most: past this the list already has plenty to
 * look at, the progress bar keeps counting, and the final list brings the rest.
 */
export const STREAM_LIMIT = 20_000;

/** The file being read: the live connection table, of which the list shows the first `listed`. */
interface Running {
  kind: 'running';
  table: ConnectionTable | null;
  listed: number;
}
/** The last finished analysis, with its file to read frames back from. */
interface Finished {
  kind: 'done';
  file: Blob;
  name: string;
  result: AnalysisResult;
  /** The expert list, made on the first request. */
  expert: ExpertPages;
  /** The list's columns, to work out the rows the page shows (the page has its own copy). */
  list: ListColumns;
}
let held: Running | Finished | null = null;

function finished(): Finished {
  if (held?.kind !== 'done') throw new Error('no finished analysis');
  return held;
}

async function analyzeFile(input: CaptureInput, name: string, handlers: AnalysisHandlers): Promise<PageAnalysis> {
  const streamed = input instanceof Blob ? null : streamSource(name, input.size, input.stream);
  const running: Running = { kind: 'running', table: null, listed: 0 };
  held = running;
  const builder = new ConnectionListBuilder();
  let posted = 0;
  let lastFlush = 0;
  const flush = (): void => {
    if (builder.length === posted) return;
    posted = builder.length;
    lastFlush = performance.now();
    const list = builder.columns(true);
    void handlers.onList(Comlink.transfer(list, transferables(list)));
  };
  const dropped = streamed ? null : fileSource(name, input as Blob);
  let result = await analyze(streamed?.source ?? dropped!.source, {
    ...(streamed ? {} : { chunkSize: READ_CHUNK }),
    onProgress: (p) => void handlers.onProgress(p),
    onConnections: (table, from, to) => {
      running.table = table;
      // The list's row is the id. A row is a connection's head as of now, and its service so far
      // (no whole `Connection`: the one asked for is made when asked, in connectionDetail).
      for (let id = Math.max(from, builder.length); id < to && builder.length < STREAM_LIMIT; id++) {
        builder.append({ ...table.head(id, false), service: table.appContext(id)?.service ?? null });
      }
      running.listed = builder.length;
      // The first rows go at once (the worker may be younger than LIST_FLUSH_MS), then a few times a second.
      if (posted === 0 || performance.now() - lastFlush >= LIST_FLUSH_MS || builder.length >= STREAM_LIMIT) flush();
    },
    progressInterval: 100,
  }).finally(() => dropped?.close());
  let file = input as Blob;
  if (streamed) {
    // The file is kept whole (in the blob store) to read frames back; a stream longer than the size
    // its server announced (a compressed transfer) is read again, whole.
    const whole = await streamed.complete;
    file = whole.file;
    if (whole.received > streamed.source.size) {
      result = await analyze(blobSource(name, file), { onProgress: (p) => void handlers.onProgress(p), progressInterval: 100 });
    }
  }
  // A shared connection is shown as its sender saw it: the verdicts computed on the whole capture.
  if (result.sharedLink) adoptSharedVerdicts(result, result.sharedLink);
  // The provisional list is replaced by the final one, so no last flush. The page gets what its list
  // shows as columns (a million connections as objects would be far too heavy); a copy stays here to
  // filter and sort.
  const table = result.connections;
  const list = listOf(table.heads(), table.length);
  list.sharedStream = table.sharedStream;
  // The expert kinds of every connection, for the tcp.analysis.* filter fields: one pass over the
  // packets, keeping one number a connection (the expert list's items are made when it is opened).
  list.expert = connectionExpertMasks(result.packets, result.connStart, tableExpertContext(table));
  held = { kind: 'done', file, name, result, expert: new ExpertPages(result), list };
  const shown = copyList(list);
  const page: PageAnalysis = { report: result.report, list: shown };
  return Comlink.transfer(page, transferables(shown));
}

/** Rows from..to of every packet column, copied (so they can be transferred). */
function packetSlice(packets: PacketColumns, from: number, to: number): PacketColumns {
  const out = {} as Record<keyof PacketColumns, PacketColumns[keyof PacketColumns]>;
  for (const key of Object.keys(packets) as (keyof PacketColumns)[]) {
    const column = packets[key];
    // An absent column (no interface numbers) stays absent.
    out[key] = column.length === 0 ? column.slice() : column.slice(from, to);
  }
  return out as PacketColumns;
}

async function connectionDetail(id: number, onBatch: (batch: ReportBatch) => void): Promise<{ packets: PacketColumns | null } | false> {
  let conn: Connection | undefined;
  let packets: PacketColumns | null = null;
  if (held?.kind === 'running') {
    if (held.table && Number.isInteger(id) && id >= 0 && id < held.listed) conn = held.table.get(id);
  }
  else if (held?.kind === 'done') {
    const { connections, connStart } = held.result;
    if (Number.isInteger(id) && id >= 0 && id < connections.length) {
      conn = connections.get(id);
      packets = packetSlice(held.result.packets, connStart[id] ?? 0, connStart[id + 1] ?? 0);
    }
  }
  if (!conn) return false;
  for (const batch of reportBatches([conn])) await onBatch(batch);
  const answer = { packets };
  return packets ? Comlink.transfer(answer, transferables(packets)) : answer;
}

async function connectionOfFrame(frame: number): Promise<number | null> {
  if (held?.kind !== 'done') return null;
  return ownerOfFrame(held.result, frame);
}

async function frameDetail(frame: number): Promise<FrameDetail> {
  const { file, name, result } = finished();
  const row = packetRowOfFrame(result.packets, frame);
  if (row < 0) throw new Error(`frame ${frame} is not a TCP frame of this capture`);
  const linkType = result.report.interfaces[interfaceOf(result.packets, row)]?.linkType ?? 1;
  return readFrameDetail(blobSource(name, file), result.packets.fileOffset[row]!, frame, linkType);
}

async function exportCapture(request: ExportRequest): Promise<CaptureExport> {
  const { file, name, result } = finished();
  const connections = Array.from(request.connections);
  const shared = request.asShared && connections.length === 1 ? sharedSection(connections[0]!, request.asShared.fingerprint) : request.shared;
  const extract = await extractFrames(blobSource(name, file), result, { connections }, {
    headersOnly: request.headersOnly ?? false,
    ...(shared ? { shared } : {}),
  });
  const chunks = extract.chunks as Uint8Array<ArrayBuffer>[];
  return { file: new Blob(chunks, { type: 'application/vnd.tcpdump.pcap' }), format: extract.format, frames: extract.frames };
}

async function gzip(file: Blob): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await new Response(file.stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer());
}

/**
 * A connection for a link: pcapng whose packets keep their frame numbers in their comments and whose
 * section header carries the file's name, its fingerprint and the verdicts of the whole capture
 * (core/export/shared-link.ts). A shared capture shared again keeps its origin's.
 */
async function linkCapture(id: number, options: LinkOptions): Promise<LinkCapture> {
  const capture = await exportCapture({
    connections: [id],
    headersOnly: !options.payloads,
    shared: sharedSection(id, options.fingerprint ?? null),
  });
  const compressed = await gzip(capture.file);
  const base64Length = base64UrlLength(compressed.length);
  if (base64Length > options.maxBase64Length) return { ok: false, base64Length, frames: capture.frames };
  return Comlink.transfer({ ok: true, gzip: compressed, base64Length, frames: capture.frames }, [compressed.buffer]);
}

/** The section comments of connection `id` shared: a sentence for people and the link's metadata. */
function sharedSection(id: number, fingerprint: string | null): { fileName: string; sectionComments: string[] } {
  const { name, result } = finished();
  if (!Number.isInteger(id) || id < 0 || id >= result.connections.length) throw new Error(`no connection ${id}`);
  const conn = result.connections.get(id);
  const origin = result.report.shared;
  const meta = sharedLinkOf(result.report, conn, {
    file: origin?.file ?? name,
    fingerprint: origin ? origin.fingerprint : fingerprint,
    packets: conn.packets,
    frames: origin?.frames ?? result.report.packets,
    stream: streamNumber(result.connections, id),
    // The time the page counts from: the origin's start for a shared connection too.
    start: result.report.firstTime,
  });
  return { fileName: meta.file, sectionComments: [sharedLinkSentence(meta), formatSharedLink(meta)] };
}

/** A document of the last analysis, written here by the command line's code (core/export). */
async function exportDocumentOf(request: DocumentRequest): Promise<DocumentExport> {
  const doc = exportDocument(finished().result, request);
  return { file: new Blob(doc.parts, { type: `${doc.mime};charset=utf-8` }), fileName: doc.fileName };
}

async function expertPage(request: ExpertRequest): Promise<ExpertPage> {
  return finished().expert.page(request);
}

async function endpoints(): Promise<EndpointTable> {
  const table = endpointTable(tableEndpointSource(finished().result.connections));
  return Comlink.transfer(table, transferables(table));
}

const rowQueries = new RowQueries();

async function connectionRows(request: RowsRequest): Promise<Uint32Array | null> {
  const rows = await rowQueries.answer(() => (held?.kind === 'done' ? held.list : null), request);
  return rows ? Comlink.transfer(rows, [rows.buffer]) : null;
}

/** The most one stream request returns, whatever it asks: a huge connection never hangs the page. */
const MAX_STREAM_REQUEST = 16 * STREAM_PAGE_BYTES;

/** Part of a connection's stream, read back from the file now; nothing of it is kept here. */
async function followStreamOf(id: number, request: StreamRequest): Promise<FollowedStream | null> {
  const { file, name, result } = finished();
  const maxBytes = Math.min(MAX_STREAM_REQUEST, request.maxBytes ?? STREAM_PAGE_BYTES);
  const followed = await followStream(blobSource(name, file), result, id, { ...request, maxBytes });
  return followed ? Comlink.transfer(followed, [followed.bytes.buffer]) : null;
}

const api: WorkerApi = {
  analyze: analyzeFile,
  connectionDetail,
  connectionRows,
  connectionOfFrame,
  frameDetail,
  exportCapture,
  linkCapture,
  exportDocument: exportDocumentOf,
  expertPage,
  endpoints,
  followStream: followStreamOf,
};

Comlink.expose(api);

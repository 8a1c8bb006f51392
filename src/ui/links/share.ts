/**
 * Sharing a connection: its frames, written by the worker as pcapng that keeps the whole capture's
 * frame numbers and verdicts, gzip-compressed and put into the link's fragment (never sent to any
 * server), or downloaded as a file.
 */
import type { AppState } from '../../state/store.ts';
import { DEFAULT_SORT, NO_FILTERS, selectConnectionRows } from '../../core/model/connection-rows.ts';
import { rowsCurrent } from '../../state/rows-slice.ts';
import type { AnalysisEngine, CaptureExport, CaptureInput } from '../../worker/protocol.ts';
import { toBase64Url } from './base64url.ts';
import { fingerprintOf } from './fingerprint.ts';
import { formatHash, type LinkDisplay } from './hash-params.ts';
import { shownFileName } from './shared-origin.ts';
import { streamNumber } from '../../core/model/stream-number.ts';

/** Longest `pkt=` value a link may carry: 64 KiB of base64url (links past ~100 kB break in places). */
export const LINK_LIMIT = 64 * 1024;

export type PacketLink = { ok: true; url: string; size: number; frames: number } | { ok: false; size: number; frames: number };

/**
 * A link that opens this connection with no file, as the sender sees it: its packets keep the whole
 * capture's frame numbers, and the link carries the file's name, fingerprint and verdicts
 * (core/export/shared-link.ts), and the sender's display settings (`display`, url-sync.ts's
 * `displayOf(state, true)`). `ok: false` when it would be too long.
 */
export async function packetLink(
  engine: AnalysisEngine,
  connection: number,
  payloads: boolean,
  file: CaptureInput | null = null,
  display: LinkDisplay = {},
): Promise<PacketLink> {
  const fingerprint = file instanceof Blob ? await fingerprintOf(file).catch(() => null) : null;
  const capture = await engine.linkCapture(connection, { payloads, maxBase64Length: LINK_LIMIT, fingerprint });
  if (!capture.ok) return { ok: false, size: capture.base64Length, frames: capture.frames };
  const encoded = toBase64Url(capture.gzip);
  // The extract holds one connection: it is connection 0 there.
  // The sender's time display (format, zone, reference frame with its time) and view come along, so
  // the recipient reads the same times: they count from the whole capture's first frame there too.
  const hash = formatHash({ connection: 0, frame: null, filters: NO_FILTERS, sort: DEFAULT_SORT }, { packets: encoded }, display);
  return { ok: true, url: `${location.origin}${location.pathname}${location.search}#${hash}`, size: encoded.length, frames: capture.frames };
}

function baseName(state: AppState): string {
  const name = shownFileName(state);
  return (name ?? 'capture').replace(/\.gz$/i, '').replace(/\.(pcap|pcapng|cap)$/i, '') || 'capture';
}

function save(capture: CaptureExport, name: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(capture.file);
  a.download = `${name}.${capture.format}`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

/**
 * Save the connection's frames (payloads included) as the link would carry them: pcapng whose
 * packets keep the capture's frame numbers in their comments (Wireshark shows them) and whose
 * header carries the file's name, fingerprint and verdicts, named by its tcp.stream.
 */
export async function downloadConnection(engine: AnalysisEngine, state: AppState, connection: number): Promise<void> {
  const fingerprint = state.file instanceof Blob ? await fingerprintOf(state.file).catch(() => null) : null;
  const capture = await engine.exportCapture({ connections: [connection], asShared: { fingerprint } });
  save(capture, `${baseName(state)}-connection-${streamNumber(state.list, connection)}`);
}

/** Save every connection the filtered list shows. */
export async function downloadFiltered(engine: AnalysisEngine, state: AppState): Promise<void> {
  const ids = rowsCurrent(state) ? state.shown.ids.slice().sort() : selectConnectionRows(state.list, state.filters, { key: 'id', desc: false });
  save(await engine.exportCapture({ connections: ids }), `${baseName(state)}-filtered`);
}

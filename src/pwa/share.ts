/**
 * Sharing a connection: its frames re-encoded as a minimal pcap, gzip-compressed in the browser and
 * put into the link's fragment (never sent to any server), or downloaded as a file.
 */
import { blobSource } from '../core/capture/source.ts';
import { extractFrames, type Extract } from '../core/export/extract.ts';
import { NO_FILTERS, DEFAULT_SORT, selectConnectionRows } from '../state/connection-rows.ts';
import type { AppState } from '../state/store.ts';
import { formatHash, toBase64Url } from '../state/url-sync.ts';

/** Longest `pkt=` value a link may carry: 64 KiB of base64url (links past ~100 kB break in places). */
export const LINK_LIMIT = 64 * 1024;

export type PacketLink = { ok: true; url: string; size: number; frames: number } | { ok: false; size: number; frames: number };

async function gzip(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

async function extractOf(state: AppState, connections: Iterable<number>, headersOnly: boolean): Promise<Extract> {
  const { file, fileName, result } = state;
  if (!file || !result) throw new Error('no capture is open');
  return extractFrames(blobSource(fileName ?? 'capture', file), result, { connections }, { headersOnly });
}

/** A link that opens this connection alone, with no file; `ok: false` when it would be too long. */
export async function packetLink(state: AppState, connection: number, payloads: boolean): Promise<PacketLink> {
  const extract = await extractOf(state, [connection], !payloads);
  const chunks = extract.chunks as Uint8Array<ArrayBuffer>[];
  const compressed = await gzip(new Uint8Array(await new Blob(chunks).arrayBuffer()));
  const encoded = toBase64Url(compressed);
  if (encoded.length > LINK_LIMIT) return { ok: false, size: encoded.length, frames: extract.frames };
  // The extract holds one connection: it is connection 0 there.
  const hash = formatHash({ connection: 0, frame: null, filters: NO_FILTERS, sort: DEFAULT_SORT }, { packets: encoded });
  return { ok: true, url: `${location.origin}${location.pathname}${location.search}#${hash}`, size: encoded.length, frames: extract.frames };
}

function baseName(name: string | null): string {
  return (name ?? 'capture').replace(/\.gz$/i, '').replace(/\.(pcap|pcapng|cap)$/i, '') || 'capture';
}

function save(extract: Extract, name: string): void {
  const blob = new Blob(extract.chunks as Uint8Array<ArrayBuffer>[], { type: 'application/vnd.tcpdump.pcap' });
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = `${name}.${extract.format}`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

/** Save the connection's frames (payloads included) as a capture Wireshark opens. */
export async function downloadConnection(state: AppState, connection: number): Promise<void> {
  save(await extractOf(state, [connection], false), `${baseName(state.fileName)}-connection-${connection}`);
}

/** Save every connection the filtered list shows. */
export async function downloadFiltered(state: AppState): Promise<void> {
  const ids = selectConnectionRows(state.list, state.filters, { key: 'id', desc: false });
  save(await extractOf(state, ids, false), `${baseName(state.fileName)}-filtered`);
}

/**
 * What kind of file a capture is, from its first bytes: gzip around it or not (the only place that
 * asks), then pcap or pcapng inside.
 */
import { gzipChunks, plainChunks, type ChunkStream } from './chunks.ts';
import { isPcapMagic, PcapReader } from './pcap.ts';
import { PcapngReader, SHB_TYPE } from './pcapng.ts';
import { NotACaptureError, type RangeReader, type RecordSink } from './sink.ts';
import type { ByteSource } from './source.ts';

/** The gzip magic 1f 8b (RFC 1952 §2.3.1). */
function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/** The stored file as chunks of its (decompressed) capture bytes, and whether it was gzip-compressed. */
export async function openChunks(source: ByteSource, chunkSize: number): Promise<{ stream: ChunkStream; compressed: boolean }> {
  const head = await source.read(0, Math.min(source.size, 2));
  const compressed = isGzip(head);
  return { stream: compressed ? gzipChunks(source, chunkSize) : plainChunks(source, chunkSize), compressed };
}

/**
 * The reader for the capture format the first bytes announce; throws `NotACaptureError` otherwise
 * (`note` goes after "not a pcap or pcapng file").
 */
export function pickReader(first: Uint8Array, sink: RecordSink, note = ''): RangeReader {
  if (first.length >= 4) {
    const view = new DataView(first.buffer, first.byteOffset, first.byteLength);
    if (isPcapMagic(view.getUint32(0, true)) || isPcapMagic(view.getUint32(0, false))) return new PcapReader(sink);
    if (view.getUint32(0, true) === SHB_TYPE) return new PcapngReader(sink);
  }
  throw new NotACaptureError(`not a pcap or pcapng file${note}: ${describeStart(first)}`);
}

/** "it starts with 'PK'" / "it starts with bytes 00 01 02 03" / "it is only 3 bytes long". */
export function describeStart(bytes: Uint8Array): string {
  if (bytes.length < 4) return `it is only ${bytes.length} byte${bytes.length === 1 ? '' : 's'} long`;
  const n = Math.min(bytes.length, 8);
  let text = '';
  let printable = true;
  for (let i = 0; i < n; i++) {
    const b = bytes[i] ?? 0;
    if (b >= 0x20 && b < 0x7f) text += String.fromCharCode(b);
    else if (i >= 2 && (b === 0x0a || b === 0x0d || b === 0x09)) break;
    else {
      printable = i >= 2;
      break;
    }
  }
  if (printable && text.length >= 2) return `it starts with '${text}'`;
  const hex = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
  return `it starts with bytes ${hex}`;
}

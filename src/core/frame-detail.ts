import { LinkType } from './capture/link-types.ts';
import { readBack } from './capture/read-back.ts';
import type { ByteSource } from './capture/source.ts';
import { formatAddress, PacketDecoder, Skip, SKIP_NAMES } from './decode/packet.ts';
import { flagText } from './model/flags.ts';

export interface FrameField {
  name: string;
  value: string;
}

export interface FrameLayer {
  name: string;
  fields: FrameField[];
}

/** A frame's decoded headers, read back from the file on demand (never kept for every packet). */
export interface FrameDetail {
  frame: number;
  layers: FrameLayer[];
}

/** How many bytes of a frame we read back: enough for every header and a payload preview. */
const READ_BACK = 2048;

/**
 * Read one frame's bytes back from the capture at `fileOffset` (the frame's data, as recorded in the
 * packet table) and decode its headers. For a gzip capture the stream is inflated up to that point.
 */
export async function readFrameDetail(
  source: ByteSource,
  fileOffset: number,
  frame: number,
  linkType: number,
): Promise<FrameDetail> {
  const bytes = await readBack(source, fileOffset, READ_BACK);
  return describeFrame(bytes, frame, linkType);
}

const hex2 = (b: number) => b.toString(16).padStart(2, '0');

function mac(bytes: Uint8Array, o: number): string {
  return Array.from(bytes.subarray(o, o + 6), hex2).join(':');
}

/** Decode the headers of one frame's bytes into named fields. */
export function describeFrame(bytes: Uint8Array, frame: number, linkType: number): FrameDetail {
  const layers: FrameLayer[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (linkType === LinkType.ETHERNET && bytes.length >= 14) {
    const fields = [
      { name: 'Destination', value: mac(bytes, 0) },
      { name: 'Source', value: mac(bytes, 6) },
      { name: 'Type', value: `0x${view.getUint16(12).toString(16).padStart(4, '0')}` },
    ];
    let o = 12;
    while (o + 4 <= bytes.length && [0x8100, 0x88a8, 0x9100].includes(view.getUint16(o))) {
      fields.push({ name: 'VLAN', value: String(view.getUint16(o + 2) & 0x0fff) });
      o += 4;
    }
    layers.push({ name: 'Ethernet II', fields });
  }
  const decoder = new PacketDecoder();
  const p = decoder.decode(bytes, view, 0, bytes.length, linkType);
  if (p.skip !== Skip.none && p.skip !== Skip.cutBySnaplen) {
    layers.push({ name: 'Not decoded', fields: [{ name: 'Reason', value: SKIP_NAMES[p.skip] ?? 'unknown' }] });
    return { frame, layers };
  }
  const ipFields: FrameField[] = [
    { name: 'Source', value: formatAddress(p.ipVersion, p.src) },
    { name: 'Destination', value: formatAddress(p.ipVersion, p.dst) },
    { name: p.ipVersion === 4 ? 'Time to live' : 'Hop limit', value: String(p.ttl) },
    { name: 'Length', value: String(p.ipLength) },
  ];
  if (p.ipVersion === 4) ipFields.push({ name: 'Identification', value: `0x${p.ipId.toString(16).padStart(4, '0')} (${p.ipId})` });
  if (p.tunnelDepth > 0) ipFields.push({ name: 'Tunnelled', value: `${p.tunnelDepth} level${p.tunnelDepth > 1 ? 's' : ''} deep` });
  layers.push({ name: p.ipVersion === 4 ? 'Internet Protocol Version 4' : 'Internet Protocol Version 6', fields: ipFields });
  const options: string[] = [];
  if (p.mss) options.push(`MSS=${p.mss}`);
  if (p.windowScale >= 0) options.push(`WS=${1 << p.windowScale}`);
  if (p.sackPermitted) options.push('SACK_PERM');
  if (p.hasTimestamps) options.push('TS');
  const tcp: FrameField[] = [
    { name: 'Source port', value: String(p.srcPort) },
    { name: 'Destination port', value: String(p.dstPort) },
    { name: 'Sequence number (raw)', value: String(p.seq) },
    { name: 'Acknowledgment number (raw)', value: String(p.ack) },
    { name: 'Flags', value: `0x${p.flags.toString(16).padStart(3, '0')} (${flagText(p.flags)})` },
    { name: 'Window', value: String(p.window) },
    { name: 'Header length', value: `${p.tcpHeaderLength} bytes` },
    { name: 'Payload length', value: `${p.payloadLength} bytes` },
  ];
  if (options.length) tcp.push({ name: 'Options', value: options.join(', ') });
  layers.push({ name: 'Transmission Control Protocol', fields: tcp });
  if (p.payloadCaptured > 0) {
    const n = Math.min(p.payloadCaptured, 256);
    const data = bytes.subarray(p.payloadOffset, p.payloadOffset + n);
    let text = '';
    for (const b of data) text += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
    layers.push({
      name: 'Payload',
      fields: [
        { name: `First ${n} bytes (hex)`, value: Array.from(data.subarray(0, 64), hex2).join(' ') + (n > 64 ? ' …' : '') },
        { name: 'As text', value: text },
      ],
    });
  }
  return { frame, layers };
}

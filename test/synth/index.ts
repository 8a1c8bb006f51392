/**
 * Synthetic captures: frames built byte by byte, pcap and pcapng writers (whole-file and streaming),
 * and a scripted TCP conversation builder for tests. Plain TypeScript: runs in Node and browsers.
 */
export { parseIp, formatIp, parseEndpoint, parseMac, macForIp } from './address.ts';
export { internetChecksum, pseudoHeaderSum, sumWords, foldSum, finishChecksum } from './checksum.ts';
export { ChunkedOutput, concatChunks, splitNanos, secondsAndNanos, type ChunkOptions } from '../../src/core/capture/bytes.ts';
export {
  buildTcpPacket,
  buildTcpFrame,
  encodeTcpOptions,
  payloadBytes,
  TcpFrameTemplate,
  type TcpPacketSpec,
  type TcpOptionSpec,
  type TcpFrameLayout,
  type LinkLayer,
} from './packet.ts';
export { writePcap, PcapStreamWriter, type CaptureRecord, type PcapOptions } from '../../src/core/capture/pcap-writer.ts';
export {
  writePcapng,
  PcapngStreamWriter,
  type PcapngInterface,
  type PcapngSectionOptions,
  type PcapngFileOptions,
} from '../../src/core/capture/pcapng-writer.ts';
export {
  tcpConversation,
  TcpConversation,
  mergeFrames,
  toPcap,
  toPcapng,
  F,
  type ConversationOptions,
  type SynthFrame,
  type Side,
  type StepOptions,
  type RstOptions,
  type SegmentOptions,
  type RetransmitOptions,
} from './conversation.ts';
export { fromHex, toHex, utf8 } from './hex.ts';

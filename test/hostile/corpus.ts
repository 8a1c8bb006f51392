/**
 * Synthetic seed captures for the fuzzer, exercising what the real ones lack: Simple and obsolete
 * Packet Blocks, two sections in opposite byte orders, odd if_tsresol and if_tsoffset, IPv6, a
 * snaplen that cuts frames, RSTs carrying text and application replies.
 */
import { PcapngStreamWriter, concatChunks, tcpConversation, toPcap, type SynthFrame } from '../synth/index.ts';

function conversations(): SynthFrame[][] {
  const http = tcpConversation({ client: '10.0.0.1:40000', server: '10.0.0.2:80', timestamps: true, windowScale: 7 })
    .handshake()
    .clientSends('GET / HTTP/1.1\r\nHost: x\r\n\r\n')
    .serverSends('HTTP/1.1 503 Busy\r\n\r\n')
    .rst('server', { payload: 'connection reset: <b>bye</b>\u0007\r\n' });
  const v6 = tcpConversation({ client: '[2001:db8::1]:50000', server: '[2001:db8::2]:25' })
    .handshake()
    .serverSends('550 no\r\n')
    .rst('client');
  const refused = tcpConversation({ client: '192.0.2.7:1234', server: '192.0.2.8:443', link: 'raw' }).refuse();
  return [http.frames, v6.frames, refused.frames];
}

/** A pcapng file with two sections (little then big endian), SPB, OPB and EPB, odd time units. */
export function synthPcapng(): Uint8Array {
  const [http = [], v6 = [], refused = []] = conversations();
  const w = new PcapngStreamWriter();
  w.section({ comment: 'first section', userApplication: 'resetscope-fuzz' });
  w.addInterface({ name: 'eth0', description: 'uplink', tsresol: 9 });
  w.addInterface({ name: 'raw0', linkType: 101, tsresol: 0x80 | 20, tsoffset: 10n });
  for (const f of http) w.packet({ ...f, interfaceId: 0, comment: 'c' });
  for (const f of refused) w.obsoletePacket({ ...f, interfaceId: 1 });
  w.section({ bigEndian: true });
  w.addInterface({ name: 'v6', tsresol: 3 });
  const [first, ...rest] = v6;
  if (first) w.simplePacket(first.data);
  for (const f of rest) w.packet({ ...f, interfaceId: 0 });
  return concatChunks(w.end());
}

/** A nanosecond, big-endian pcap of the same conversations. */
export function synthPcap(): Uint8Array {
  const [http = [], v6 = []] = conversations();
  return toPcap([...http, ...v6], { nanosecond: true, bigEndian: true, snaplen: 96 });
}

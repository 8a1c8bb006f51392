import { describe, expect, it } from 'vitest';
import { mergeFrames, tcpConversation, writePcapng } from '../../../test/synth/index.ts';
import { analyzeBytes, readTestdata } from '../../../test/support/captures.ts';
import { interfaceOf, isFromClient, tcpFlags } from './packet-table.ts';

const bytesPerPacket = (packets: object, rows: number): number =>
  (Object.values(packets) as ArrayBufferView[]).reduce((sum, column) => sum + column.byteLength, 0) / rows;

describe('packet columns kept by the analysis', () => {
  it('take 31 bytes a packet for a file under 4 GiB captured on one interface', async () => {
    const { packets, report } = await analyzeBytes('abort.pcap', readTestdata('lab', 'abort.pcap'));
    const rows = packets.frame.length;
    expect(rows).toBe(report.tcpPackets);
    expect(packets.iface.length).toBe(0);
    expect(interfaceOf(packets, rows - 1)).toBe(0);
    expect(packets.fileOffset).toBeInstanceOf(Uint32Array);
    expect(packets.payloadLen).toBeInstanceOf(Uint16Array);
    expect(bytesPerPacket(packets, rows)).toBe(31);
  });

  it('keep each frame\'s interface when there are several', async () => {
    // Two interfaces (Ethernet and raw IP), one conversation on each.
    const eth = tcpConversation({ client: '10.0.0.1:40000', server: '10.0.0.2:80' });
    eth.handshake().clientSends('GET / HTTP/1.1\r\n\r\n').rst('server');
    const raw = tcpConversation({ client: '10.9.0.1:40001', server: '10.9.0.2:443', link: 'raw' });
    raw.handshake().clientSends('hello').close();
    const frames = mergeFrames(
      eth.frames.map((f) => ({ ...f, interfaceId: 0 })),
      raw.frames.map((f) => ({ ...f, interfaceId: 1 })),
    );
    const file = writePcapng(frames, { interfaces: [{ tsresol: 9, linkType: 1 }, { tsresol: 9, linkType: 101 }] });
    const { packets, connStart } = await analyzeBytes('two.pcapng', file);
    expect(packets.iface.length).toBe(packets.frame.length);
    // Rows are grouped by connection: the first connection's on interface 0, the second's on 1.
    expect(interfaceOf(packets, connStart[0]!)).toBe(0);
    expect(interfaceOf(packets, connStart[1]!)).toBe(1);
  });

  it('hold the direction beside the TCP flags without changing them', async () => {
    const { packets, connections } = await analyzeBytes('abort.pcap', readTestdata('lab', 'abort.pcap'));
    const conn = connections.get(0);
    let client = 0;
    for (let r = 0; r < packets.frame.length; r++) {
      expect(tcpFlags(packets, r)).toBeLessThan(0x1000);
      if (isFromClient(packets, r)) client++;
    }
    expect(client).toBe(conn.dir.client.packets);
  });
});

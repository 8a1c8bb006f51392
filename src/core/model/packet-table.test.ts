import { describe, expect, it } from 'vitest';
import { mergeFrames, tcpConversation, writePcapng } from '../../../test/synth/index.ts';
import { analyzeBytes, readTestdata } from '../../../test/support/captures.ts';
import { interfaceOf, isFromClient, PacketTable, tcpFlags } from './packet-table.ts';

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

describe('PacketTable.grouped', () => {
  it('groups rows by connection in file order across pages, in the narrowest columns', () => {
    // 3 connections over 100 rows, so the first pages (16, 32, ... rows) each hold several.
    const table = new PacketTable(16);
    const conns = [2, 0, 0, 1, 2, 2, 1, 0];
    for (let i = 0; i < 100; i++) {
      const r = table.push();
      table.cols.frame[r] = i + 1;
      table.cols.conn[r] = conns[i % conns.length]!;
      table.cols.fileOffset[r] = 24 + 100 * i;
      table.cols.timeNs[r] = 1000 * i;
      table.cols.seq[r] = 0xffffffff - i;
      table.cols.payloadLen[r] = i;
      table.cols.iface[r] = i === 99 ? 1 : 0;
      table.cols.marks[r] = i & 0xff;
    }
    const { packets, connStart } = table.grouped(3);
    expect(Array.from(connStart)).toEqual([0, 38, 63, 100]);
    const frames = Array.from(packets.frame);
    for (let c = 0; c < 3; c++) {
      const mine = frames.slice(connStart[c], connStart[c + 1]);
      expect(mine).toEqual(mine.slice().sort((a, b) => a - b));
      for (const f of mine) expect(conns[(f - 1) % conns.length]).toBe(c);
    }
    const row = frames.indexOf(100);
    expect(packets.fileOffset).toBeInstanceOf(Uint32Array);
    expect(packets.fileOffset[row]).toBe(24 + 9900);
    expect(packets.timeNs[row]).toBe(99000);
    expect(packets.seq[row]).toBe(0xffffffff - 99);
    expect(packets.payloadLen).toBeInstanceOf(Uint16Array);
    expect(packets.iface).toBeInstanceOf(Uint8Array);
    expect(interfaceOf(packets, row)).toBe(1);
    expect(packets.marks[row]).toBe(99);
  });

  it('takes the rows per connection when given, and counts them when those do not add up', () => {
    const fill = (table: PacketTable, conns: number[]): void => {
      conns.forEach((c, i) => {
        const r = table.push();
        table.cols.frame[r] = i + 1;
        table.cols.conn[r] = c;
        table.cols.fileOffset[r] = i === 2 ? 2 ** 33 : 24 * i;
        table.cols.payloadLen[r] = i === 1 ? 70000 : 0;
      });
    };
    const conns = [1, 0, 1, 1, 0, 2, 1, 0, 2, 1, 1, 0, 0, 1, 0, 2, 2, 1, 0, 1, 0];
    const given = new PacketTable(16);
    fill(given, conns);
    const counted = new PacketTable(16);
    fill(counted, conns);
    const a = given.grouped(3, [8, 9, 4]);
    const b = counted.grouped(3, [1, 1, 1]);
    expect(Array.from(a.connStart)).toEqual([0, 8, 17, 21]);
    expect(Array.from(b.connStart)).toEqual([0, 8, 17, 21]);
    expect(Array.from(a.packets.frame)).toEqual(Array.from(b.packets.frame));
    // Values past 32 and 16 bits on the first page (noted when the page filled) keep their width.
    expect(a.packets.fileOffset).toBeInstanceOf(Float64Array);
    expect(a.packets.fileOffset[a.packets.frame.indexOf(3)]).toBe(2 ** 33);
    expect(a.packets.payloadLen).toBeInstanceOf(Uint32Array);
    expect(a.packets.payloadLen[a.packets.frame.indexOf(2)]).toBe(70000);
  });
});

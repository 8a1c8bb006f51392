import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { analyze } from './analyze.ts';
import { bytesSource } from './capture/source.ts';
import { readFrameDetail } from './frame-detail.ts';
import { flagText } from './model/flags.ts';
import { interfaceOf } from './model/packet-table.ts';
import { readTestdata } from '../../test/support/captures.ts';

describe('frame detail read back from the file', () => {
  it('decodes the RST of a real capture from its recorded offset, plain and gzip', async () => {
    const bytes = readTestdata('lab', 'refused.pcap');
    for (const source of [bytesSource('refused.pcap', bytes), bytesSource('refused.pcap.gz', new Uint8Array(gzipSync(bytes)))]) {
      const { report, packets, connections } = await analyze(source);
      const row = Array.from(packets.frame).indexOf(2);
      const detail = await readFrameDetail(source, packets.fileOffset[row]!, 2, report.interfaces[interfaceOf(packets, row)]!.linkType);
      const tcp = detail.layers.find((l) => l.name === 'Transmission Control Protocol');
      expect(tcp?.fields.find((f) => f.name === 'Flags')?.value).toBe('0x014 (RST, ACK)');
      expect(detail.layers[0]?.name).toBe('Ethernet II');
      const ip = detail.layers.find((l) => l.name.startsWith('Internet Protocol'));
      expect(ip?.fields.find((f) => f.name === 'Source')?.value).toBe(connections.get(0).server.ip);
    }
  });

  it('names flags in Wireshark order', () => {
    expect(flagText(0x012)).toBe('SYN, ACK');
    expect(flagText(0x019)).toBe('FIN, PSH, ACK');
    expect(flagText(0xf14)).toBe('RST, ACK, AE, Reserved');
  });
});

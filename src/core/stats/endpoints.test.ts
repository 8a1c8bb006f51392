import { describe, expect, it } from 'vitest';
import { analyzeBytes } from '../../../test/support/captures.ts';
import { mergeFrames, tcpConversation, toPcap } from '../../../test/synth/index.ts';
import { endpointScenarios, endpointTable, hostFilter, selectEndpointRows, tableEndpointSource, type EndpointTable } from './endpoints.ts';

/** A host's row as one readable line. */
function line(t: EndpointTable, h: number): string {
  const scenarios = endpointScenarios(t, h)
    .map((s) => `${s.scenario}:${s.sent}/${s.received}`)
    .join(' ');
  return [
    t.addresses[h],
    `conn ${t.asClient[h]}c/${t.asServer[h]}s`,
    `rst ${t.resetsSent[h]}>/${t.resetsReceived[h]}<`,
    `pkts ${t.packetsSent[h]}>/${t.packetsReceived[h]}<`,
    `bytes ${t.bytesSent[h]}>/${t.bytesReceived[h]}<`,
    scenarios,
  ]
    .join(' ')
    .trim();
}

async function table(): Promise<EndpointTable> {
  // 10.0.0.1 fetches a page from 10.0.0.2 (which then aborts), and is refused twice by 10.0.0.3;
  // 10.0.0.3 also talks to 2001:db8::9 as a client.
  const a = tcpConversation({ client: '10.0.0.1:40000', server: '10.0.0.2:80' });
  a.handshake().clientSends('GET / HTTP/1.1\r\n\r\n').serverSends('partial').rst('server');
  const b = tcpConversation({ client: '10.0.0.1:40001', server: '10.0.0.3:22', start: 1_700_000_001 });
  b.refuse();
  const c = tcpConversation({ client: '10.0.0.1:40002', server: '10.0.0.3:23', start: 1_700_000_002 });
  c.refuse();
  const d = tcpConversation({ client: '[2001:db8::3]:50000', server: '[2001:db8::9]:443', start: 1_700_000_003 });
  d.handshake().close();
  const result = await analyzeBytes('endpoints.pcap', toPcap(mergeFrames(a, b, c, d)));
  return endpointTable(tableEndpointSource(result.connections));
}

describe('endpointTable', () => {
  it('counts per host its connections by role, resets by scenario each way, packets and bytes', async () => {
    const t = await table();
    const scenario = (address: string) => endpointScenarios(t, t.addresses.indexOf(address));
    expect(t.count).toBe(5);
    // Every packet and byte is sent by one host and received by another.
    const sum = (a: Float64Array) => a.reduce((x, y) => x + y, 0);
    expect(sum(t.packetsSent)).toBe(sum(t.packetsReceived));
    expect(sum(t.bytesSent)).toBe(sum(t.bytesReceived));
    expect(sum(t.resetsSent)).toBe(3);
    const client = line(t, t.addresses.indexOf('10.0.0.1'));
    expect(client).toMatch(/^10\.0\.0\.1 conn 3c\/0s rst 0>\/3< pkts 5>\/5< bytes 18>\/7< /);
    expect(scenario('10.0.0.3')).toEqual([{ scenario: 'refused', sent: 2, received: 0 }]);
    expect(scenario('10.0.0.1').map((s) => s.scenario)).toContain('refused');
    expect(scenario('10.0.0.1').find((s) => s.scenario === 'refused')).toEqual({ scenario: 'refused', sent: 0, received: 2 });
    expect(line(t, t.addresses.indexOf('2001:db8::9'))).toBe('2001:db8::9 conn 0c/1s rst 0>/0< pkts 2>/4< bytes 0>/0<');
  });

  it('sorts by any column both ways, ties by address, and filters by address text', async () => {
    const t = await table();
    const names = (rows: Uint32Array) => [...rows].map((h) => t.addresses[h]);
    expect(names(selectEndpointRows(t, '', null, false))).toEqual(['10.0.0.1', '10.0.0.3', '10.0.0.2', '2001:db8::3', '2001:db8::9']);
    expect(names(selectEndpointRows(t, '', 'address', true))).toEqual(['2001:db8::9', '2001:db8::3', '10.0.0.3', '10.0.0.2', '10.0.0.1']);
    expect(names(selectEndpointRows(t, '', 'asServer', true))).toEqual(['10.0.0.3', '10.0.0.2', '2001:db8::9', '10.0.0.1', '2001:db8::3']);
    expect(names(selectEndpointRows(t, '', 'resetsSent', false)).slice(-2)).toEqual(['10.0.0.2', '10.0.0.3']);
    expect(names(selectEndpointRows(t, ' 2001:DB8 ', 'address', false))).toEqual(['2001:db8::3', '2001:db8::9']);
    expect(names(selectEndpointRows(t, '10.0 .3', null, false))).toEqual(['10.0.0.3']);
  });

  it('gives the filter that keeps a host', () => {
    expect(hostFilter('10.0.0.1')).toBe('ip.addr == 10.0.0.1');
    expect(hostFilter('2001:db8::1')).toBe('ipv6.addr == 2001:db8::1');
  });
});

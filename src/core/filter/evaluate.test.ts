import { describe, expect, it } from 'vitest';
import { compileFilter, type FilterSource } from './evaluate.ts';
import { completeFilter } from './complete.ts';
import { looksLikeFilter } from './index.ts';
import { parseFilter } from './parse.ts';
import { EXPERT_SERVER_SHIFT, expertKindCode, type ExpertKind } from '../expert/expert.ts';

interface Fake {
  client: string;
  cport: number;
  server: string;
  sport: number;
  /** Packets each side sent, and RSTs among them. */
  sent: [number, number];
  rsts?: [number, number];
  state?: string;
  history?: string;
  bytes?: number;
  duration?: number;
  rtt?: number | null;
  resets?: { scenario: string; severity: string }[];
  name?: string;
  /** Expert kind ids each side's packets have. */
  expert?: [ExpertKind[], ExpertKind[]];
}

const maskOf = ([client, server]: [ExpertKind[], ExpertKind[]]): number =>
  (client.reduce((m, k) => m | (1 << expertKindCode(k)), 0) | (server.reduce((m, k) => m | (1 << expertKindCode(k)), 0) << EXPERT_SERVER_SHIFT)) >>> 0;

function source(conns: Fake[]): FilterSource {
  const addresses: string[] = [];
  const at = (a: string): number => (addresses.includes(a) ? addresses.indexOf(a) : addresses.push(a) - 1);
  const idx = conns.map((c) => [at(c.client), at(c.server)] as const);
  return {
    count: conns.length,
    addresses,
    clientAddress: (id) => idx[id]![0],
    serverAddress: (id) => idx[id]![1],
    clientPort: (id) => conns[id]!.cport,
    serverPort: (id) => conns[id]!.sport,
    sentPackets: (id, c) => conns[id]!.sent[c ? 0 : 1],
    sentResets: (id, c) => conns[id]!.rsts?.[c ? 0 : 1] ?? 0,
    state: (id) => conns[id]!.state ?? 'SF',
    history: (id) => conns[id]!.history ?? 'ShADadFf',
    bytes: (id) => conns[id]!.bytes ?? 0,
    packets: (id) => conns[id]!.sent[0] + conns[id]!.sent[1],
    duration: (id) => conns[id]!.duration ?? 0,
    rtt: (id) => conns[id]!.rtt ?? null,
    resetCount: (id) => conns[id]!.resets?.length ?? 0,
    resetScenario: (id, k) => conns[id]!.resets![k]!.scenario,
    resetSeverity: (id, k) => conns[id]!.resets![k]!.severity,
    serverName: (id) => conns[id]!.name ?? null,
    expertKinds: (id) => maskOf(conns[id]!.expert ?? [[], []]),
  };
}

const CONNS: Fake[] = [
  // 0: a normal exchange, client 10.0.0.1 to a web server
  { client: '10.0.0.1', cport: 40000, server: '10.0.1.80', sport: 80, sent: [5, 4], bytes: 900, duration: 0.5, rtt: 0.002, name: 'www.example.com' },
  // 1: refused: the server only sent a RST
  { client: '10.0.0.2', cport: 40001, server: '10.0.1.80', sport: 8000, sent: [1, 1], rsts: [0, 1], state: 'REJ', history: 'Sr', resets: [{ scenario: 'refused', severity: 'problem' }] },
  // 2: a SYN nobody answered: the server sent nothing
  { client: '10.0.0.3', cport: 40002, server: '10.0.1.22', sport: 22, sent: [3, 0], state: 'S0', history: 'S' },
  // 3: IPv6, the client aborted with two resets of different scenarios
  { client: '2001:db8::1', cport: 50000, server: '2001:db8::443', sport: 443, sent: [6, 5], rsts: [2, 0], state: 'RSTO', resets: [{ scenario: 'abort', severity: 'problem' }, { scenario: 'injected', severity: 'suspicious' }], duration: 12, rtt: 0.05, name: 'mail.example.org' },
];

function matches(expr: string, conns: Fake[] = CONNS): number[] {
  const r = parseFilter(expr);
  if (!r.ok) throw new Error(`${expr}: ${r.error.message}`);
  const keep = compileFilter(r.expr, source(conns));
  return conns.map((_, i) => i).filter((i) => keep(i));
}

describe('compileFilter', () => {
  it('matches addresses on either side with ip.addr, CIDR blocks included', () => {
    expect(matches('ip.addr == 10.0.1.80')).toEqual([0, 1]);
    expect(matches('ip.addr == 10.0.0.0/24')).toEqual([0, 1, 2]);
    expect(matches('ip.addr != 10.0.1.80')).toEqual([2]); // IPv6 has no ip.addr: false, as in Wireshark
    expect(matches('!(ip.addr == 10.0.1.80)')).toEqual([2, 3]);
    expect(matches('ipv6.addr == 2001:db8::/32')).toEqual([3]);
    expect(matches('ip')).toEqual([0, 1, 2]);
    expect(matches('ipv6')).toEqual([3]);
    // Each relation may hold for a different one of the two addresses, as in Wireshark.
    expect(matches('ip.addr > 10.0.0.2 and ip.addr < 10.0.1.0')).toEqual([0, 1, 2]);
    expect(matches('ip.src > 10.0.0.2 and ip.src < 10.0.1.0')).toEqual([2]);
  });

  it('takes src and dst from the packets each side sent', () => {
    // The client of 2 sent, its server did not: 10.0.1.22 is a destination only.
    expect(matches('ip.src == 10.0.1.22')).toEqual([]);
    expect(matches('ip.dst == 10.0.1.22')).toEqual([2]);
    expect(matches('ip.src == 10.0.1.80')).toEqual([0, 1]);
    expect(matches('tcp.srcport == 22')).toEqual([]);
    expect(matches('tcp.dstport == 22')).toEqual([2]);
    expect(matches('tcp.srcport == 40002')).toEqual([2]);
  });

  it('holds a packet field and the others to the same packet', () => {
    // 1's RST came from the server: no RST from its client.
    expect(matches('tcp.flags.reset == 1')).toEqual([1, 3]);
    expect(matches('tcp.flags.reset == 1 and ip.src == 10.0.0.2')).toEqual([]);
    expect(matches('tcp.flags.reset == 1 and ip.src == 10.0.1.80')).toEqual([1]);
    expect(matches('tcp.flags.reset == 1 and tcp.srcport == 8000')).toEqual([1]);
    // Every connection has a packet without RST.
    expect(matches('tcp.flags.reset == 0')).toEqual([0, 1, 2, 3]);
    expect(matches('not tcp.flags.reset == 1')).toEqual([0, 1, 2, 3]);
    expect(matches('tcp.flags.reset')).toEqual([0, 1, 2, 3]);
  });

  it('compares ports, sets and ranges, and the stream number', () => {
    expect(matches('tcp.port == 80')).toEqual([0]);
    expect(matches('tcp.port in {22 443}')).toEqual([2, 3]);
    expect(matches('tcp.port in {7000..8000}')).toEqual([1]);
    expect(matches('tcp.port != 80')).toEqual([1, 2, 3]);
    expect(matches('tcp.port !== 80')).toEqual([0, 1, 2, 3]); // any value differs: 0's client port does
    expect(matches('tcp.stream == 2 or tcp.stream eq 0')).toEqual([0, 2]);
    expect(matches('tcp.stream >= 2')).toEqual([2, 3]);
  });

  it("matches a connection's resets by scenario and severity, each relation over all of them", () => {
    expect(matches('rst.scenario == refused')).toEqual([1]);
    expect(matches('rst.scenario == injected')).toEqual([3]);
    expect(matches('rst.scenario != abort')).toEqual([1]); // none is abort; no resets: false
    expect(matches('not rst.scenario == abort')).toEqual([0, 1, 2]);
    expect(matches('rst.severity == suspicious')).toEqual([3]);
    expect(matches('rst.scenario')).toEqual([1, 3]);
    expect(matches('rst.count >= 2')).toEqual([3]);
    expect(matches('rst.count == 0')).toEqual([0, 2]);
  });

  it('reads the connection fields', () => {
    expect(matches('conn.state == REJ')).toEqual([1]);
    expect(matches('conn.state in {S0 REJ}')).toEqual([1, 2]);
    expect(matches('conn.history contains "r"')).toEqual([1]);
    expect(matches('conn.history matches "^s$"')).toEqual([2]); // matches is caseless, as in Wireshark
    expect(matches('conn.history == "S"')).toEqual([2]);
    expect(matches('conn.bytes > 100')).toEqual([0]);
    expect(matches('conn.packets <= 2')).toEqual([1]);
    expect(matches('conn.duration >= 10')).toEqual([3]);
    expect(matches('conn.rtt > 0.01')).toEqual([3]);
    expect(matches('conn.rtt')).toEqual([0, 3]);
    expect(matches('conn.service == http')).toEqual([0]);
    expect(matches('conn.service in {ssh https}')).toEqual([2, 3]);
    expect(matches('conn.service')).toEqual([0, 2, 3]);
    expect(matches('conn.name == "www.example.com"')).toEqual([0]);
    expect(matches('conn.name contains "example"')).toEqual([0, 3]);
    expect(matches('conn.name')).toEqual([0, 3]);
    expect(matches('!conn.name')).toEqual([1, 2]);
  });
});

describe('looksLikeFilter', () => {
  it('tells expressions from search words', () => {
    for (const e of ['tcp.port==80', 'ip.addr == 10.0.0.1', 'rst.scenario', 'conn.state == REJ', 'tcp', '!ip', 'udp.port == 53', 'a == b']) expect(looksLikeFilter(e), e).toBe(true);
    for (const w of ['10.99.2.0/24', 'refused', '8080', '10.0.0.1:80', 'fe80::1', '']) expect(looksLikeFilter(w), w).toBe(false);
  });
});

describe('the tcp.analysis fields', () => {
  const EXPERT: Fake[] = [
    // 0: the client retransmitted after a timeout, the server sent duplicate ACKs
    { ...CONNS[0]!, expert: [['syn', 'retransmission'], ['syn-ack', 'duplicate-ack']] },
    // 1: the server's segment was a fast retransmission; its RST came outside the window
    { ...CONNS[1]!, expert: [['syn'], ['fast-retransmission', 'reset', 'out-of-window']] },
    // 2: nothing but its SYNs
    { ...CONNS[2]!, expert: [['syn'], []] },
    // 3: a zero window from the server, a keep-alive from the client, a capture gap
    { ...CONNS[3]!, expert: [['keep-alive', 'lost-segment'], ['zero-window', 'acked-unseen']] },
  ];
  const m = (expr: string) => matches(expr, EXPERT);

  it('keeps, for a bare field, the connections with a packet of that kind', () => {
    expect(m('tcp.analysis.retransmission')).toEqual([0, 1]); // every retransmission, as Wireshark's field
    expect(m('tcp.analysis.fast_retransmission')).toEqual([1]);
    expect(m('tcp.analysis.spurious_retransmission')).toEqual([]);
    expect(m('tcp.analysis.duplicate_ack')).toEqual([0]);
    expect(m('tcp.analysis.zero_window')).toEqual([3]);
    expect(m('tcp.analysis.keep_alive')).toEqual([3]);
    expect(m('tcp.analysis.lost_segment')).toEqual([3]);
    expect(m('tcp.analysis.ack_lost_segment')).toEqual([3]);
    expect(m('tcp.analysis.window_full')).toEqual([]);
    // Any analysis mark: not the connection events, nor our own out-of-window.
    expect(m('tcp.analysis.flags')).toEqual([0, 1, 3]);
  });

  it('holds the field and the address to the same direction, as tshark does per packet', () => {
    expect(m('tcp.analysis.zero_window && ipv6.src == 2001:db8::443')).toEqual([3]);
    expect(m('tcp.analysis.zero_window && ipv6.src == 2001:db8::1')).toEqual([]);
    expect(m('tcp.analysis.retransmission and tcp.srcport == 80')).toEqual([]);
    expect(m('tcp.analysis.retransmission and tcp.srcport == 8000')).toEqual([1]);
    expect(m('tcp.analysis.flags and ip.dst == 10.0.1.80')).toEqual([0]);
  });

  it('negates per packet as tshark does, and per connection with conn.expert', () => {
    // Some packet of 0 (the server's) is no retransmission: tshark keeps it too.
    expect(m('!tcp.analysis.retransmission')).toEqual([0, 1, 2, 3]);
    // The connections with none at all.
    expect(m('!(conn.expert == retransmission or conn.expert == fast-retransmission)')).toEqual([2, 3]);
    expect(m('conn.expert != zero-window')).toEqual([0, 1, 2]);
    expect(m('conn.expert == out-of-window')).toEqual([1]);
    expect(m('conn.expert in {keep-alive duplicate-ack}')).toEqual([0, 3]);
  });

  it('matches nothing where the kinds were not computed', () => {
    const bare = CONNS.map((c) => ({ ...c }));
    expect(matches('tcp.analysis.flags', bare)).toEqual([]);
    const r = parseFilter('tcp.analysis.flags');
    if (!r.ok) throw new Error(r.error.message);
    const { expertKinds: _, ...without } = source(EXPERT);
    const keep = compileFilter(r.expr, without);
    expect([0, 1, 2, 3].filter(keep)).toEqual([]);
  });

  it('takes no value, as Wireshark\'s FT_NONE fields', () => {
    for (const bad of ['tcp.analysis.retransmission == 1', 'tcp.analysis.flags in {1}', 'tcp.analysis.zero_window > 0']) {
      const r = parseFilter(bad);
      expect(r.ok, bad).toBe(false);
      if (!r.ok) expect(r.error.message).toMatch(/marks packets and has no value/);
    }
    expect(parseFilter('tcp.analysis.retransmision').ok).toBe(false);
    const r = parseFilter('conn.expert == retransmision');
    expect(!r.ok && r.error.message).toMatch(/did you mean retransmission/);
  });

  it('is offered by completion, with "and"/"or" after it rather than a comparison', () => {
    const names = completeFilter('tcp.analysis.', 13, 100).items.map((i) => i.label);
    expect(names).toEqual([
      'tcp.analysis.lost_segment',
      'tcp.analysis.ack_lost_segment',
      'tcp.analysis.out_of_order',
      'tcp.analysis.zero_window',
      'tcp.analysis.window_full',
      'tcp.analysis.retransmission',
      'tcp.analysis.fast_retransmission',
      'tcp.analysis.spurious_retransmission',
      'tcp.analysis.duplicate_ack',
      'tcp.analysis.keep_alive',
      'tcp.analysis.flags',
    ]);
    expect(completeFilter('tcp.analysis.z', 14).items.map((i) => i.label)).toEqual(['tcp.analysis.zero_window']);
    expect(completeFilter('tcp.analysis.zero_window a', 26).items.map((i) => i.label)).toEqual(['and']);
    expect(completeFilter('tcp.analysis.zero_window ', 25).items).toEqual([]);
    expect(completeFilter('conn.expert == dup', 18).items.map((i) => i.label)).toEqual(['duplicate-ack']);
    expect(looksLikeFilter('tcp.analysis.flags')).toBe(true);
  });
});

describe('completeFilter', () => {
  const labels = (input: string, cursor = input.length): string[] => completeFilter(input, cursor).items.map((i) => i.label);

  it('offers field names where a field may come', () => {
    expect(labels('tcp.s')).toEqual(['tcp.srcport', 'tcp.stream']);
    expect(labels('ip.addr == 10.0.0.1 and conn.r')).toEqual(['conn.rtt']);
    expect(labels('(rst.')).toEqual(['rst.scenario', 'rst.severity', 'rst.count']);
    expect(completeFilter('x and tcp.s', 11)).toMatchObject({ from: 6, to: 11 });
  });

  it('offers the values of a field after its comparison and in its set', () => {
    expect(labels('rst.scenario == re')).toEqual(['refused', 'retransmission-timeout']);
    expect(labels('rst.severity eq ')).toEqual(['normal', 'problem', 'suspicious']);
    expect(labels('conn.state in {S0 RST')).toEqual(['RSTO', 'RSTR', 'RSTOS0', 'RSTRH']);
    expect(labels('tcp.port == ')).toEqual([]);
  });

  it('offers comparisons after a field and joiners after a value', () => {
    expect(labels('tcp.port ')).toContain('==');
    expect(labels('tcp.port == 80 a')).toEqual(['and']);
  });

  it('completes the word under the cursor, not only at the end', () => {
    const c = completeFilter('rst.sce == refused', 7);
    expect(c).toMatchObject({ from: 0, to: 7 });
    expect(c.items.map((i) => i.label)).toEqual(['rst.scenario']);
  });
});

describe('readFilterInput', () => {
  it('sorts the box into empty, search, expression and invalid', async () => {
    const { readFilterInput } = await import('./index.ts');
    expect(readFilterInput('  ').kind).toBe('empty');
    expect(readFilterInput('10.0.0.1').kind).toBe('search');
    expect(readFilterInput('tcp.port == 80').kind).toBe('expression');
    expect(readFilterInput('tcp.port == ')).toMatchObject({ kind: 'invalid', error: { offset: 12 } });
  });

  it('reads a scenario id, a CIDR block and "port N" as the expressions they stand for', async () => {
    const { readFilterInput } = await import('./index.ts');
    expect(readFilterInput('refused')).toMatchObject({ kind: 'expression', shorthand: 'rst.scenario == refused' });
    expect(readFilterInput(' Port-Scan ')).toMatchObject({ kind: 'expression', shorthand: 'rst.scenario == port-scan' });
    expect(readFilterInput('10.99.2.0/24')).toMatchObject({ kind: 'expression', shorthand: 'ip.addr == 10.99.2.0/24' });
    expect(readFilterInput('2001:db8::/32')).toMatchObject({ kind: 'expression', shorthand: 'ipv6.addr == 2001:db8::/32' });
    expect(readFilterInput('port 80')).toMatchObject({ kind: 'expression', shorthand: 'tcp.port == 80' });
    for (const search of ['port 70000', '10.99.2.0/33', 'refuse', '80', '10.0.0.1']) expect(readFilterInput(search).kind, search).toBe('search');
  });
});

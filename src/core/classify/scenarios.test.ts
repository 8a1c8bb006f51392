/**
 * One hand-built conversation per scenario that isolates its rule (test/synth), and one real
 * capture per scenario (test/captures/lab or ../shared/captures/public). `CASES` is a Record over every scenario
 * id, so a scenario without both tests does not compile.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AnalysisResult } from '../analyze-api.ts';
import { F, tcpConversation, type ConversationOptions, type TcpConversation } from '../../../test/synth/conversation.ts';
import { analyzeBytes, itWith, readTestdata } from '../../../test/support/captures.ts';
import { RULES } from './index.ts';
import { SCENARIO_IDS, type ScenarioId } from './scenarios.ts';
import { allVerdicts, analyzeConversations, evidenceText, onlyVerdict, verdictAt } from '../../../test/support/verdicts.ts';

const C = '10.0.0.1';
const S = '10.0.0.2';
const conv = (o: Partial<ConversationOptions> = {}): TcpConversation =>
  tcpConversation({ client: `${C}:40000`, server: `${S}:8080`, serverTtl: 58, rtt: 0.01, ...o });

/** A short request/response exchange, so the connection has a rhythm. */
function exchange(c: TcpConversation, rounds = 3): TcpConversation {
  for (let i = 0; i < rounds; i++) c.clientSends(`REQ ${i}\r\n`).serverSends(`RESP ${i}\r\n`).ack('client');
  return c;
}

interface Case {
  /** Builds the capture; returns the frame whose verdict is checked (default: the only RST). */
  hand: () => Promise<{ r: AnalysisResult; frame?: number }>;
  /** What the evidence must mention. */
  handEvidence?: string;
  real: { folder: 'lab' | 'public'; file: string; frames: number[] };
}

const CASES: Record<ScenarioId, Case> = {
  refused: {
    hand: async () => ({ r: await analyzeConversations(conv().syn().refuse()) }),
    handEvidence: 'ack = SYN seq + 1',
    real: { folder: 'public', file: 'zeek-pop3.pcap', frames: [2, 4, 6, 8, 10, 12] },
  },
  'firewall-reject': {
    // The server answers on 8080 with TTL 58; a RST for port 8081 arrives with TTL 62.
    hand: async () => {
      const ok = exchange(conv().handshake()).close();
      const blocked = conv({ client: `${C}:40001`, server: `${S}:8081`, start: 1_700_000_001 }).syn().refuse({ ttl: 62 });
      return { r: await analyzeConversations(ok, blocked) };
    },
    handEvidence: 'TTL 62 on this RST, 58',
    real: { folder: 'lab', file: 'firewall-reject.pcap', frames: [12] },
  },
  'port-scan': {
    hand: async () => {
      const probes = Array.from({ length: 12 }, (_, i) =>
        conv({ client: `${C}:${50000 + i}`, server: `${S}:${1000 + i}`, start: 1_700_000_000 + i * 0.01 }).syn().refuse(),
      );
      return { r: await analyzeConversations(...probes) };
    },
    handEvidence: 'scanned 12 ports',
    real: { folder: 'public', file: 'zeek-nmap-vsn.pcap', frames: [11, 80, 116, 152, 257, 478, 479, 480, 492] },
  },
  abort: {
    // The client uploads; the server resets without answering.
    hand: async () => ({ r: await analyzeConversations(conv().handshake().clientSends('x'.repeat(5000)).ack('server').rst('server', { delay: 0.05 })) }),
    handEvidence: 'got no reply',
    real: { folder: 'public', file: 'suricata-tcp-rst-unacked-data.pcap', frames: [75] },
  },
  'fast-close': {
    hand: async () => ({
      r: await analyzeConversations(conv().handshake().clientSends('GET / HTTP/1.1\r\n\r\n').serverSends(`HTTP/1.1 200 OK\r\n\r\n${'y'.repeat(3000)}`).ack('client').rst('server', { delay: 0.1 })),
    }),
    handEvidence: 'last data',
    real: { folder: 'lab', file: 'fast-close.pcap', frames: [12] },
  },
  'data-after-close': {
    hand: async () => ({
      r: await analyzeConversations(conv().handshake().clientSends('LIST\r\n').ack('server').fin('client').ack('server').serverSends('150 Here it comes\r\n', { delay: 0.3 }).rst('client', { noState: true })),
    }),
    handEvidence: 'after that FIN',
    real: { folder: 'public', file: 'suricata-ftp-quit-rst.pcap', frames: [7] },
  },
  stale: {
    hand: async () => ({ r: await analyzeConversations(exchange(conv().handshake()).idle(30).clientSends('STATUS\r\n').rst('server', { noState: true })) }),
    handEvidence: 'no record of the connection',
    real: { folder: 'lab', file: 'stale.pcap', frames: [9] },
  },
  unexpected: {
    // A SYN-ACK for a connection the client never opened (backscatter).
    hand: async () => {
      const c = conv();
      c.segment('server', { flags: F.SYN | F.ACK, seq: 777, ack: 123456 }).rst('client', { noState: true });
      return { r: await analyzeConversations(c) };
    },
    handEvidence: 'sent nothing on this connection before',
    real: { folder: 'public', file: 'suricata-no-3whs-rst.pcap', frames: [2, 4] },
  },
  'idle-timeout': {
    hand: async () => ({ r: await analyzeConversations(exchange(conv().handshake()).idle(120).rst('server')) }),
    handEvidence: 'silence of 2 min',
    real: { folder: 'lab', file: 'idle-timeout.pcap', frames: [12] },
  },
  'retransmission-timeout': {
    hand: async () => ({
      r: await analyzeConversations(exchange(conv().handshake(), 1).clientSends('lost data', { delivered: false }).retransmit('client', { times: 4, delivered: false }).rst('client', { delay: 2 })),
    }),
    handEvidence: '4 retransmissions',
    real: { folder: 'lab', file: 'retransmission-timeout.pcap', frames: [14] },
  },
  'rst-not-received': {
    hand: async () => {
      const c = conv().handshake().clientSends('GET /big\r\n').serverSends('z'.repeat(1000)).ack('client');
      c.rst('client', { delivered: false });
      for (let i = 0; i < 5; i++) c.serverSends('z'.repeat(1000)).rst('client', { noState: true, delivered: false });
      return { r: await analyzeConversations(c), frame: c.frames.find((f) => f.flags & F.RST)!.number };
    },
    handEvidence: 'kept sending',
    real: { folder: 'lab', file: 'rst-not-received.pcap', frames: [66, 68, 160] },
  },
  injected: {
    // In-window RST,ACK with the wrong TTL and an IP ID off the server's counter, into an idle connection.
    hand: async () => ({ r: await analyzeConversations(exchange(conv().handshake()).idle(3).rst('server', { ttl: 50, ipId: 0x1234 })) }),
    handEvidence: 'TTL 50 on this RST, 58',
    real: { folder: 'public', file: 'zeek-teredo.pcap', frames: [50, 51, 78] },
  },
  'out-of-window': {
    hand: async () => ({ r: await analyzeConversations(exchange(conv().handshake()).rst('server', { seqOffset: 50_000_000, ack: false }).close('client')) }),
    handEvidence: 'outside the window',
    real: { folder: 'lab', file: 'out-of-window.pcap', frames: [8] },
  },
  overload: {
    // Two accepted connections reset in one burst while ten SYNs to the same port go unanswered.
    hand: async () => {
      const a = conv({ client: `${C}:41000` }).handshake().clientSends('hi').ack('server');
      const b = conv({ client: `${C}:41001`, start: 1_700_000_000.001 }).handshake().clientSends('hi').ack('server');
      const waiting = Array.from({ length: 10 }, (_, i) => conv({ client: `${C}:${42000 + i}`, start: 1_700_000_000.002 + i * 0.001 }).syn());
      a.idle(3).rst('server');
      b.idle(3).rst('server');
      return { r: await analyzeConversations(a, b, ...waiting), frame: undefined };
    },
    handEvidence: 'got no answer at all',
    real: { folder: 'lab', file: 'overload.pcap', frames: [91, 92] },
  },
  'app-error': {
    hand: async () => ({
      r: await analyzeConversations(conv().handshake().clientSends('GET / HTTP/1.1\r\n\r\n').serverSends('HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n').ack('client').rst('server', { delay: 0.02 })),
    }),
    handEvidence: 'HTTP/1.1 503',
    real: { folder: 'lab', file: 'app-error.pcap', frames: [8] },
  },
  unknown: {
    // A lone RST: nothing else of its connection is in the capture.
    hand: async () => ({ r: await analyzeConversations(conv().rst('client')) }),
    handEvidence: 'no other packet of this connection',
    real: { folder: 'public', file: 'zeek-tcp-single-rst.pcap', frames: [1] },
  },
};

describe('every scenario: a hand-built conversation isolating its rule, and a real capture', () => {
  for (const id of SCENARIO_IDS) {
    const k = CASES[id];
    describe(id, () => {
      it('hand-built', async () => {
        const { r, frame } = await k.hand();
        const v = frame === undefined ? allVerdicts(r)[0]! : verdictAt(r, frame);
        if (frame === undefined && id !== 'overload' && id !== 'port-scan') expect(allVerdicts(r)).toHaveLength(1);
        expect(v.scenario, evidenceText(v)).toBe(id);
        expect(v.evidence.length).toBeGreaterThan(0);
        if (k.handEvidence) expect(evidenceText(v)).toContain(k.handEvidence);
        if (id === 'overload' || id === 'port-scan') {
          expect(v.findings).toHaveLength(1);
          const f = r.report.findings.find((x) => x.id === v.findings[0]);
          expect(f?.kind).toBe(id);
          for (const w of allVerdicts(r)) expect(w.scenario).toBe(id);
        }
      });
      itWith(k.real.folder)(`real capture: ${k.real.folder}/${k.real.file}`, async () => {
        const r = await analyzeBytes(k.real.file, readTestdata(k.real.folder, k.real.file));
        for (const f of k.real.frames) {
          const v = verdictAt(r, f);
          expect(v.scenario, `frame ${f}\n${evidenceText(v)}`).toBe(id);
          expect(v.evidence.length).toBeGreaterThan(0);
        }
      });
    });
  }
});

describe('unknown is reached only when nothing fits', () => {
  it('a lone RST matches no rule at all, and says why', async () => {
    const r = await analyzeConversations(conv().rst('client'));
    const v = onlyVerdict(r);
    expect(v.scenario).toBe('unknown');
    expect(v.alternatives).toEqual([]);
    expect(evidenceText(v)).toContain('nothing shows what');
  });
  itWith('public')('a crafted SYN+RST+FIN segment is unknown and called crafted', async () => {
    const r = await analyzeBytes('tcpdump-tcp-all-flags.pcap', readTestdata('public', 'tcpdump-tcp-all-flags.pcap'));
    const v = onlyVerdict(r);
    expect(v.scenario).toBe('unknown');
    expect(evidenceText(v)).toContain('crafted');
  });
  it('every RST of the lab gets a scenario other than unknown', async () => {
    for (const file of ['abort.pcap', 'stale.pcap', 'unexpected.pcap', 'injected.pcap']) {
      const r = await analyzeBytes(file, readTestdata('lab', file));
      for (const v of allVerdicts(r)) expect(v.scenario).not.toBe('unknown');
    }
  });
});

describe('generalises beyond the lab', () => {
  it('IPv6, server-side capture: a refused connection and a fast close', async () => {
    const o = { client: '[2001:db8::1]:40000', server: '[2001:db8::2]:443', clientTtl: 57, serverTtl: 64, capturePoint: 'server' as const, rtt: 0.03 };
    const refusedConv = tcpConversation({ ...o, server: '[2001:db8::2]:444' }).syn().refuse();
    const fast = tcpConversation({ ...o, client: '[2001:db8::1]:40001', start: 1_700_000_001 });
    fast.handshake().clientSends('GET / HTTP/1.1\r\n\r\n').serverSends('HTTP/1.1 200 OK\r\n\r\nhello').ack('client').rst('server', { delay: 0.01 });
    const r = await analyzeConversations(refusedConv, fast);
    const vs = allVerdicts(r);
    expect(vs.map((v) => v.scenario)).toEqual(['refused', 'fast-close']);
    expect(vs[0]!.facts.sender.ip).toBe('2001:db8::2');
    expect(vs[0]!.facts.ipId).toBeNull();
    expect(r.report.summary.capturePoint).toContain('server side');
    expect(evidenceText(vs[1]!)).toContain("captured on the server's side");
  });
  it('the capture point is told from the handshake split when TTLs say nothing', async () => {
    const c = tcpConversation({ client: `${C}:40000`, server: `${S}:80`, clientTtl: 60, serverTtl: 61, capturePoint: 'client', rtt: 0.05 });
    exchange(c.handshake()).rst('server', { delay: 0.05 });
    const v = onlyVerdict(await analyzeConversations(c));
    expect(evidenceText(v)).toContain("probably captured on the client's side");
  });
  it('injected: the claimed sender carries on after "its" reset (same TTL, IP ID off its counter)', async () => {
    const c = exchange(conv().handshake()).rst('server', { ipId: 0x0042 }).serverSends('still here');
    const r = await analyzeConversations(c);
    const v = verdictAt(r, c.frames.find((f) => f.flags & F.RST)!.number);
    expect(v.scenario).toBe('injected');
    expect(evidenceText(v)).toContain('carried on');
  });
  it('firewall-reject from timing: the RST comes back far faster than the host ever answers a SYN', async () => {
    const ok = exchange(tcpConversation({ client: `${C}:40000`, server: `${S}:80`, rtt: 0.04, serverTtl: 64 }).handshake());
    const blocked = tcpConversation({ client: `${C}:40001`, server: `${S}:81`, rtt: 0.04, serverTtl: 64, start: 1_700_000_002 }).syn();
    blocked.rst('server', { noState: true, delay: 0.001 });
    const v = onlyVerdict(await analyzeConversations(ok, blocked));
    expect(v.scenario).toBe('firewall-reject');
    expect(evidenceText(v)).toContain('it came from nearer');
  });
  it('idle-timeout after keepalive probes', async () => {
    const c = exchange(conv().handshake()).idle(30).keepalive('client').ack('server').idle(30).keepalive('client').idle(1).rst('server');
    const v = onlyVerdict(await analyzeConversations(c));
    expect(v.scenario).toBe('idle-timeout');
    expect(evidenceText(v)).toContain('keepalive probe');
  });
  it('a follow-up reset for a late segment takes the first reset\'s scenario', async () => {
    const c = conv().handshake().clientSends('GET / HTTP/1.1\r\n\r\n').serverSends('HTTP/1.1 200 OK\r\n\r\nbye').ack('client').rst('server', { delay: 0.01 });
    c.ack('client', { delay: 0.001 }).rst('server', { noState: true });
    const vs = allVerdicts(await analyzeConversations(c));
    expect(vs.map((v) => v.scenario)).toEqual(['fast-close', 'fast-close']);
    expect(evidenceText(vs[1]!)).toContain('had already reset this connection');
  });
});

describe('report', () => {
  it('summary: counts, severities and one verdict sentence naming hosts', async () => {
    const fast = Array.from({ length: 3 }, (_, i) =>
      conv({ client: `${C}:${43000 + i}`, server: '93.184.216.34:443', start: 1_700_000_000 + i }).handshake().clientSends('q').serverSends('a').ack('client').rst('server', { delay: 0.01 }),
    );
    const ref = conv({ client: `${C}:44000`, server: '10.1.1.5:5432', start: 1_700_000_010 }).syn().refuse();
    const r = await analyzeConversations(...fast, ref);
    const s = r.report.summary;
    expect(s.resets).toBe(4);
    expect(s.byScenario).toEqual({ 'fast-close': 3, refused: 1 });
    expect(s.bySeverity).toEqual({ normal: 3, problem: 1, suspicious: 0 });
    expect(s.verdict).toBe('4 resets: 3 normal fast closes by 93.184.216.34:443, 1 refused connection to 10.1.1.5:5432 — is the service running?');
  });
  it('every verdict carries facts: relative seq/ack, RFC 5961 validity, TTL against the sender, timing', async () => {
    const r = await analyzeBytes('stale.pcap', readTestdata('lab', 'stale.pcap'));
    const v = onlyVerdict(r);
    expect(v.facts.seq).toBe(6);
    expect(v.facts.ack).toBeNull();
    expect(v.facts.seqValidity).toBe('exact');
    expect(v.facts.ttl).toBe(63);
    expect(v.facts.senderTtl).toEqual({ min: 63, max: 63, packets: 3 });
    expect(v.facts.sincePreviousPacket).toBeCloseTo(0.000063, 6);
    expect(v.reference).toContain('"Understanding TCP Resets" (2000), scenario 3');
    expect(v.explanation.split('. ').length).toBeGreaterThanOrEqual(2);
  });
  itWith('public')('a RST carrying text shows it', async () => {
    const r = await analyzeBytes('tcpdump-tcp-rst-diag-payload-null.pcap', readTestdata('public', 'tcpdump-tcp-rst-diag-payload-null.pcap'));
    const v = onlyVerdict(r);
    expect(v.facts.payloadLength).toBe(8);
    expect(evidenceText(v)).toContain('the RST carries 8 bytes');
  });
});

describe('PRECEDENCE.md', () => {
  it('lists the rules in the order the classifier applies them', () => {
    const md = readFileSync(join(import.meta.dirname, 'PRECEDENCE.md'), 'utf8');
    const order = [...md.matchAll(/^\| \d+ \| `([a-z-]+)`/gm)].map((m) => m[1]);
    expect(order).toEqual(['port-scan', 'overload', ...RULES.map((r) => r.id), 'unknown']);
    expect(new Set(order)).toEqual(new Set(SCENARIO_IDS));
  });
});

import { describe, expect, it } from 'vitest';
import { PacketMark, TcpFlag } from '../../core/model/types.ts';
import { makeConnection, makeDirection } from '../../../test/support/connections.ts';
import { makePackets, type PacketSpec } from '../../../test/support/packets.ts';
import {
  buildLadder,
  expandRun,
  findFrameRow,
  findRunContaining,
  formatFlags,
  ladderGeometry,
  type LadderRow,
  type RunRow,
} from './ladder-layout.ts';

const { SYN, ACK, PSH, FIN, RST } = TcpFlag;
const CISN = 1000;
const SISN = 0xfffffff0; // wraps: relative numbers must still come out small

/** A readable one-line dump per row, so a test reads like the diagram. */
function dump(rows: readonly LadderRow[]): string[] {
  return rows.map((r) => {
    if (r.kind === 'gap') return `gap ${r.seconds.toFixed(2)}s`;
    if (r.kind === 'run')
      return `run #${r.firstFrame}-#${r.lastFrame} data=${r.dataSegments} acks=${r.acks} bytes=${r.bytes} ${JSON.stringify(r.marks)}`;
    const arrow = r.fromClient ? 'C->S' : 'S->C';
    const ack = r.relAck === null ? '' : ` ack=${r.relAck}`;
    const marks = r.marks.length ? ` {${r.marks.join(',')}}` : '';
    return `#${r.frame} ${arrow} ${r.flagsLabel} seq=${r.relSeq}${ack} len=${r.len} t=${r.time.toFixed(3)}${r.rst ? ' RST' : ''}${marks}`;
  });
}

function conversation(dataSegments: number, gapBeforeReset = 0): PacketSpec[] {
  const p: PacketSpec[] = [
    { frame: 1, t: 0, fromClient: true, flags: SYN, seq: CISN },
    { frame: 2, t: 0.001, fromClient: false, flags: SYN | ACK, seq: SISN, ack: CISN + 1 },
    { frame: 3, t: 0.002, fromClient: true, flags: ACK, seq: CISN + 1, ack: SISN + 1 },
  ];
  let t = 0.002;
  for (let k = 0; k < dataSegments; k++) {
    t += 0.001;
    p.push({
      frame: p.length + 1,
      t,
      fromClient: false,
      flags: PSH | ACK,
      seq: SISN + 1 + k * 100,
      ack: CISN + 1,
      len: 100,
      marks: k === 5 ? PacketMark.retransmission : 0,
    });
  }
  p.push({
    frame: p.length + 1,
    t: t + 0.001 + gapBeforeReset,
    fromClient: true,
    flags: RST | ACK,
    seq: CISN + 1,
    ack: SISN + 1 + dataSegments * 100,
  });
  return p;
}

const conn = makeConnection(0, {
  dir: { client: makeDirection({ isn: CISN }), server: makeDirection({ isn: SISN }) },
  medianGap: 0.001,
});

describe('formatFlags', () => {
  it('spells flags as Wireshark does', () => {
    expect(formatFlags(SYN)).toBe('[SYN]');
    expect(formatFlags(SYN | ACK)).toBe('[SYN, ACK]');
    expect(formatFlags(PSH | ACK)).toBe('[PSH, ACK]');
    expect(formatFlags(FIN | PSH | ACK)).toBe('[FIN, PSH, ACK]');
    expect(formatFlags(RST)).toBe('[RST]');
    expect(formatFlags(0)).toBe('[<None>]');
  });
});

describe('buildLadder', () => {
  it('draws one arrow per packet with relative numbers', () => {
    const { packets, rows } = makePackets(conversation(2));
    expect(dump(buildLadder({ packets, rows, conn, keep: new Set(), expanded: new Map() }))).toEqual([
      '#1 C->S [SYN] seq=0 len=0 t=0.000',
      '#2 S->C [SYN, ACK] seq=0 ack=1 len=0 t=0.001',
      '#3 C->S [ACK] seq=1 ack=1 len=0 t=0.002',
      '#4 S->C [PSH, ACK] seq=1 ack=1 len=100 t=0.003',
      '#5 S->C [PSH, ACK] seq=101 ack=1 len=100 t=0.004',
      '#6 C->S [RST, ACK] seq=1 ack=201 len=0 t=0.005 RST',
    ]);
  });

  it('uses the first sequence seen when the handshake is missing', () => {
    const { packets, rows } = makePackets(conversation(1).slice(3));
    const noSyn = makeConnection(0, { medianGap: 0.001 });
    expect(dump(buildLadder({ packets, rows, conn: noSyn, keep: new Set(), expanded: new Map() }))).toEqual([
      '#4 S->C [PSH, ACK] seq=0 ack=0 len=100 t=0.000',
      '#5 C->S [RST, ACK] seq=0 ack=100 len=0 t=0.001 RST',
    ]);
  });

  it("writes the application's labels on their arrows and keeps a labelled frame out of a run", () => {
    const { packets, rows } = makePackets(conversation(20));
    const app = { protocol: 'http' as const, service: 'a.b', facts: {}, labels: [{ frame: 4, from: 'server' as const, text: '200 OK' }, { frame: 12, from: 'server' as const, text: 'Alert: unknown_ca' }] };
    const ladder = buildLadder({ packets, rows, conn: { ...conn, app }, keep: new Set(), expanded: new Map() });
    const arrows = ladder.filter((r) => r.kind === 'packet');
    expect(arrows.find((r) => r.frame === 4)?.app).toBe('200 OK');
    expect(arrows.find((r) => r.frame === 12)?.app).toBe('Alert: unknown_ca');
    expect(arrows.find((r) => r.frame === 5)?.app ?? null).toBeNull();
    expect(findFrameRow(ladder, 12)).toBeGreaterThan(0);
  });

  it('folds a long run of plain segments, keeping two on each side', () => {
    const { packets, rows } = makePackets(conversation(20));
    const ladder = buildLadder({ packets, rows, conn, keep: new Set(), expanded: new Map() });
    expect(dump(ladder)).toEqual([
      '#1 C->S [SYN] seq=0 len=0 t=0.000',
      '#2 S->C [SYN, ACK] seq=0 ack=1 len=0 t=0.001',
      // the handshake's last ACK is a plain segment too, so the run starts there
      '#3 C->S [ACK] seq=1 ack=1 len=0 t=0.002',
      '#4 S->C [PSH, ACK] seq=1 ack=1 len=100 t=0.003',
      'run #5-#21 data=17 acks=0 bytes=1700 {"retransmission":1}',
      '#22 S->C [PSH, ACK] seq=1801 ack=1 len=100 t=0.021',
      '#23 S->C [PSH, ACK] seq=1901 ack=1 len=100 t=0.022',
      '#24 C->S [RST, ACK] seq=1 ack=2001 len=0 t=0.023 RST',
    ]);
    const run = ladder.find((r): r is RunRow => r.kind === 'run')!;
    expect(run.seconds).toBeCloseTo(0.016, 6);
    expect(findFrameRow(ladder, 10)).toBe(-1);
    expect(findRunContaining(ladder, 10)).toBe(ladder.indexOf(run));
  });

  it('never folds a kept (cited) frame, and expands runs step by step', () => {
    const { packets, rows } = makePackets(conversation(40));
    const kept = buildLadder({ packets, rows, conn, keep: new Set([20]), expanded: new Map() });
    expect(findFrameRow(kept, 20)).toBeGreaterThan(0);

    const folded = buildLadder({ packets, rows, conn, keep: new Set(), expanded: new Map() });
    const run = folded.find((r): r is RunRow => r.kind === 'run')!;
    const once = expandRun(new Map(), run, 10);
    const more = buildLadder({ packets, rows, conn, keep: new Set(), expanded: once });
    expect(more.length).toBe(folded.length + 10);
    const rest = more.find((r): r is RunRow => r.kind === 'run')!;
    expect(rest.firstFrame).toBe(run.firstFrame + 10);
    const all = buildLadder({ packets, rows, conn, keep: new Set(), expanded: expandRun(once, rest, 1000) });
    expect(all.some((r) => r.kind === 'run')).toBe(false);
    expect(all.filter((r) => r.kind === 'packet')).toHaveLength(rows.length);
  });

  it('writes long silences as gap rows and does not fold across them', () => {
    const { packets, rows } = makePackets(conversation(2, 4));
    expect(dump(buildLadder({ packets, rows, conn, keep: new Set(), expanded: new Map() })).slice(-2)).toEqual([
      'gap 4.00s',
      '#6 C->S [RST, ACK] seq=1 ack=201 len=0 t=4.005 RST',
    ]);
  });
});

describe('ladderGeometry', () => {
  it('keeps both lifelines inside the width with room for labels', () => {
    for (const w of [300, 640, 1400]) {
      const g = ladderGeometry(w);
      expect(g.clientX).toBeGreaterThan(g.gutter);
      expect(g.serverX).toBeGreaterThan(g.clientX + 100);
      expect(g.serverX).toBeLessThanOrEqual(g.width - 40);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { PacketMark, TcpFlag, type FrameNumber } from '../../core/model/types.ts';
import { makeConnection, makeDirection } from '../../../test/support/connections.ts';
import { makePackets, type PacketSpec } from '../../../test/support/packets.ts';
import {
  buildLadder,
  expandRun,
  findFrameRow,
  findRunContaining,
  formatFlags,
  isTimeBreak,
  ladderGeometry,
  rowHeight,
  timeUnit,
  type LadderRow,
  type PacketRow,
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

describe('spaced by time', () => {
  /** A handshake, a burst of 6 segments 1 ms apart, a pause of 10 ms, 2 more, a long silence, the RST. */
  function paced(silence: number): PacketSpec[] {
    const times = [0, 0.01, 0.02, 0.021, 0.022, 0.023, 0.024, 0.025, 0.026, 0.036, 0.046, 0.046 + silence];
    return times.map((t, k) => ({
      frame: k + 1,
      t,
      fromClient: k % 2 === 0,
      flags: k === 0 ? SYN : k === 1 ? SYN | ACK : k === times.length - 1 ? RST : PSH | ACK,
      seq: k % 2 === 0 ? CISN + k : SISN + k,
      ack: CISN + 1,
      len: k > 2 && k < times.length - 1 ? 10 : 0,
    }));
  }
  const spaced = (specs: PacketSpec[], options = {}, keep: number[] = []) => {
    const { packets, rows } = makePackets(specs);
    const ladder = buildLadder({ packets, rows, conn, keep: new Set(keep as FrameNumber[]), expanded: new Map(), options: { spacing: 'time', ...options } });
    return { ladder, unit: timeUnit(packets, rows) };
  };

  it('gives each row room in proportion to the silence after it, a median silence being one row', () => {
    const { ladder, unit } = spaced(paced(200), { maxSpace: 20 });
    // Silences: 10, 10, 1, 1, 1, 1, 1, 1, 10, 10 ms and the long one: the median is 1 ms.
    expect(unit).toBeCloseTo(0.001, 9);
    const room = (frame: number) => ladder.find((r): r is PacketRow => r.kind === 'packet' && r.frame === frame)!.space;
    expect(room(1)).toBeCloseTo(10, 6);
    expect(room(4)).toBeCloseTo(1, 6);
    expect(room(10)).toBeCloseTo(10, 6);
  });

  it('compresses a long silence into a marked break with its length, and caps the room of short ones', () => {
    const { ladder } = spaced(paced(192));
    const breaks = ladder.flatMap((r, i) => (r.kind === 'gap' ? [{ i, seconds: r.seconds, compressed: r.compressed }] : []));
    // The 10 ms silences would take 10 rows: they take the most room (6 rows), and are no break.
    expect(breaks.map((b) => Number(b.seconds.toFixed(3)))).toEqual([192]);
    expect(breaks.every((b) => b.compressed)).toBe(true);
    expect(ladder.find((r): r is PacketRow => r.kind === 'packet' && r.frame === 1)!.space).toBe(6);
    const last = breaks.at(-1)!;
    const before = ladder[last.i - 1]!;
    expect(before.kind !== 'gap' && before.space).toBe(0);
    expect(ladder[last.i + 1]).toMatchObject({ kind: 'packet', frame: 12, rst: true });
    // Rows between breaks keep their room: the burst's 1 ms silences are one row each.
    const burst = ladder.find((r): r is PacketRow => r.kind === 'packet' && r.frame === 4)!;
    expect(burst.space).toBeCloseTo(1, 6);
    expect(rowHeight(burst, 42, 1)).toBe(84);
  });

  /** Packets `spacing` seconds apart (with the given extra pauses after some of them), SYN first, RST last. */
  function steady(count: number, spacing: number, pauses: Record<number, number> = {}): PacketSpec[] {
    let t = 0;
    return Array.from({ length: count }, (_, k) => {
      if (k > 0) t += pauses[k] ?? spacing;
      return {
        frame: k + 1,
        t,
        fromClient: k % 2 === 0,
        flags: k === 0 ? SYN : k === 1 ? SYN | ACK : k === count - 1 ? RST : PSH | ACK,
        seq: k % 2 === 0 ? CISN + k : SISN + k,
        ack: CISN + 1,
        len: k > 2 && k < count - 1 ? 10 : 0,
      };
    });
  }
  const breaksOf = (ladder: LadderRow[]) => ladder.flatMap((r) => (r.kind === 'gap' ? [Number(r.seconds.toFixed(3))] : []));

  it('shows no break in a chatty connection whose pauses last milliseconds', () => {
    // 1 ms apart, with pauses of 20 ms, 80 ms, 300 ms and 0.9 s: all far above the median, none a second.
    // (Frames 10, 40 and 45 kept in view, out of the folded runs.)
    const { ladder, unit } = spaced(steady(60, 0.001, { 10: 0.02, 20: 0.08, 30: 0.3, 40: 0.9 }), {}, [10, 40, 45]);
    expect(unit).toBeCloseTo(0.001, 9);
    expect(breaksOf(ladder)).toEqual([]);
    // The pauses still show as room, the most a silence takes.
    const room = (frame: number) => ladder.find((r): r is PacketRow => r.kind === 'packet' && r.frame === frame)?.space;
    expect(room(10)).toBe(6);
    expect(room(40)).toBe(6);
    expect(room(45)).toBeCloseTo(1, 6);
  });

  it('breaks the scale at a real 4 s silence, and says how long it was', () => {
    const { ladder } = spaced(steady(30, 0.01, { 20: 4 }));
    expect(breaksOf(ladder)).toEqual([4]);
    const at = ladder.findIndex((r) => r.kind === 'gap');
    expect(ladder[at - 1]).toMatchObject({ kind: 'packet', frame: 20, space: 0 });
    expect(ladder[at + 1]).toMatchObject({ kind: 'packet', frame: 21 });
  });

  it("keeps a slow connection's pace: 4 s is no break where packets come 2 s apart", () => {
    expect(breaksOf(spaced(steady(12, 2, { 6: 4 })).ladder)).toEqual([]);
    // The same silence among 0.3 s steps (more than ten of them) is one.
    expect(breaksOf(spaced(steady(12, 0.3, { 6: 4 })).ladder)).toEqual([4]);
  });

  it('breaks only where the silence is long both absolutely and for the connection', () => {
    expect(isTimeBreak(4, 0.01)).toBe(true);
    expect(isTimeBreak(0.9, 0.001)).toBe(false); // under a second
    expect(isTimeBreak(1, 0.001)).toBe(true);
    expect(isTimeBreak(4, 0.5)).toBe(false); // 8 typical silences
    expect(isTimeBreak(6, 0.5)).toBe(true);
    expect(isTimeBreak(2, 0.1, { minBreak: 1, gapFactor: 10, maxSpace: 30 })).toBe(false); // it fits the room allowed
  });

  it('never draws rows closer than evenly spaced ones, and a burst keeps that pitch', () => {
    const { ladder } = spaced([
      { frame: 1, t: 0, fromClient: true, flags: SYN, seq: CISN },
      { frame: 2, t: 0, fromClient: false, flags: SYN | ACK, seq: SISN, ack: CISN + 1 },
      { frame: 3, t: 0, fromClient: true, flags: RST, seq: CISN + 1 },
    ]);
    for (const row of ladder) {
      expect(row.kind !== 'gap' && row.space).toBe(0);
      expect(rowHeight(row, 42, 1.3)).toBe(Math.round(42 * 1.3));
    }
  });

  it('is off by default: evenly spaced rows take no room, and silences follow the even rule', () => {
    const { packets, rows } = makePackets(paced(200));
    const even = buildLadder({ packets, rows, conn, keep: new Set(), expanded: new Map() });
    expect(even.every((r) => r.kind === 'gap' || r.space === 0)).toBe(true);
    expect(even.filter((r) => r.kind === 'gap')).toEqual([{ kind: 'gap', key: 'g11', seconds: expect.closeTo(200, 6) as number, compressed: false }]);
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

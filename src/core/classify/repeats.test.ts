import { describe, expect, it } from 'vitest';
import { rstFloodPcap } from '../../../bench/rst-flood.ts';
import { analyze } from '../analyze.ts';
import { bytesSource } from '../capture/source.ts';
import { capturePath } from '../../../test/support/captures.ts';
import { FULL_VERDICTS_PER_RUN } from './repeats.ts';
import { readFileSync } from 'node:fs';

/** The flood capture: a handshake, a request (frames 1-4), then `n` identical RSTs from the server. */
const flood = (n: number) => analyze(bytesSource('flood.pcap', rstFloodPcap(n)));

describe('runs of identical resets', () => {
  it('gives the first RSTs of a run full verdicts and the rest a repeat of the last of them', async () => {
    const n = 5000;
    const r = await flood(n);
    const table = r.connections;
    expect(r.report.summary.resets).toBe(n);
    expect(table.resetCount(0)).toBe(n);
    const full = table.fullResetsOf(0);
    expect(full.map((v) => v.frame)).toEqual(Array.from({ length: FULL_VERDICTS_PER_RUN }, (_, i) => 5 + i));
    const all = table.resetsOf(0);
    // Every RST frame, in order, each with a scenario; the repeats point at the last full verdict.
    expect(all.map((v) => v.frame)).toEqual(Array.from({ length: n }, (_, i) => 5 + i));
    const last = full[full.length - 1]!;
    for (const v of all.slice(FULL_VERDICTS_PER_RUN)) {
      expect(v).toMatchObject({ repeatOf: last.frame, scenario: last.scenario, severity: last.severity, from: 'server', flags: 'RST' });
      expect(v.explanation).toBe(last.explanation);
    }
    expect(all[n - 1]!.time).toBeCloseTo(r.packets.timeNs[r.connStart[1]! - 1]! / 1e9, 9);
    expect([...table.eachReset(0)].map((v) => v.frame)).toEqual(all.map((v) => v.frame));
    expect(r.report.summary.byScenario).toEqual({ [last.scenario]: n });
  });

  it('leaves a run no longer than the full verdicts it gets as it was', async () => {
    const short = await flood(FULL_VERDICTS_PER_RUN);
    expect(short.connections.repeatedResetsOf(0)).toBeUndefined();
    expect(short.connections.resetsOf(0).every((v) => v.repeatOf === undefined)).toBe(true);
    // One RST more: only that one becomes a repeat, and the full verdicts before it do not change.
    const longer = await flood(FULL_VERDICTS_PER_RUN + 1);
    const resets = longer.connections.resetsOf(0);
    expect(resets.filter((v) => v.repeatOf !== undefined).map((v) => v.frame)).toEqual([5 + FULL_VERDICTS_PER_RUN]);
    expect(resets.slice(0, -1).map((v) => [v.frame, v.scenario, v.explanation])).toEqual(
      short.connections.resetsOf(0).map((v) => [v.frame, v.scenario, v.explanation]),
    );
  });

  it('summarises a side that keeps resetting while the other keeps sending, and still counts every reset', async () => {
    // Linux answering each of 47 segments with the same RST (lab capture, 48 RSTs in all).
    const r = await analyze(bytesSource('rst-not-received.pcap', new Uint8Array(readFileSync(capturePath('lab', 'rst-not-received.pcap')))));
    const id = r.connections.length - 1;
    const all = r.connections.resetsOf(id);
    expect(all).toHaveLength(48);
    expect(all.every((v) => v.scenario === 'rst-not-received')).toBe(true);
    const full = r.connections.fullResetsOf(id);
    expect(full).toHaveLength(FULL_VERDICTS_PER_RUN + 1);
    expect(all.filter((v) => v.repeatOf !== undefined).every((v) => v.repeatOf === full[full.length - 1]!.frame)).toBe(true);
    // The group the rule reads counts the repeats too.
    expect(full[1]!.evidence.map((e) => e.fact)).toContain('frames 66, 68, 70, 72, 74, ... 160 (48 in all): 48 resets from the same side');
  });
});

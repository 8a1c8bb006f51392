/**
 * Evidence is true of its frames (issue 12, item 4), on every capture we have: the lab captures in
 * the repository and the corpora beside it (../shared/captures/public and realworld, never copied
 * here). Every fact that cites a frame carries a claim (FrameClaim); the frame must exist, belong
 * to the verdict's connection (or to a connection of its host finding) and have what the claim
 * states: its sender, flags, payload and sequence relation. The words are checked too: no internal
 * finding ids, no file names or seed numbers in what a user reads, no "orderly FIN" of a sender
 * that had sent one.
 */
import { describe, expect } from 'vitest';
import type { AnalysisResult } from '../../src/core/analyze-api.ts';
import { isFromClient, tcpFlags } from '../../src/core/model/packet-table.ts';
import { TcpFlag, type Evidence, type ResetVerdict } from '../../src/core/model/types.ts';
import { analyzeBytes, capturesIn, itWith, readTestdata } from '../support/captures.ts';

/** Everything wrong with one capture's verdicts, as lines. */
function check(r: AnalysisResult): string[] {
  const bad: string[] = [];
  const cols = r.packets;
  const rowOf = new Map<number, number>();
  for (let row = 0; row < cols.frame.length; row++) rowOf.set(cols.frame[row]!, row);
  const connOf = new Int32Array(cols.frame.length);
  for (let id = 0; id < r.connections.length; id++) connOf.fill(id, r.connStart[id]!, r.connStart[id + 1]!);
  const findingConns = new Map(r.report.findings.map((f) => [f.id, new Set(f.connections)]));
  for (let id = 0; id < r.connections.length; id++) {
    for (const v of r.connections.resetsOf(id)) {
      const owners = new Set([id, ...v.findings.flatMap((f) => [...(findingConns.get(f) ?? [])])]);
      for (const e of v.evidence) {
        const why = checkFact(e, owners, rowOf, connOf, r);
        if (why) bad.push(`frame ${v.frame} (${v.scenario}): "${e.fact}" cites frame ${e.frame}: ${why}`);
        const gone = checkAbsence(e, id, r);
        if (gone) bad.push(`frame ${v.frame} (${v.scenario}): "${e.fact}": ${gone}`);
      }
      const words = checkWords(v, r, rowOf);
      if (words) bad.push(`frame ${v.frame} (${v.scenario}): ${words}`);
    }
  }
  for (const f of r.report.findings) {
    for (const other of r.report.findings) if (f.title.includes(other.id)) bad.push(`finding title names an id: ${f.title}`);
  }
  return bad;
}

function checkFact(e: Evidence, owners: Set<number>, rowOf: Map<number, number>, connOf: Int32Array, r: AnalysisResult): string | null {
  if (e.frame === undefined) return null;
  const cols = r.packets;
  const row = rowOf.get(e.frame);
  if (row === undefined) return 'no TCP frame with that number';
  const claim = e.claim;
  if (!claim) return 'the fact carries no claim to check';
  if (!owners.has(connOf[row]!)) return `it belongs to connection ${connOf[row]}, not this one`;
  const from = isFromClient(cols, row) ? 'client' : 'server';
  if (from !== claim.from) return `sent by the ${from}, not the ${claim.from}`;
  const flags = tcpFlags(cols, row);
  if (claim.set !== undefined && (flags & claim.set) !== claim.set) return `flags 0x${flags.toString(16)} lack 0x${claim.set.toString(16)}`;
  if (claim.clear !== undefined && (flags & claim.clear) !== 0) return `flags 0x${flags.toString(16)} include 0x${claim.clear.toString(16)}`;
  const len = cols.payloadLen[row]!;
  if (claim.minLen !== undefined && len < claim.minLen) return `${len} bytes of payload, not at least ${claim.minLen}`;
  if (claim.maxLen !== undefined && len > claim.maxLen) return `${len} bytes of payload, not at most ${claim.maxLen}`;
  if (claim.seqIsAckOf !== undefined) {
    const other = rowOf.get(claim.seqIsAckOf);
    if (other === undefined || cols.seq[row] !== cols.ack[other]) return `its seq is not the ack of frame ${claim.seqIsAckOf}`;
  }
  if (claim.acksSynOf !== undefined) {
    const other = rowOf.get(claim.acksSynOf);
    if (other === undefined || !(tcpFlags(cols, other) & TcpFlag.SYN) || cols.ack[row] !== ((cols.seq[other]! + 1) >>> 0)) return `it does not acknowledge the SYN of frame ${claim.acksSynOf}`;
  }
  return null;
}

function checkAbsence(e: Evidence, id: number, r: AnalysisResult): string | null {
  const a = e.absent;
  if (!a) return null;
  const cols = r.packets;
  for (let row = r.connStart[id]!; row < r.connStart[id + 1]!; row++) {
    if (a.before !== undefined && cols.frame[row]! >= a.before) continue;
    const flags = tcpFlags(cols, row);
    if (flags & TcpFlag.RST || (isFromClient(cols, row) ? 'client' : 'server') !== a.from) continue;
    if (a.set === undefined || (flags & a.set) === a.set) return `yet frame ${cols.frame[row]} is such a packet from the ${a.from}`;
  }
  return null;
}

const INTERNAL_ID = /\b(?:port-scan|overload)-\d+\b/;
const FILE_OR_SEED = /\bseed \d{3}\b|SCENARIOS\.md|\.pcap\b|\.ts\b/;

function checkWords(v: ResetVerdict, r: AnalysisResult, rowOf: Map<number, number>): string | null {
  const texts = [v.explanation, v.reference, ...v.evidence.map((e) => e.fact), ...v.nextSteps];
  for (const t of texts) {
    if (INTERNAL_ID.test(t)) return `names an internal id: ${t}`;
    if (FILE_OR_SEED.test(t)) return `names a file or a seed: ${t}`;
  }
  if (v.explanation.includes('instead of an orderly FIN')) {
    // The sender must not have sent a FIN on this connection before the RST.
    const row = rowOf.get(v.frame)!;
    const fromClient = isFromClient(r.packets, row);
    const { connStart, packets } = r;
    let conn = 0;
    while (connStart[conn + 1]! <= row) conn++;
    for (let k = connStart[conn]!; k < row; k++) {
      if (isFromClient(packets, k) === fromClient && tcpFlags(packets, k) & TcpFlag.FIN) return `"instead of an orderly FIN" after the sender's FIN in frame ${packets.frame[k]}`;
    }
  }
  return null;
}

/** Runs the checks on every capture of a folder; returns the lines of what is wrong and how much was checked. */
async function checkFolder(files: string[], read: (f: string) => Uint8Array): Promise<{ bad: string[]; facts: number; verdicts: number }> {
  const bad: string[] = [];
  let facts = 0;
  let verdicts = 0;
  for (const f of files) {
    let r: AnalysisResult;
    try {
      r = await analyzeBytes(f, read(f));
    } catch {
      continue; // not a capture we read (the corpus tests say which and why)
    }
    for (let id = 0; id < r.connections.length; id++) {
      for (const v of r.connections.resetsOf(id)) {
        verdicts++;
        facts += v.evidence.filter((e) => e.frame !== undefined).length;
      }
    }
    for (const line of check(r)) bad.push(`${f}: ${line}`);
  }
  return { bad, facts, verdicts };
}

describe('evidence is true of its frames', () => {
  itWith('lab')('on the lab captures', async () => {
    const files = capturesIn('lab');
    expect(files.length).toBeGreaterThanOrEqual(17);
    const { bad, facts } = await checkFolder(files, (f) => readTestdata('lab', f));
    expect(facts).toBeGreaterThan(50);
    expect(bad).toEqual([]);
  });

  for (const corpus of ['public', 'realworld']) {
    itWith(corpus)(`on ../shared/captures/${corpus}`, { timeout: 300_000 }, async () => {
      const files = capturesIn(corpus);
      expect(files.length).toBeGreaterThan(50);
      const { bad, facts, verdicts } = await checkFolder(files, (f) => readTestdata(corpus, f));
      expect(verdicts).toBeGreaterThan(500);
      expect(facts).toBeGreaterThan(verdicts);
      expect(bad.slice(0, 40)).toEqual([]);
    });
  }
});

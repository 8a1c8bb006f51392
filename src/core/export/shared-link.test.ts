/**
 * Faithful links: a connection of the demo written as a shared pcapng and read back keeps the whole
 * capture's frame numbers and, once adopted, the sender's verdicts; the metadata is parsed
 * defensively; tshark shows each packet's comment.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../analyze.ts';
import type { AnalysisResult } from '../analyze-api.ts';
import type { ResetVerdict } from '../model/types.ts';
import { frameComment, parseFrameComment } from '../capture/frame-comments.ts';
import { writePcapng } from '../capture/pcapng-writer.ts';
import { bytesSource } from '../capture/source.ts';
import { adoptSharedVerdicts } from '../classify/shared-verdicts.ts';
import { tcpConversation, toPcapng } from '../../../test/synth/index.ts';
import { extractBytes, extractFrames, selectRows } from './extract.ts';
import {
  MAX_META_TEXT,
  META_BUDGET,
  formatSharedLink,
  parseSharedLink,
  sharedLinkOf,
  sharedLinkSentence,
  type SharedLinkMeta,
} from './shared-link.ts';

const DEMO = readFileSync(join(__dirname, '../../../public/demo/demo.pcap'));
const TSHARK = process.env.TSHARK ?? 'tshark';
const hasTshark = spawnSync(TSHARK, ['--version'], { encoding: 'utf8' }).status === 0;
const dir = mkdtempSync(join(tmpdir(), 'resetscope-shared-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let demo: AnalysisResult;
beforeAll(async () => {
  demo = await analyze(bytesSource('demo.pcap', new Uint8Array(DEMO)));
});

/** The connection holding `frame`, and its link as the app writes it. */
async function share(frame: number, fileName = 'demo.pcap') {
  const id = [...Array(demo.connections.length).keys()].find((c) => demo.connections.get(c).resets.some((v) => v.frame === frame))!;
  const conn = demo.connections.get(id);
  const meta = sharedLinkOf(demo.report, conn, { file: fileName, fingerprint: '0123456789ab.30000', packets: conn.packets });
  const source = bytesSource('demo.pcap', new Uint8Array(DEMO));
  const extract = await extractFrames(source, demo, { connections: [id] }, { headersOnly: true, shared: { fileName, sectionComments: [sharedLinkSentence(meta), formatSharedLink(meta)] } });
  return { id, conn, meta, bytes: extractBytes(extract), extract };
}

const firstRst = (r: AnalysisResult) => r.connections.get(0).resets[0]!;

describe('a shared connection read back', () => {
  it('keeps the whole capture’s frame numbers and, adopted, the sender’s verdicts (port scan, frame 42)', async () => {
    const { id, conn, bytes, extract } = await share(42);
    expect(extract.format).toBe('pcapng');
    const back = await analyze(bytesSource('shared-connection.pcap.gz', bytes));
    expect(Array.from(back.packets.frame)).toEqual(Array.from(selectRows(demo, { connections: [id] }), (r) => demo.packets.frame[r]));
    expect(back.packets.frame[back.packets.frame.length - 1]).toBe(conn.lastFrame);
    expect(back.report.packets).toBe(conn.packets);
    expect(back.report.shared).toEqual({ file: 'demo.pcap', fingerprint: '0123456789ab.30000', frames: 572, stream: conn.id, omitted: 0 });
    // Alone, the frames read as a plain refusal: the scan is in the rest of the capture.
    expect(firstRst(back)).toMatchObject({ frame: 42, scenario: 'refused' });
    const outcome = adoptSharedVerdicts(back, back.sharedLink!);
    expect(outcome).toMatchObject({ adopted: 1, ownOnly: 0, differs: [{ frame: 42, own: 'refused', sender: 'port-scan' }] });
    const v = firstRst(back);
    expect(v).toMatchObject({ frame: 42, scenario: 'port-scan', severity: 'suspicious', confidence: conn.resets[0]!.confidence, findings: ['port-scan-1'] });
    expect(v.explanation).toBe(conn.resets[0]!.explanation);
    expect(v.evidence.map((e) => e.frame)).toEqual(conn.resets[0]!.evidence.map((e) => e.frame));
    // Facts about the rest of the capture are the sender's (163 other packets of that host there).
    expect(v.facts).toEqual(conn.resets[0]!.facts);
    expect(back.report.findings).toMatchObject([{ id: 'port-scan-1', kind: 'port-scan', host: '10.99.1.2', connections: [0] }]);
    expect(back.report.summary).toMatchObject({ resets: 1, byScenario: { 'port-scan': 1 }, bySeverity: { suspicious: 1 } });
    expect(back.report.summary.verdict).toContain('demo.pcap');
  });

  it('keeps the overload reset at frame 547 as the sender saw it', async () => {
    const { bytes } = await share(547);
    const back = await analyze(bytesSource('x', bytes));
    expect(firstRst(back)).toMatchObject({ frame: 547, scenario: 'fast-close' });
    adoptSharedVerdicts(back, back.sharedLink!);
    expect(firstRst(back)).toMatchObject({ frame: 547, scenario: 'overload', findings: ['overload-1'] });
    expect(back.report.findings[0]).toMatchObject({ kind: 'overload', host: '10.99.2.2' });
  });

  it('carries every verdict of a run of 48 resets, each text once, and gives them all back', async () => {
    const { conn, meta, bytes } = await share(demo.connections.get(75).resets[0]!.frame);
    expect(conn.resets.length).toBe(48);
    expect(meta.omitted).toBe(0);
    expect(meta.verdicts.filter((v) => v.explanation !== '').length).toBe(1);
    const back = await analyze(bytesSource('x', bytes));
    expect(adoptSharedVerdicts(back, back.sharedLink!)).toMatchObject({ adopted: 48, ownOnly: 0 });
    // The checkable claims of the evidence are for tests of the classifier, not carried.
    // Times count from the link's first frame (not carried: the ladder's times are the link's own).
    const strip = (v: ResetVerdict) => ({ ...v, time: 0, evidence: v.evidence.map((e) => (e.frame !== undefined ? { frame: e.frame, fact: e.fact } : { fact: e.fact })) });
    expect(back.connections.get(0).resets.map(strip)).toEqual(conn.resets.map(strip));
  });

  it('a shared capture shared again keeps the first sender’s numbers and verdicts', async () => {
    const first = await share(42);
    const back = await analyze(bytesSource('x', first.bytes));
    adoptSharedVerdicts(back, back.sharedLink!);
    const conn = back.connections.get(0);
    const meta = sharedLinkOf(back.report, conn, { file: back.report.shared!.file, fingerprint: back.report.shared!.fingerprint, packets: conn.packets });
    const extract = await extractFrames(bytesSource('x', first.bytes), back, { connections: [0] }, { shared: { fileName: meta.file, sectionComments: [formatSharedLink({ ...meta, frames: back.report.shared!.frames })] } });
    const again = await analyze(bytesSource('y', extractBytes(extract)));
    adoptSharedVerdicts(again, again.sharedLink!);
    expect(Array.from(again.packets.frame)).toEqual(Array.from(back.packets.frame));
    expect(firstRst(again)).toMatchObject({ frame: 42, scenario: 'port-scan' });
  });

  (hasTshark ? it : it.skip)(hasTshark ? 'tshark shows each packet’s original frame number in its comment' : 'packet comments read by tshark (tshark is not installed: not checked)', async () => {
    const { conn, bytes } = await share(547);
    const file = join(dir, 'shared.pcapng');
    writeFileSync(file, bytes);
    const r = spawnSync(TSHARK, ['-r', file, '-T', 'fields', '-e', 'frame.number', '-e', 'frame.comment'], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n').map((l) => l.split('\t'));
    expect(lines.length).toBe(conn.packets);
    expect(lines[0]).toEqual(['1', `frame ${conn.firstFrame} of demo.pcap`]);
    expect(lines.some((l) => l[1] === 'frame 547 of demo.pcap')).toBe(true);
    expect(lines.map((l) => parseFrameComment(l[1] ?? ''))).toEqual(lines.map((l) => Number(/\d+/.exec(l[1] ?? '')?.[0])));
  });
});

describe('shared-link metadata', () => {
  const meta: SharedLinkMeta = {
    version: 1,
    file: 'demo.pcap',
    fingerprint: 'aabbccddeeff.123',
    frames: 572,
    stream: 4,
    packets: 2,
    verdicts: [
      { frame: 42, scenario: 'port-scan', confidence: 0.9, alternatives: [{ scenario: 'refused', confidence: 0.85 }], explanation: 'why', evidence: [{ frame: 41, fact: 'a SYN' }, { fact: 'no frame' }], findings: ['port-scan-1'], facts: { senderTtl: { min: 63, max: 63, packets: 163 }, sincePreviousPacket: 0.000037, sinceSendersPreviousPacket: null } },
    ],
    findings: [{ id: 'port-scan-1', kind: 'port-scan', host: '10.99.1.2', title: 'a scan', frames: [42, 54], evidence: [] }],
    omitted: 0,
  };

  it('round-trips', () => {
    expect(parseSharedLink(formatSharedLink(meta))).toEqual({ ok: true, meta });
  });

  it('leaves other tools’ comments alone', () => {
    expect(parseSharedLink('Captured on eth0')).toBeNull();
    expect(parseSharedLink('{"tool":"other"}')).toBeNull();
    expect(parseSharedLink('{"resetscope":"other","x":"shared-connection"}')).toBeNull();
  });

  it('refuses another version, damage and excess, and says which', () => {
    expect(parseSharedLink(JSON.stringify({ resetscope: 'shared-connection', version: 2, file: 'a' }))).toEqual({ ok: false, reason: 'version', version: 2 });
    expect(parseSharedLink('{"resetscope":"shared-connection","version":1,')).toEqual({ ok: false, reason: 'malformed' });
    expect(parseSharedLink(JSON.stringify({ resetscope: 'shared-connection', version: 1, file: '', frames: 3, stream: 0 }))).toEqual({ ok: false, reason: 'malformed' });
    expect(parseSharedLink(JSON.stringify({ resetscope: 'shared-connection', version: 1, file: 'a', frames: -1, stream: 0 }))).toEqual({ ok: false, reason: 'malformed' });
    const huge = formatSharedLink({ ...meta, file: 'x'.repeat(MAX_META_TEXT) });
    expect(parseSharedLink(huge)).toEqual({ ok: false, reason: 'too-large' });
  });

  it('drops what does not validate, one entry at a time, and bounds every size', () => {
    const hostile = {
      resetscope: 'shared-connection',
      version: 1,
      file: 'evil\u202e\u0000name.pcap' + 'n'.repeat(500),
      fingerprint: '<script>',
      frames: 10,
      stream: 0,
      packets: 'many',
      __proto__: { polluted: true },
      verdicts: [
        { frame: 5, scenario: 'not-a-scenario', confidence: 0.5 },
        { frame: 0, scenario: 'abort', confidence: 0.5 },
        { frame: 6, scenario: 'abort', confidence: 7 },
        { frame: 7, scenario: 'abort', confidence: 0.5, explanation: 'e'.repeat(5000), evidence: Array(200).fill({ frame: 1e12, fact: 'f' }), findings: ['x', 'port-scan-1', 3], alternatives: [{ scenario: 'nope', confidence: 1 }], repeatOf: 9, facts: { senderTtl: { min: 300, max: 1, packets: 1 }, sincePreviousPacket: -1, sinceSendersPreviousPacket: 'x' } },
        { frame: 7, scenario: 'stale', confidence: 0.5 },
        ...Array(300).fill({ frame: 8, scenario: 'abort', confidence: 0.1 }),
      ],
      findings: [{ id: 'constructor', kind: 'port-scan', host: 'h', title: 't' }, { id: 'overload-1', kind: 'overload', host: 'h', title: 't', frames: [1, 'x', 2] }],
    };
    const read = parseSharedLink(JSON.stringify(hostile));
    expect(read?.ok).toBe(true);
    if (!read?.ok) return;
    const m = read.meta;
    expect(m.file).toBe(`evilname.pcap${'n'.repeat(187)}`);
    expect(m.fingerprint).toBeNull();
    expect(m.packets).toBe(0);
    expect(m.verdicts.map((v) => [v.frame, v.scenario])).toEqual([[7, 'abort'], [8, 'abort']]);
    const v = m.verdicts[0]!;
    expect(v.explanation.length).toBe(1200);
    expect(v.evidence.length).toBe(24);
    expect(v.evidence[0]).toEqual({ fact: 'f' });
    expect(v.findings).toEqual(['port-scan-1']);
    expect(v.alternatives).toEqual([]);
    expect(v.repeatOf).toBeUndefined();
    expect(v.facts).toEqual({ senderTtl: null, sincePreviousPacket: null, sinceSendersPreviousPacket: null });
    expect(m.verdicts[1]!.facts).toBeUndefined();
    expect(m.findings).toEqual([{ id: 'overload-1', kind: 'overload', host: 'h', title: 't', frames: [1, 2], evidence: [] }]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('the writer keeps the metadata within its budget and counts what it left out', async () => {
    const conn = demo.connections.get(4);
    const many = { ...conn, resets: Array.from({ length: 100 }, (_, i) => ({ ...conn.resets[0]!, frame: 42 + i })) };
    const m = sharedLinkOf(demo.report, many, { file: 'demo.pcap', fingerprint: null, packets: 2 });
    expect(formatSharedLink(m).length).toBeLessThanOrEqual(META_BUDGET);
    expect(m.verdicts.length).toBeGreaterThan(0);
    expect(m.verdicts.length + m.omitted).toBe(100);
  });
});

describe('frame numbers from packet comments', () => {
  const frame = (n: number, comment?: string) => ({
    timestampNs: BigInt(n) * 1_000_000n,
    data: new Uint8Array(60),
    ...(comment !== undefined ? { comment } : {}),
  });
  const linkComment = formatSharedLink({ version: 1, file: 'a.pcap', fingerprint: null, frames: 100, stream: 0, packets: 3, verdicts: [], findings: [], omitted: 0 });

  it('are honoured only in a section that declares a shared connection', async () => {
    const plain = await analyze(bytesSource('p', writePcapng([frame(1, frameComment(40, 'a.pcap')), frame(2, frameComment(41, 'a.pcap'))])));
    expect(plain.report.packets).toBe(2);
    expect(plain.report.shared).toBeUndefined();
    expect(plain.sharedLink).toBeUndefined();
    const r = await analyze(bytesSource('s', writePcapng([frame(1, frameComment(40, 'a.pcap')), frame(2, frameComment(41, 'a.pcap'))], { section: { comment: linkComment } })));
    expect(r.report.shared).toMatchObject({ file: 'a.pcap', frames: 100 });
    expect(r.report.warnings).toEqual([]);
  });

  it('always ascend: a missing, repeated or backward number is replaced by the next one, and said', async () => {
    const bytes = writePcapng(
      [frame(1, frameComment(40, 'a')), frame(2), frame(3, frameComment(41, 'a')), frame(4, frameComment(10, 'a')), frame(5, 'frame 99999999999 of a'), frame(6, frameComment(90, 'a'))],
      { section: { comment: linkComment } },
    );
    const r = await analyze(bytesSource('s', bytes));
    // Not TCP, so no packet rows: the numbers show through the warnings' count.
    expect(r.report.packets).toBe(6);
    const warning = r.report.warnings.find((w) => w.code === 'shared-link');
    expect(warning?.message).toMatch(/^4 frames of this shared connection/);
  });

  it('a hostile link’s huge or backward numbers still give an ordinary analysis, its numbers ascending', async () => {
    const conv = tcpConversation({ client: '10.0.0.1:40000', server: '10.0.0.2:80' });
    conv.handshake().clientSends(new Uint8Array(100)).rst('server');
    const numbers = [1_999_999_990, 1_999_999_990, 5, 2_000_000_000, 3_000_000_000];
    const frames = conv.frames.map((f, i) => ({ ...f, comment: `frame ${numbers[i] ?? 1} of a` }));
    const r = await analyze(bytesSource('s', toPcapng(frames, { section: { comment: linkComment } })));
    const got = Array.from(r.packets.frame);
    expect(got).toEqual([1_999_999_990, 1_999_999_991, 1_999_999_992, 2_000_000_000, 2_000_000_001].slice(0, got.length));
    const conn = r.connections.get(0);
    expect(conn.resets.map((v) => v.frame)).toEqual([got[got.length - 1]]);
    expect(adoptSharedVerdicts(r, r.sharedLink!)).toEqual({ adopted: 0, ownOnly: 1, differs: [] });
  });

  it('a link of an unknown version is read as a plain capture, with a warning', async () => {
    const bytes = writePcapng([frame(1, frameComment(40, 'a'))], { section: { comment: JSON.stringify({ resetscope: 'shared-connection', version: 9 }) } });
    const r = await analyze(bytesSource('s', bytes));
    expect(r.report.shared).toBeUndefined();
    expect(r.report.warnings.map((w) => w.code)).toEqual(['shared-link']);
    expect(r.report.warnings[0]!.message).toContain('version 9');
  });

  it('parses only its own form', () => {
    expect(parseFrameComment('frame 547 of demo.pcap')).toBe(547);
    expect(parseFrameComment('frame 0 of x')).toBe(0);
    expect(parseFrameComment('frame 012 of x')).toBe(0);
    expect(parseFrameComment('Frame 5 of x')).toBe(0);
    expect(parseFrameComment('frame 5000000000 of x')).toBe(0);
    expect(frameComment(3, 'a\nb\u0007.pcap')).toBe('frame 3 of ab.pcap');
  });
});

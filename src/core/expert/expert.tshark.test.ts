/**
 * The expert list against tshark's expert marks: for each kind Wireshark has a `tcp.analysis.*` field
 * for, the frames we list equal the frames `tshark -r F -Y FIELD` selects, on the lab captures, the demo
 * and public captures chosen for what they show (duplicate ACKs, fast and spurious retransmissions,
 * keep-alives, a zero window, out-of-order segments). Skipped with a message when tshark is absent,
 * and the public ones when the corpus beside the repository is.
 *
 * Where we differ from tshark by design:
 * - `tcp.analysis.retransmission` is set by Wireshark on plain, fast and spurious retransmissions
 *   alike; our kinds are exclusive, so the field is compared with the union of the three.
 * - "ACKed segment that was not captured" (`tcp.analysis.ack_lost_segment`) is the tracker's mark,
 *   which it latches once per gap until the peer's own ACK moves; Wireshark latches through its
 *   duplicate-ACK counter and warns again on some later ACKs. On captures with many gaps the counts
 *   differ (both say the capture is missing the peer's bytes), so that field is not compared.
 * - Out-of-order against retransmission: Wireshark times "soon after the highest segment" against
 *   the first round trip it measured when the segment arrived (3 ms before); we use the connection's
 *   handshake round trip throughout. A few captures whose segments arrive around that threshold split
 *   differently; the captures below do not.
 * - Our "outside the receiver's window" has no Wireshark field; a RST, SYN, SYN+ACK and FIN are
 *   Wireshark's chat and warning items with no field of their own (`tcp.flags.*` finds them).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeBytes, capturePath, capturesIn, itWith } from '../../../test/support/captures.ts';
import { tcpConversation, toPcap } from '../../../test/synth/index.ts';
import { tableExpertContext } from './context.ts';
import { collectExpertItems, expertKindCode, type ExpertKind } from './expert.ts';

const TSHARK = process.env.TSHARK ?? 'tshark';
const hasTshark = spawnSync(TSHARK, ['--version'], { encoding: 'utf8' }).status === 0;
if (!hasTshark) console.warn(`tshark not found (${TSHARK}): the expert list was not compared with tshark`);

const dir = mkdtempSync(join(tmpdir(), 'resetscope-expert-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Each Wireshark field and the kinds of ours it stands for. */
const FIELDS: Record<string, ExpertKind[]> = {
  'tcp.analysis.retransmission': ['retransmission', 'fast-retransmission', 'spurious-retransmission'],
  'tcp.analysis.fast_retransmission': ['fast-retransmission'],
  'tcp.analysis.spurious_retransmission': ['spurious-retransmission'],
  'tcp.analysis.out_of_order': ['out-of-order'],
  'tcp.analysis.duplicate_ack': ['duplicate-ack'],
  'tcp.analysis.zero_window': ['zero-window'],
  'tcp.analysis.keep_alive': ['keep-alive'],
  'tcp.analysis.lost_segment': ['lost-segment'],
  'tcp.analysis.window_full': ['window-full'],
};

/** Frames per field, ours and tshark's, as "field: frames" lines to compare in one assertion. */
async function compare(path: string): Promise<{ ours: string[]; theirs: string[]; marked: number }> {
  const result = await analyzeBytes(path, new Uint8Array(readFileSync(path)));
  const items = collectExpertItems(result.packets, result.connStart, tableExpertContext(result.connections));
  const names = Object.keys(FIELDS);
  const r = spawnSync(TSHARK, ['-r', path, '-Y', names.join(' || '), '-T', 'fields', '-e', 'frame.number', ...names.flatMap((n) => ['-e', n])], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (r.status !== 0) throw new Error(`tshark failed on ${path}: ${r.stderr}`);
  const theirs = new Map<string, number[]>(names.map((n) => [n, []]));
  for (const line of r.stdout.split('\n')) {
    if (!line) continue;
    const cols = line.split('\t');
    names.forEach((n, i) => {
      if (cols[i + 1]) theirs.get(n)!.push(Number(cols[0]));
    });
  }
  const ours = new Map<string, number[]>();
  for (const [name, kinds] of Object.entries(FIELDS)) {
    const codes = kinds.map(expertKindCode);
    const frames = new Set<number>();
    for (let i = 0; i < items.count; i++) if (codes.includes(items.kind[i]!)) frames.add(items.frame[i]!);
    ours.set(name, [...frames].sort((a, b) => a - b));
  }
  const lines = (m: Map<string, number[]>) => names.map((n) => `${n}: ${m.get(n)!.sort((a, b) => a - b).join(',')}`);
  return { ours: lines(ours), theirs: lines(theirs), marked: [...theirs.values()].reduce((n, f) => n + f.length, 0) };
}

const PUBLIC = ['zeek-smb-many-open-files.pcap.gz', 'suricata-zerologon.pcap'];
const REALWORLD = [
  'arkime__tests__pcap__wireshark-retrans.pcap',
  'nDPI__tests__cfgs__default__pcap__avast.pcap',
  'nDPI__tests__cfgs__default__pcap__teams.pcap',
  'nDPI__tests__cfgs__default__pcap__wow.pcap',
  'PcapPlusPlus__Tests__Packet++Test__PacketExamples__CiscoHDLC.pcap',
  'PcapPlusPlus__Tests__Pcap++Test__PcapExamples__example.pcap',
];

describe.skipIf(!hasTshark)('the expert list and tshark mark the same frames', () => {
  itWith('lab')('on every lab capture and the demo', { timeout: 60_000 }, async () => {
    let marked = 0;
    for (const file of [...capturesIn('lab').map((f) => capturePath('lab', f)), 'public/demo/demo.pcap']) {
      const c = await compare(file);
      expect(c.ours, file).toEqual(c.theirs);
      marked += c.marked;
    }
    expect(marked).toBeGreaterThan(100);
  });

  it('on windows filled to the edge, scaled or not (synthesized: no capture at hand shows one)', async () => {
    const plain = tcpConversation({ client: '10.0.0.1:40000', server: '10.0.0.2:80', window: 200 });
    plain.handshake().clientSends('y'.repeat(200)).ack('server').clientSends('z'.repeat(50));
    const scaled = tcpConversation({ client: '10.0.0.1:40001', server: '10.0.0.2:80', window: 50, windowScale: 2 });
    scaled.handshake().clientSends('y'.repeat(50)).ack('server').clientSends('z'.repeat(200)).ack('server');
    for (const [name, c] of [['plain.pcap', plain], ['scaled.pcap', scaled]] as const) {
      const path = join(dir, name);
      writeFileSync(path, toPcap(c));
      const result = await compare(path);
      expect(result.ours, name).toEqual(result.theirs);
      expect(result.theirs.find((l) => l.startsWith('tcp.analysis.window_full'))).not.toMatch(/: $/);
    }
  });

  itWith('public')('on public captures', { timeout: 60_000 }, async () => {
    for (const file of PUBLIC) {
      const c = await compare(capturePath('public', file));
      expect(c.ours, file).toEqual(c.theirs);
      expect(c.marked, file).toBeGreaterThan(0);
    }
  });

  itWith('realworld')('on captures that show every kind', { timeout: 120_000 }, async () => {
    const seen = new Set<string>();
    for (const file of REALWORLD) {
      const c = await compare(capturePath('realworld', file));
      expect(c.ours, file).toEqual(c.theirs);
      for (const line of c.theirs) if (!line.endsWith(': ')) seen.add(line.split(':')[0]!);
    }
    // Every field but window full (no capture at hand shows one) is exercised.
    expect([...seen].sort()).toEqual(Object.keys(FIELDS).filter((f) => f !== 'tcp.analysis.window_full').sort());
  });
});

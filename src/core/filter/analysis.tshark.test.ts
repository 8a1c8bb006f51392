/**
 * The `tcp.analysis.*` filter fields against tshark: for each field, the connections a bare field
 * keeps are the streams `tshark -Y FIELD -T fields -e tcp.stream` gives, on the lab captures, the demo
 * and public captures chosen for what they show. One tshark run per capture prints every field's
 * column for every packet that has any of them, which is the same as one `-Y FIELD` per field (a
 * packet passes `-Y FIELD` exactly when its FIELD column is not empty). A few expressions that tie a
 * field to an address or a port are run through `-Y` as they are. Skipped with a message when tshark
 * or the corpus beside the repository is absent.
 *
 * Where we differ from tshark by design:
 * - `tcp.analysis.flags`: Wireshark also sets it on window updates, keep-alive ACKs, zero-window
 *   probes and their ACKs, and reused ports, kinds the expert list does not compute. Ours is compared
 *   with the streams of tshark's `tcp.analysis.flags` packets that carry none of those five.
 * - `tcp.analysis.ack_lost_segment`: the tracker latches "ACKed segment that was not captured" once
 *   per gap, Wireshark through its duplicate-ACK counter (expert.tshark.test.ts): frames differ, but
 *   both mark the first ACK past a gap, so the connections are the same and the field is compared.
 * - The fields hold per direction, not per packet (evaluate.ts, one mask a connection): an expression
 *   that ties a `tcp.analysis.*` field to `tcp.flags.reset` may keep more than tshark, and under
 *   `not` the field is read per direction too: `!tcp.analysis.retransmission` keeps a connection
 *   when one direction sent no retransmission, tshark when one packet is not one (about every
 *   stream). Neither form is compared here; the last test shows the second difference.
 */
import { execFile, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect } from 'vitest';
import { analyzeBytes, capturePath, capturesIn, itWith } from '../../../test/support/captures.ts';
import { tableExpertContext } from '../expert/context.ts';
import { connectionExpertMasks } from '../expert/expert.ts';
import { FIELDS } from './fields.ts';
import { compileFilter, parseFilter, tableFilterSource } from './index.ts';

const TSHARK = process.env.TSHARK ?? 'tshark';
const hasTshark = spawnSync(TSHARK, ['--version'], { encoding: 'utf8' }).status === 0;
if (!hasTshark) console.warn(`tshark not found (${TSHARK}): the tcp.analysis filter fields were not compared with tshark`);

const run = promisify(execFile);

const OURS = FIELDS.filter((f) => f.type === 'flag').map((f) => f.name);
/** What Wireshark counts in tcp.analysis.flags and the expert list does not compute. */
const NOT_COMPUTED = [
  'tcp.analysis.window_update',
  'tcp.analysis.keep_alive_ack',
  'tcp.analysis.zero_window_probe',
  'tcp.analysis.zero_window_probe_ack',
  'tcp.analysis.reused_ports',
];

type Streams = Map<string, Set<number>>;

/** Per field, the streams of the packets tshark gives it (`tcp.analysis.flags` without NOT_COMPUTED). */
async function tsharkStreams(path: string): Promise<Streams> {
  const columns = [...OURS, ...NOT_COMPUTED];
  const { stdout } = await run(
    TSHARK,
    ['-r', path, '-Y', 'tcp.analysis.flags', '-T', 'fields', '-e', 'tcp.stream', ...columns.flatMap((n) => ['-e', n])],
    { encoding: 'utf8', maxBuffer: 1 << 28 },
  );
  const out: Streams = new Map(OURS.map((n) => [n, new Set<number>()]));
  for (const line of stdout.split('\n')) {
    if (!line) continue;
    const cols = line.split('\t');
    const stream = Number(cols[0]);
    const has = (name: string) => cols[1 + columns.indexOf(name)] !== '';
    for (const name of OURS) {
      if (!has(name)) continue;
      if (name === 'tcp.analysis.flags' && NOT_COMPUTED.some(has)) continue;
      out.get(name)!.add(stream);
    }
  }
  return out;
}

async function analysed(path: string) {
  const result = await analyzeBytes(path, new Uint8Array(readFileSync(path)));
  const table = result.connections;
  const masks = connectionExpertMasks(result.packets, result.connStart, tableExpertContext(table));
  const source = tableFilterSource(table, masks);
  const keep = (expr: string): number[] => {
    const parsed = parseFilter(expr);
    if (!parsed.ok) throw new Error(`${expr}: ${parsed.error.message}`);
    const test = compileFilter(parsed.expr, source);
    const ids: number[] = [];
    for (let id = 0; id < table.length; id++) if (test(id)) ids.push(id);
    return ids;
  };
  return { table, keep };
}

const lines = (m: Map<string, Iterable<number>>): string[] => [...m].map(([name, s]) => `${name}: ${[...s].sort((a, b) => a - b).join(',')}`);

/** Our streams and tshark's per field, as "field: streams" lines; and how many fields kept anything. */
async function compare(path: string): Promise<{ ours: string[]; theirs: string[]; fields: number }> {
  const [{ keep }, theirs] = await Promise.all([analysed(path), tsharkStreams(path)]);
  const ours = new Map(OURS.map((name) => [name, keep(name)]));
  return { ours: lines(ours), theirs: lines(theirs), fields: [...theirs.values()].filter((s) => s.size > 0).length };
}

/** A field tied to the direction of the first connection that has it, run through tshark -Y as it is. */
async function compareDirected(path: string): Promise<{ differences: string[]; tried: number }> {
  const { table, keep } = await analysed(path);
  const differences: string[] = [];
  let tried = 0;
  for (const field of ['tcp.analysis.retransmission', 'tcp.analysis.duplicate_ack', 'tcp.analysis.flags']) {
    const first = keep(field)[0];
    if (first === undefined) continue;
    const c = table.get(first);
    const ip = c.client.ip.includes(':') ? 'ipv6' : 'ip';
    for (const expr of [`${field} && ${ip}.src == ${c.client.ip}`, `${field} and tcp.dstport == ${c.client.port}`, `(${field} || tcp.srcport == ${c.server.port}) && ${ip}.dst == ${c.server.ip}`]) {
      tried++;
      const { stdout } = await run(TSHARK, ['-r', path, '-Y', expr, '-T', 'fields', '-e', 'tcp.stream'], { encoding: 'utf8', maxBuffer: 1 << 28 });
      const theirs = [...new Set(stdout.split('\n').filter(Boolean).map(Number))].sort((a, b) => a - b);
      const ours = keep(expr);
      if (expr.includes('tcp.analysis.flags')) continue; // flags differ by design (above)
      if (JSON.stringify(ours) !== JSON.stringify(theirs)) differences.push(`${expr}: ours ${JSON.stringify(ours)}, tshark ${JSON.stringify(theirs)}`);
    }
  }
  return { differences, tried };
}

const PUBLIC = ['zeek-smb-many-open-files.pcap.gz', 'suricata-zerologon.pcap', 'zeek-wikipedia.pcap', 'suricata-tcp-rst-unacked-data.pcap', 'zeek-tcp-missing-syn.pcap'];
const REALWORLD = [
  'arkime__tests__pcap__wireshark-retrans.pcap',
  'nDPI__tests__cfgs__default__pcap__avast.pcap',
  'nDPI__tests__cfgs__default__pcap__teams.pcap',
  'nDPI__tests__cfgs__default__pcap__wow.pcap',
  'PcapPlusPlus__Tests__Packet++Test__PacketExamples__CiscoHDLC.pcap',
  'PcapPlusPlus__Tests__Pcap++Test__PcapExamples__example.pcap',
  'PcapPlusPlus__Tests__Packet++Test__PacketExamples__Smtp.pcap',
  'arkime__tests__pcap__aerospike.pcap',
];

describe.skipIf(!hasTshark)('the tcp.analysis filter fields keep the streams tshark -Y keeps', () => {
  itWith('lab')('on every lab capture and the demo', { timeout: 120_000 }, async () => {
    const seen = new Set<string>();
    for (const file of [...capturesIn('lab').map((f) => capturePath('lab', f)), 'public/demo/demo.pcap']) {
      const c = await compare(file);
      expect(c.ours, file).toEqual(c.theirs);
      for (const line of c.theirs) if (!line.endsWith(': ')) seen.add(line.split(':')[0]!);
    }
    // The lab captures retransmit (retransmission-timeout, rst-not-received); the other kinds are below.
    expect([...seen]).toContain('tcp.analysis.retransmission');
    const directed = await compareDirected('public/demo/demo.pcap');
    expect(directed.differences).toEqual([]);
    expect(directed.tried).toBeGreaterThanOrEqual(6);
  });

  itWith('public')('on public captures', { timeout: 120_000 }, async () => {
    for (const file of PUBLIC) {
      const path = capturePath('public', file);
      const c = await compare(path);
      expect(c.ours, file).toEqual(c.theirs);
      expect((await compareDirected(path)).differences, file).toEqual([]);
    }
  });

  itWith('realworld')('on captures that show every kind', { timeout: 180_000 }, async () => {
    const seen = new Set<string>();
    for (const file of REALWORLD) {
      const path = capturePath('realworld', file);
      const c = await compare(path);
      expect(c.ours, file).toEqual(c.theirs);
      expect((await compareDirected(path)).differences, file).toEqual([]);
      for (const line of c.theirs) if (!line.endsWith(': ')) seen.add(line.split(':')[0]!);
    }
    // Every field but window full (no capture at hand shows one; the synthesized one is in expert.tshark.test.ts).
    expect([...seen].sort()).toEqual(OURS.filter((f) => f !== 'tcp.analysis.window_full').sort());
  });

  itWith('public')('differs under "not" as documented: per direction, where tshark reads each packet', { timeout: 60_000 }, async () => {
    const path = capturePath('public', 'suricata-zerologon.pcap');
    const { table, keep } = await analysed(path);
    const { stdout } = await run(TSHARK, ['-r', path, '-Y', '!tcp.analysis.retransmission', '-T', 'fields', '-e', 'tcp.stream'], { encoding: 'utf8', maxBuffer: 1 << 28 });
    const theirs = new Set(stdout.split('\n').filter(Boolean).map(Number));
    const ours = keep('!tcp.analysis.retransmission');
    // Ours is within tshark's: a direction without retransmissions has a packet that is not one.
    expect(ours.filter((id) => !theirs.has(id))).toEqual([]);
    // Tshark also keeps connections where every direction retransmitted, beside packets that were not.
    const more = [...theirs].filter((id) => !ours.includes(id));
    expect(more.length).toBeGreaterThan(0);
    const retransmitted = keep('tcp.analysis.retransmission');
    for (const id of more) expect(id < table.length && retransmitted.includes(id), `stream ${id}`).toBe(true);
  });
});

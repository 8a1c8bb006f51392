/**
 * The filter against tshark on real captures: for each expression over the fields Resetscope shares
 * with Wireshark, the connections we keep are the streams of the packets `tshark -Y EXPR` keeps
 * (`-T fields -e tcp.stream`). First, that our connection ids are tshark's stream numbers.
 *
 * Captures: the demo (the 17 lab captures merged) and a handful from the shared corpus, read from
 * ../shared beside the repository and never copied into it.
 */
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeBytes } from '../../../test/support/captures.ts';
import { compileFilter, parseFilter, tableFilterSource } from './index.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const SHARED = join(ROOT, '..', 'shared', 'captures', 'public');
const TSHARK = '/usr/bin/tshark';

const CAPTURES = [
  join(ROOT, 'public', 'demo', 'demo.pcap'),
  ...[
    'zeek-nmap-vsn.pcap',
    'zeek-wikipedia.pcap',
    'zeek-vnc-scanner.pcap',
    'zeek-fddi-llc-repeated-rst.pcap',
    'suricata-tcp-rst-unacked-data.pcap',
    'zeek-tcp-missing-syn.pcap',
    'zeek-pop3.pcap',
    'zeek-ip6-route0-tcp.pcap',
  ].map((f) => join(SHARED, f)),
];

/** Expressions with the blanks filled from a connection of the capture (one with a reset if any). */
const TEMPLATES = [
  'tcp.port == {sport}',
  'tcp.srcport == {sport}',
  'tcp.dstport == {sport}',
  'tcp.dstport eq {cport} || tcp.srcport eq {cport}',
  '{ip}.addr == {client}',
  '{ip}.src == {server}',
  '{ip}.dst == {server}',
  '{ip}.src != {client}',
  '{ip}.addr == {net}',
  'tcp.flags.reset == 1',
  'tcp.flags.reset == 1 && {ip}.src == {server}',
  'tcp.flags.reset == 1 and {ip}.src == {client}',
  '!({ip}.addr == {client}) and tcp.flags.reset == 1',
  'tcp.port in {{sport}, 80, 443, 1024..2048}',
  'tcp.stream >= 2 and tcp.stream < 5 or tcp.stream == 0',
  '(tcp.srcport == {sport} or tcp.dstport == {cport}) and not {ip}.dst == {client}',
  'tcp.dstport > 1024 and tcp.flags.reset == 0',
];

const ready = existsSync(TSHARK) && existsSync(SHARED);

const run = promisify(execFile);

/** The stream numbers of the packets tshark keeps with `-Y filter`, sorted. */
async function tsharkStreams(file: string, filter: string): Promise<number[]> {
  const { stdout } = await run(TSHARK, ['-r', file, '-Y', filter, '-T', 'fields', '-e', 'tcp.stream'], { encoding: 'utf8' });
  const streams = stdout.split('\n').filter(Boolean).flatMap((l) => l.split(',')).map(Number);
  return [...new Set(streams)].sort((a, b) => a - b);
}

describe.runIf(ready)('the filter keeps the streams tshark -Y keeps', () => {
  for (const file of CAPTURES) {
    const name = file.split('/').pop()!;
    it(name, async () => {
      const result = await analyzeBytes(name, new Uint8Array(readFileSync(file)));
      const table = result.connections;
      expect(table.length).toBeGreaterThan(0);
      // Our connection ids are tshark's stream numbers: stream N's first frame is connection N's.
      const firstFrames = new Map<number, number>();
      const rows = execFileSync(TSHARK, ['-r', file, '-Y', 'tcp', '-T', 'fields', '-e', 'tcp.stream', '-e', 'frame.number'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      for (const row of rows.split('\n').filter(Boolean)) {
        const [stream, frame] = row.split('\t');
        for (const s of stream!.split(',')) if (!firstFrames.has(Number(s))) firstFrames.set(Number(s), Number(frame));
      }
      expect(firstFrames.size).toBe(table.length);
      for (let id = 0; id < table.length; id++) expect(table.conn.firstFrame[id], `stream ${id}`).toBe(firstFrames.get(id));

      let pick = 0;
      while (pick < table.length && table.resetsOf(pick).length === 0) pick++;
      if (pick === table.length) pick = 0;
      const c = table.get(pick);
      const v6 = c.client.ip.includes(':');
      const fill: Record<string, string> = {
        ip: v6 ? 'ipv6' : 'ip',
        client: c.client.ip,
        server: c.server.ip,
        cport: String(c.client.port),
        sport: String(c.server.port),
        net: v6 ? `${c.client.ip}/64` : `${c.client.ip.split('.').slice(0, 3).join('.')}.0/24`,
      };
      const source = tableFilterSource(table);
      const differences: string[] = [];
      let nonEmpty = 0;
      // tshark runs take most of the time: a few at once.
      const exprs = TEMPLATES.map((t) => t.replace(/\{(\w+)\}/g, (_, k: string) => fill[k] ?? `{${k}}`));
      const theirs: number[][] = [];
      for (let i = 0; i < exprs.length; i += 4) theirs.push(...(await Promise.all(exprs.slice(i, i + 4).map((e) => tsharkStreams(file, e)))));
      exprs.forEach((expr, i) => {
        const parsed = parseFilter(expr);
        if (!parsed.ok) throw new Error(`${expr}: ${parsed.error.message}`);
        const keep = compileFilter(parsed.expr, source);
        const ours: number[] = [];
        for (let id = 0; id < table.length; id++) if (keep(id)) ours.push(id);
        if (ours.length) nonEmpty++;
        if (JSON.stringify(ours) !== JSON.stringify(theirs[i])) differences.push(`${expr}: ours ${JSON.stringify(ours)}, tshark ${JSON.stringify(theirs[i])}`);
      });
      expect(differences).toEqual([]);
      // The expressions select something on every capture (a comparison of empty sets proves little).
      expect(nonEmpty).toBeGreaterThanOrEqual(6);
    }, 120_000);
  }
});

if (!ready) {
  const why = [existsSync(TSHARK) ? '' : 'tshark is not installed at /usr/bin/tshark', existsSync(SHARED) ? '' : `${SHARED} is absent`].filter(Boolean).join('; ');
  it.skip(`the filter against tshark was not checked: ${why}`, () => {});
}

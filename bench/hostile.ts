/**
 * Hostile captures (issue 13, items 4 and 5), through the command line like the other captures:
 *   - hash flooding: 64k connections whose 4-tuples all collide under the flow table's old hash
 *     (bench/hash-flood.ts) against 64k with random ports, `--json > /dev/null`; the issue's target
 *     is crafted within 2x of random;
 *   - an RST flood: one connection with 1,000,000 identical RSTs, 242 KB gzip-compressed
 *     (bench/rst-flood.ts), as text and as JSON; the target is a few seconds under 500 MB; and the
 *     same million RSTs each answering a data segment from the peer (2M frames, ~20 MB gzip).
 * Best of `repeat` runs for the time, largest peak RSS of the runs.
 */
import { statSync } from 'node:fs';
import { ensureHashFlood } from './hash-flood.ts';
import { measure } from './measure.ts';
import { ensureRstFlood } from './rst-flood.ts';

export interface HostileRow {
  name: string;
  file: string;
  fileBytes: number;
  args: string;
  wallSeconds: number;
  peakRssBytes: number | null;
  exitCode: number | null;
  error?: string;
}

export interface HostileResult {
  rows: HostileRow[];
  /** Crafted-collision time over random time (target: at most 2). */
  hashFloodRatio: number | null;
}

type Tool = { command: string; args: (file: string) => string[] };

async function best(name: string, file: string, fileBytes: number, command: string, args: string[], repeat: number): Promise<HostileRow> {
  const row: HostileRow = { name, file, fileBytes, args: args.slice(args.indexOf(file)).join(' '), wallSeconds: Infinity, peakRssBytes: null, exitCode: null };
  for (let i = 0; i < repeat; i++) {
    const m = await measure(command, args);
    row.wallSeconds = Math.min(row.wallSeconds, m.wallSeconds);
    if (m.peakRssBytes !== null) row.peakRssBytes = Math.max(row.peakRssBytes ?? 0, m.peakRssBytes);
    row.exitCode = m.exitCode;
    if (m.exitCode !== 0) {
      row.error = `exit ${m.exitCode}: ${m.stderr.trim().split('\n').slice(-2).join(' | ')}`;
      break;
    }
  }
  return row;
}

/** `core` runs the command line with `--json` appended; the text report drops that flag. */
export async function measureHostile(core: Tool, repeat = 3): Promise<HostileResult> {
  const flood = ensureHashFlood(65536);
  const rst = ensureRstFlood(1_000_000);
  const json = (f: string): string[] => core.args(f);
  const text = (f: string): string[] => core.args(f).filter((a) => a !== '--json');
  const size = (f: string): number => statSync(f).size;
  const rows: HostileRow[] = [];
  rows.push(await best('64k random 4-tuples', flood.random, size(flood.random), core.command, json(flood.random), repeat));
  rows.push(await best('64k crafted-collision 4-tuples', flood.crafted, size(flood.crafted), core.command, json(flood.crafted), repeat));
  rows.push(await best('1,000,000 RSTs, text', rst.path, rst.bytes, core.command, text(rst.path), repeat));
  rows.push(await best('1,000,000 RSTs, JSON', rst.path, rst.bytes, core.command, json(rst.path), repeat));
  const storm = ensureRstFlood(1_000_000, true);
  rows.push(await best('1M RSTs answering 1M segments, text', storm.path, storm.bytes, core.command, text(storm.path), repeat));
  rows.push(await best('1M RSTs answering 1M segments, JSON', storm.path, storm.bytes, core.command, json(storm.path), repeat));
  const [random, crafted] = rows;
  const hashFloodRatio = random && crafted && !random.error && !crafted.error ? crafted.wallSeconds / random.wallSeconds : null;
  return { rows, hashFloodRatio };
}

export function printHostile(h: HostileResult): void {
  console.log('hostile captures (command line):');
  for (const r of h.rows) {
    const rss = r.peakRssBytes === null ? '—' : `${(r.peakRssBytes / 1e6).toFixed(0)} MB`;
    console.log(`  ${r.name.padEnd(38)} ${(r.fileBytes / 1e6).toFixed(2).padStart(6)} MB file  ${r.wallSeconds.toFixed(2).padStart(6)} s  peak RSS ${rss.padStart(7)}${r.error ? `  FAILED ${r.error}` : ''}`);
  }
  if (h.hashFloodRatio !== null) console.log(`  crafted / random: ${h.hashFloodRatio.toFixed(2)}x (target: at most 2x)`);
}

/**
 * What each side sent, as we follow it, equals what tshark's "Follow TCP Stream" gives
 * (`-z follow,tcp,raw,N`), on the lab captures and on the public corpus (streams of captures under
 * 4 MB): the same bytes per direction, in the same order, retransmissions once.
 */
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze } from '../analyze.ts';
import { bytesSource } from '../capture/source.ts';
import { capturePath, capturesIn, itWith, readTestdata } from '../../../test/support/captures.ts';
import { followStream } from './follow.ts';

const TSHARK = process.env.TSHARK ?? 'tshark';
const hasTshark = spawnSync(TSHARK, ['--version'], { encoding: 'utf8' }).status === 0;
const MAX_FILE = 4 << 20;
const MAX_STREAMS = 40;

/** tshark's followed bytes of streams `ids` per endpoint ("ip:port" of the sender), in hex. */
function tsharkFollow(path: string, ids: number[]): Map<number, Map<string, string>> | null {
  const args = ['-r', path, '-q', '-n'];
  for (const id of ids) args.push('-z', `follow,tcp,raw,${id}`);
  const r = spawnSync(TSHARK, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  // A file tshark cannot read to its end (cut short, damaged) is not compared.
  if (r.status !== 0) return null;
  const out = new Map<number, Map<string, string>>();
  let stream = -1;
  let nodes: string[] = [];
  for (const line of r.stdout.split('\n')) {
    const filter = /^Filter: tcp\.stream eq (\d+)/.exec(line);
    if (filter) {
      stream = Number(filter[1]);
      nodes = [];
      out.set(stream, new Map());
      continue;
    }
    const node = /^Node (\d): (.*)$/.exec(line);
    if (node) {
      nodes[Number(node[1])] = node[2]!.replace(/^\[(.*)\]:(\d+)$/, '$1:$2');
      continue;
    }
    if (stream < 0 || !/^\t?[0-9a-f]+$/.test(line)) continue;
    const sender = nodes[line.startsWith('\t') ? 1 : 0] ?? '?';
    const sides = out.get(stream)!;
    // tshark writes a hole as text among the bytes: "[1288 bytes missing in capture file]\0".
    const missing = /^\[(\d+) bytes missing in capture file\][.\0]?$/.exec(Buffer.from(line.trim(), 'hex').toString('latin1'));
    sides.set(sender, (sides.get(sender) ?? '') + (missing ? `|gap ${missing[1]}|` : line.trim()));
  }
  return out;
}

/** Streams compared so far, and the sides we show past a hole tshark never gets past. */
let compared = 0;
const shownPastHole: string[] = [];

const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

/** Streams whose bytes differ from tshark's, as `file stream N from ip:port: ours X bytes, tshark Y`. */
async function differences(folder: string, file: string): Promise<string[]> {
  const diffs: string[] = [];
  const source = bytesSource(file, readTestdata(folder, file));
  const result = await analyze(source).catch((err: unknown) => {
    // Files of the corpus that are not captures on purpose (hostile headers) have no streams.
    if (err instanceof Error && err.name === 'NotACaptureError') return null;
    throw err;
  });
  if (!result) return diffs;
  const ids: number[] = [];
  for (let id = 0; id < result.connections.length && ids.length < MAX_STREAMS; id++) {
    const c = result.connections.get(id);
    if (c.bytes.client + c.bytes.server > 0) ids.push(id);
  }
  if (ids.length === 0) return diffs;
  const theirs = tsharkFollow(capturePath(folder, file), ids);
  if (!theirs) return diffs;
  compared += ids.length;
  for (const id of ids) {
    const c = result.connections.get(id);
    const followed = await followStream(source, result, id, { maxBytes: 1 << 30 });
    const ours = new Map<string, string>();
    for (const chunk of followed!.chunks) {
      // Holes only: tshark shows nothing for bytes cut off by the snapshot length.
      if (chunk.kind !== 'data' && !(chunk.kind === 'gap' && chunk.reason === 'not-captured')) continue;
      const ep = chunk.side === 'client' ? c.client : c.server;
      const key = `${ep.ip}:${ep.port}`;
      const text = chunk.kind === 'gap' ? `|gap ${chunk.length}|` : hex(followed!.bytes.subarray(chunk.at, chunk.at + chunk.length));
      ours.set(key, (ours.get(key) ?? '') + text);
    }
    const expected = theirs.get(id) ?? new Map<string, string>();
    for (const key of new Set([...ours.keys(), ...expected.keys()])) {
      const a = ours.get(key) ?? '';
      const b = expected.get(key) ?? '';
      if (a === b) continue;
      // Bytes after a hole that nothing fills: tshark keeps them back for ever, we show them after a gap.
      if (a.startsWith(`${b}|gap `) && !b.endsWith('|')) {
        shownPastHole.push(`${file} stream ${id} from ${key}`);
        continue;
      }
      diffs.push(`${file} stream ${id} from ${key}: ours ${a.length / 2} bytes, tshark ${b.length / 2}`);
    }
  }
  return diffs;
}

describe.runIf(hasTshark)('follow stream equals tshark', () => {
  for (const file of capturesIn('lab')) {
    it(`lab ${file}`, { timeout: 60_000 }, async () => expect(await differences('lab', file)).toEqual([]));
  }
  itWith('public')('public corpus (captures under 4 MB)', { timeout: 600_000 }, async () => {
    const diffs: string[] = [];
    for (const file of capturesIn('public')) {
      if (statSync(capturePath('public', file)).size > MAX_FILE) continue;
      diffs.push(...(await differences('public', file)));
    }
    expect(diffs).toEqual([]);
    expect(compared).toBeGreaterThan(100);
    // The one such stream of the corpus: frames 72-73 after a hole of 5,152 bytes, then a RST.
    expect(shownPastHole).toEqual(['suricata-tcp-rst-unacked-data.pcap stream 0 from 174.56.47.59:80']);
  });
});

it.runIf(!hasTshark)('follow stream against tshark was not checked: tshark is not installed', () => {
  expect(hasTshark).toBe(false);
});

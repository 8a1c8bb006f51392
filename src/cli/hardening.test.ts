import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { rstFloodPcap } from '../../bench/rst-flood.ts';
import type { ReportDocument as Report } from '../core/model/types.ts';
import { capturePath } from '../../test/support/captures.ts';
import { OutputClosed, run } from './run.ts';

async function cli(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await run(argv, { out: (t) => void (out += t), err: (t) => void (err += t) });
  return { code, out, err };
}

const dir = mkdtempSync(join(tmpdir(), 'resetscope-cli-'));
const FLOOD = join(dir, 'flood.pcap.gz');
const RESETS = 20_000;

beforeAll(() => {
  writeFileSync(FLOOD, gzipSync(rstFloodPcap(RESETS)));
});

describe('npm run analyze on a run of identical resets', () => {
  it('lists every RST frame with its scenario in the JSON, the repeats one line each', async () => {
    const { code, out } = await cli(FLOOD, '--json');
    expect(code).toBe(0);
    const report = JSON.parse(out) as Report;
    const resets = report.connections[0]!.resets;
    expect(resets.map((v) => v.frame)).toEqual(Array.from({ length: RESETS }, (_, i) => 5 + i));
    expect(new Set(resets.map((v) => v.scenario)).size).toBe(1);
    const full = resets.filter((v) => v.repeatOf === undefined);
    const last = full[full.length - 1]!;
    expect(resets[RESETS - 1]).toEqual({ frame: 5 + RESETS - 1, time: resets[RESETS - 1]!.time, from: 'server', flags: 'RST', scenario: last.scenario, severity: last.severity, confidence: last.confidence, findings: [], repeatOf: last.frame });
    expect(out).toContain(`\n        {"frame":${5 + RESETS - 1},"time":`);
    expect(report.summary.resets).toBe(RESETS);
  });

  it('gives a run one line in the text report', async () => {
    const { code, out } = await cli(FLOOD);
    expect(code).toBe(0);
    const line = out.split('\n').find((l) => l.includes('more RSTs identical to'));
    expect(line).toMatch(new RegExp(`^    frames 13–${4 + RESETS} \\[RST\\] from server from [0-9.]+ to [0-9.]+ s: ${(RESETS - 8).toLocaleString('en-US')} more RSTs identical to frame 12: \\w[\\w-]* \\(problem\\), as explained there$`));
    expect(out.split('\n').length).toBeLessThan(200);
  });
});

describe('npm run analyze, errors', () => {
  it('says so when a file named .gz is not gzip-compressed', async () => {
    const plain = join(dir, 'refused.pcap.gz');
    writeFileSync(plain, readFileSync(capturePath('lab', 'refused.pcap')));
    const text = await cli(plain);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/\nWarnings:\n {2}the file is named \.gz but is not gzip-compressed: it was read as it is\n$/);
    const json = JSON.parse((await cli(plain, '--json')).out) as Report;
    expect(json.warnings).toContainEqual({ offset: 0, code: 'not-gzip', message: 'the file is named .gz but is not gzip-compressed: it was read as it is' });
    const zip = join(dir, 'archive.gz');
    writeFileSync(zip, 'PK\x03\x04 not a capture');
    expect(await cli(zip)).toMatchObject({ code: 2, err: "resetscope: archive.gz: not a pcap or pcapng file (and, despite its name, not gzip-compressed): it starts with 'PK'\n" });
  });

  it('stops quietly, exit 0, when the reader goes away', async () => {
    let writes = 0;
    const code = await run([FLOOD, '--json'], {
      out: () => {
        if (++writes > 2) throw new OutputClosed();
      },
      err: () => expect.unreachable('nothing on stderr'),
    });
    expect(code).toBe(0);
    expect(writes).toBe(3);
  });

  it('exits quietly when its stdout is closed early (`| head`), without a stack trace', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'main.ts'), FLOOD, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Read the first piece, then close the pipe as `head` does.
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});

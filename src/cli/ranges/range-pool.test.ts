/** The command line's --threads: real worker threads, the output of one thread. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { generateToFile } from '../../../bench/generate.ts';
import { runCli } from '../../../test/support/cli.ts';

const LAB = resolve(import.meta.dirname, '../../../test/captures/lab');
const dir = mkdtempSync(join(tmpdir(), 'resetscope-threads-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('prints with 3 threads what one thread prints (JSON and text)', { timeout: 120_000 }, async () => {
  const pcap = join(dir, 'threads.pcap');
  generateToFile(pcap, 300_000, 'pcap', 5);
  for (const file of [pcap, join(LAB, 'refused.pcap')]) {
    for (const format of ['json', 'text']) {
      const one = await runCli([file, '--format', format, '--threads', '1']);
      expect(one.code, one.err).toBe(0);
      expect(one.out.length).toBeGreaterThan(100);
      expect(await runCli([file, '--format', format, '--threads', '3'])).toEqual(one);
    }
  }
});

it('refuses a number of threads that is not a whole number from 1 to 256', async () => {
  for (const bad of ['0', '-2', '1.5', 'many', '257']) {
    const got = await runCli([join(LAB, 'refused.pcap'), '--threads', bad]);
    expect(got.code).toBe(2);
    expect(got.err).toContain(`--threads takes a whole number of threads from 1 to 256, not "${bad}"`);
  }
});

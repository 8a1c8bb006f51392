/**
 * The installable command line: `npm pack`, the tarball installed offline into an empty folder
 * (it has no dependency to fetch), then `resetscope` from there prints what `npm run analyze`
 * prints (the same entry, run here in-process), and `import { analyzeFile } from 'resetscope'` works.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateToFile } from '../../bench/generate.ts';
import { analyzeCli as viaCheckout } from './scan/test-support.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const LAB = join(ROOT, 'test/captures/lab');
let dir = '';

function viaPackage(args: string[]) {
  return spawnSync(join(dir, 'node_modules/.bin/resetscope'), args, { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28 });
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'resetscope-pack-'));
  execFileSync('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  expect(tarball).toBeDefined();
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'empty', private: true, type: 'module' }));
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--silent', join(dir, tarball!)], { cwd: dir, stdio: 'inherit' });
}, 180_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the packed command line', () => {
  it('installs with no dependency and holds only the bundle', () => {
    expect(readdirSync(join(dir, 'node_modules')).filter((f) => !f.startsWith('.'))).toEqual(['resetscope']);
    expect(readdirSync(join(dir, 'node_modules/resetscope')).sort()).toEqual(['README.md', 'bin', 'dist-cli', 'package.json']);
  });

  it('prints the same JSON and text as npm run analyze (pcap, pcapng, gzip)', async () => {
    const gz = join(dir, 'abort.pcap.gz');
    writeFileSync(gz, gzipSync(readFileSync(join(LAB, 'abort.pcap'))));
    const pcapng = join(dir, 'synthetic.pcapng');
    generateToFile(pcapng, 300_000, 'pcapng', 7);
    for (const path of [join(LAB, 'refused.pcap'), pcapng, gz]) {
      for (const args of [[path, '--json'], [path]]) {
        const packed = viaPackage(args);
        const checkout = await viaCheckout(args);
        expect(packed.status, packed.stderr).toBe(0);
        expect(checkout.status, checkout.stderr).toBe(0);
        expect(packed.stdout.length).toBeGreaterThan(100);
        expect(packed.stdout).toBe(checkout.stdout);
      }
    }
  });

  it('reads with its range threads (bundled as dist-cli/range-thread.js) the report of one thread', async () => {
    expect(readdirSync(join(dir, 'node_modules/resetscope/dist-cli'))).toContain('range-thread.js');
    const pcapng = join(dir, 'threads.pcapng');
    generateToFile(pcapng, 400_000, 'pcapng', 11);
    for (const path of [pcapng, join(LAB, 'refused.pcap')]) {
      const packed = viaPackage([path, '--json', '--threads', '3']);
      const single = await viaCheckout([path, '--json', '--threads', '1']);
      expect(packed.status, packed.stderr).toBe(0);
      expect(packed.stdout.length).toBeGreaterThan(100);
      expect(packed.stdout).toBe(single.stdout);
    }
  });

  it('runs as npx resetscope from the folder it is installed in, as npm run analyze does in the checkout', () => {
    const path = join(LAB, 'abort.pcap');
    const got = spawnSync('npx', ['--offline', 'resetscope', path, '--json'], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28 });
    expect(got.status, got.stderr).toBe(0);
    const checkout = spawnSync('npm', ['run', '--silent', 'analyze', '--', path, '--json'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 28 });
    expect(checkout.status, checkout.stderr).toBe(0);
    expect(got.stdout).toBe(checkout.stdout);
    expect(JSON.parse(got.stdout)).toHaveProperty('summary.resets');
  });

  it('exits 2 with the same reason on a file that is not a capture', async () => {
    const path = join(LAB, 'README.md');
    const packed = viaPackage([path]);
    expect(packed.status).toBe(2);
    expect(packed.stderr).toBe((await viaCheckout([path])).stderr);
  });

  it('is importable as a library, with the same report', async () => {
    const script = `import { analyzeFile } from 'resetscope';
const r = await analyzeFile(${JSON.stringify(join(LAB, 'refused.pcap'))});
console.log(JSON.stringify({ resets: r.report.summary.resets, connections: r.connections.length }));`;
    const got = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, encoding: 'utf8' });
    expect(got.status, got.stderr).toBe(0);
    const report = JSON.parse((await viaCheckout([join(LAB, 'refused.pcap'), '--json'])).stdout) as { summary: { resets: number }; connections: unknown[] };
    expect(JSON.parse(got.stdout)).toEqual({ resets: report.summary.resets, connections: report.connections.length });
  });

  it('says plainly that scan needs DuckDB when it is not installed next to it', () => {
    const got = viaPackage(['scan', LAB, '--out', join(dir, 'out')]);
    expect(got.status).toBe(2);
    expect(got.stderr).toContain('npm install @duckdb/node-api');
  });
});

/**
 * `npm run bench -- --scan` (issue 16): the packed command line (npm pack, installed from the
 * tarball into a temporary folder, DuckDB linked beside it) measured on
 *   - start-up: `resetscope --help` and `resetscope <lab capture>`, against `node -e ''`, median of
 *     10 runs each;
 *   - `resetscope scan` of a folder of bench captures (generated once, cached like the others) with
 *     1 and 2 threads (`--jobs`), from a warm page cache, each into a fresh OUT: wall time, MB/s,
 *     files/s;
 *   - when redis-server is installed: the queue with 1 and 2 worker processes (`--jobs 1` each) on a
 *     redis-server of its own, from `queue add` to the last job done.
 * Prints a table and writes bench/results/scan-latest.json.
 *
 * Options: --scan-files N (default 8)  --scan-size 25MB (each)  --out FILE
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureCapture } from './cache.ts';
import { parseSize } from './generate.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function value(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  if (i >= 0) return argv[i + 1];
  return argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const HAS_TIME = spawnSync('/usr/bin/time', ['-f', '%U', 'true']).status === 0;

/** Median wall and CPU (user + system, with GNU time) milliseconds of `runs` runs. */
function timeRuns(cmd: string, args: string[], runs: number): { wallMs: number; cpuMs: number | null } {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    const r = HAS_TIME
      ? spawnSync('/usr/bin/time', ['-f', 'cpu %U %S', cmd, ...args], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' })
      : spawnSync(cmd, args, { stdio: 'ignore' });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}`);
    wall.push(Number(process.hrtime.bigint() - t) / 1e6);
    const m = HAS_TIME ? /cpu ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr as string) : null;
    if (m) cpu.push((Number(m[1]) + Number(m[2])) * 1000);
  }
  return { wallMs: median(wall), cpuMs: cpu.length ? median(cpu) : null };
}

/** npm pack, installed offline into a temporary folder with DuckDB linked beside it; returns the bin. */
function installPacked(dir: string): string {
  mkdirSync(dir, { recursive: true });
  execFileSync('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'))!;
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'bench', private: true }));
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--silent', join(dir, tarball)], { cwd: dir, stdio: 'inherit' });
  mkdirSync(join(dir, 'node_modules/@duckdb'), { recursive: true });
  for (const p of readdirSync(join(ROOT, 'node_modules/@duckdb'))) {
    symlinkSync(join(ROOT, 'node_modules/@duckdb', p), join(dir, 'node_modules/@duckdb', p));
  }
  return join(dir, 'node_modules/.bin/resetscope');
}

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => res(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

async function queueRun(bin: string, folder: string, tmp: string, workers: number): Promise<number> {
  const port = await freePort();
  const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'ignore'] });
  await new Promise<void>((res) => {
    let log = '';
    redis.stdout!.on('data', (d: Buffer) => {
      log += d.toString();
      if (log.includes('Ready to accept connections')) res();
    });
  });
  try {
    const url = `redis://127.0.0.1:${port}`;
    const out = mkdtempSync(join(tmp, 'queue-out-'));
    const t = process.hrtime.bigint();
    execFileSync(bin, ['queue', 'add', folder, '--redis', url], { stdio: 'ignore' });
    const procs = Array.from({ length: workers }, () => spawn(bin, ['worker', '--redis', url, '--out', out, '--jobs', '1', '--until-empty', '--lock-ms', '5000'], { stdio: 'ignore' }));
    await Promise.all(procs.map((p) => new Promise((r) => p.once('exit', r))));
    return Number(process.hrtime.bigint() - t) / 1e9;
  } finally {
    redis.kill('SIGKILL');
  }
}

export async function benchScan(argv: string[]): Promise<void> {
  const files = Number(value(argv, 'scan-files') ?? 8);
  const sizeLabel = value(argv, 'scan-size') ?? '25MB';
  const size = parseSize(sizeLabel);
  const outFile = value(argv, 'out') ?? join(ROOT, 'bench/results/scan-latest.json');
  const tmp = mkdtempSync(join(tmpdir(), 'resetscope-bench-scan-'));
  try {
    console.log(`bench --scan: packing and installing the command line in ${tmp}`);
    const bin = installPacked(join(tmp, 'install'));
    const folder = join(tmp, 'captures');
    mkdirSync(folder);
    let bytes = 0;
    for (let i = 0; i < files; i++) {
      const format = i % 2 ? 'pcapng' : 'pcap';
      const c = ensureCapture(sizeLabel, size, format, 100 + i);
      symlinkSync(c.path, join(folder, `capture-${i}.${format}`));
      bytes += c.summary.bytes;
      execFileSync('cat', [c.path], { stdio: ['ignore', 'ignore', 'ignore'] }); // warm the page cache
    }

    const lab = join(ROOT, 'test/captures/lab/refused.pcap');
    const startup = {
      nodeEmpty: timeRuns(process.execPath, ['-e', ''], 10),
      help: timeRuns(bin, ['--help'], 10),
      labCapture: timeRuns(bin, [lab], 10),
    };

    // CPU seconds (user + system, GNU time) beside the wall time: on a busy machine the wall time
    // says little, while MB per CPU second says whether the threads add work (they should not).
    const scans: { jobs: number; seconds: number; mbPerSecond: number; filesPerSecond: number; cpuSeconds: number | null; mbPerCpuSecond: number | null }[] = [];
    for (const jobs of [1, 2]) {
      const out = mkdtempSync(join(tmp, `out-${jobs}-`));
      const args = ['scan', folder, '--out', out, '--jobs', String(jobs)];
      const t = process.hrtime.bigint();
      const r = HAS_TIME ? spawnSync('/usr/bin/time', ['-f', 'cpu %U %S', bin, ...args], { encoding: 'utf8' }) : spawnSync(bin, args, { encoding: 'utf8' });
      const seconds = Number(process.hrtime.bigint() - t) / 1e9;
      if (r.status !== 0) throw new Error(`scan failed: ${r.stderr}`);
      const cpu = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr);
      const cpuSeconds = cpu ? Number(cpu[1]) + Number(cpu[2]) : null;
      scans.push({
        jobs,
        seconds,
        mbPerSecond: bytes / 1e6 / seconds,
        filesPerSecond: files / seconds,
        cpuSeconds,
        mbPerCpuSecond: cpuSeconds ? bytes / 1e6 / cpuSeconds : null,
      });
    }

    const queue: { workers: number; seconds: number; mbPerSecond: number }[] = [];
    if (spawnSync('redis-server', ['--version']).status === 0) {
      for (const workers of [1, 2]) {
        const seconds = await queueRun(bin, folder, tmp, workers);
        queue.push({ workers, seconds, mbPerSecond: bytes / 1e6 / seconds });
      }
    } else {
      console.warn('bench --scan: redis-server is not installed; the queue was not measured');
    }

    const result = {
      date: new Date().toISOString(),
      // The load average says how much else ran: on a shared machine the figures mean little.
      machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, node: process.version, loadAverage1m: loadavg()[0] },
      captures: { files, bytes },
      startup,
      scans,
      queue,
    };
    mkdirSync(dirname(outFile), { recursive: true });
    writeFileSync(outFile, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`\n${files} captures, ${(bytes / 1e6).toFixed(0)} MB, ${cpus().length} cores (${result.machine.cpu}), load average ${loadavg()[0]!.toFixed(1)}`);
    const ms = (t: { wallMs: number; cpuMs: number | null }): string => `${t.wallMs.toFixed(0)} ms${t.cpuMs === null ? '' : ` (${t.cpuMs.toFixed(0)} ms CPU)`}`;
    console.log(`start-up (median of 10): node -e '' ${ms(startup.nodeEmpty)}; resetscope --help ${ms(startup.help)}; resetscope on a lab capture ${ms(startup.labCapture)}`);
    for (const s of scans) {
      const cpu = s.cpuSeconds === null ? '' : `; ${s.cpuSeconds.toFixed(2)} CPU s, ${s.mbPerCpuSecond!.toFixed(0)} MB per CPU second`;
      console.log(`scan --jobs ${s.jobs}: ${s.seconds.toFixed(2)} s, ${s.mbPerSecond.toFixed(0)} MB/s, ${s.filesPerSecond.toFixed(2)} files/s${cpu}`);
    }
    for (const q of queue) console.log(`queue, ${q.workers} worker${q.workers === 1 ? '' : 's'} (--jobs 1): ${q.seconds.toFixed(2)} s, ${q.mbPerSecond.toFixed(0)} MB/s (from queue add to the last job done)`);
    console.log(`written to ${outFile}`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await benchScan(process.argv.slice(2));

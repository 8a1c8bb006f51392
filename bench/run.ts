/**
 * `npm run bench` (issue 6): generates (or reuses) deterministic synthetic captures, then measures on
 * each, in the same run and from a warm page cache:
 *   - the core through the command line (`src/cli/main.ts FILE --json > /dev/null`, bundled once with
 *     esbuild so the time is the core's and not the TypeScript loader's): wall time, MB/s, packets/s,
 *     peak RSS, and that RSS against the memory budget;
 *   - `tshark -r FILE -q -z conv,tcp`, when tshark is installed;
 *   - `cat FILE > /dev/null`, the ceiling;
 *   - the app in Chromium through Playwright when `dist/` exists (bench/browser.ts);
 * prints a table and writes bench/results/latest.json.
 *
 * and, in Chromium, issue 6's interaction targets (bench/browser.ts measureTargets): how often the
 * progress bar moves (every capture), how long Cancel takes (on the first capture of 100 MB or more),
 * and how long the ladder of one 1,000,000-packet connection takes to open (bench/long-connection.ts).
 *
 * and, through the command line, issue 13's hostile captures (bench/hostile.ts): 64k connections
 * crafted to collide in the flow table against 64k random ones, and one connection of 1,000,000 RSTs.
 *
 * Options: --sizes 10MB,200MB,1GB (4GB allowed, not a default)  --formats pcap,pcapng  --repeat N
 *          --seed N  --no-tshark  --no-browser  --no-targets  --no-check  --no-hostile  --out FILE
 *          (--sizes none: only the hostile captures)
 *          --scan: instead, the packed command line's start-up and scan throughput (bench/scan.ts)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, type as osType, release } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheRoot, ensureCapture, type CachedCapture } from './cache.ts';
import { GENERATOR_VERSION, parseSize, type CaptureFormat } from './generate.ts';
import { measureHostile, printHostile, type HostileResult } from './hostile.ts';
import { measure, type Measurement } from './measure.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

interface Args {
  sizes: string[];
  formats: CaptureFormat[];
  repeat: number | null;
  seed: number;
  tshark: boolean;
  browser: boolean;
  targets: boolean;
  check: boolean;
  hostile: boolean;
  out: string;
}

function parseArgs(argv: string[]): Args {
  const value = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    if (i >= 0) return argv[i + 1];
    const eq = argv.find((a) => a.startsWith(`--${name}=`));
    return eq?.slice(name.length + 3);
  };
  const list = (name: string, fallback: string): string[] =>
    (value(name) ?? fallback)
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const formats = list('formats', 'pcap,pcapng');
  for (const f of formats) if (f !== 'pcap' && f !== 'pcapng') throw new Error(`unknown format ${f}`);
  return {
    sizes: list('sizes', '10MB,200MB,1GB').filter((s) => s !== 'none'),
    formats: formats as CaptureFormat[],
    repeat: value('repeat') ? Number(value('repeat')) : null,
    seed: Number(value('seed') ?? 1),
    tshark: !argv.includes('--no-tshark'),
    browser: !argv.includes('--no-browser'),
    targets: !argv.includes('--no-targets'),
    check: !argv.includes('--no-check'),
    hostile: !argv.includes('--no-hostile'),
    out: value('out') ?? join(ROOT, 'bench', 'results', 'latest.json'),
  };
}

// ------------------------------------------------------------------------------------------------

interface Tool {
  name: string;
  command: string;
  args: (file: string) => string[];
}

/** Bundles a TypeScript entry into one ESM file with esbuild (shipped with tsx and vite); null on failure. */
async function bundle(entry: string, name: string): Promise<string | null> {
  const outfile = join(cacheRoot(), 'bundles', `${name}.mjs`);
  try {
    const esbuild = await import('esbuild');
    await esbuild.build({
      entryPoints: [entry],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile,
      logLevel: 'error',
      // The scan subcommand's database is a native module, loaded only by `scan`: left out.
      external: ['@duckdb/*'],
      // Bundled CommonJS dependencies may call require(); give the ESM bundle one.
      banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    });
    return outfile;
  } catch (e) {
    console.warn(`bench: could not bundle ${entry} (${(e as Error).message.split('\n')[0]}); running it through tsx`);
    return null;
  }
}

/** The CLI as one bundled file, or through tsx when bundling fails. */
async function coreTool(): Promise<Tool & { how: string }> {
  const entry = join(ROOT, 'src', 'cli', 'main.ts');
  if (!existsSync(entry)) throw new Error('src/cli/main.ts does not exist yet');
  const outfile = await bundle(entry, 'cli');
  if (outfile) {
    return { name: 'core', command: process.execPath, args: (f) => [outfile, f, '--json'], how: 'node (esbuild bundle of src/cli/main.ts)' };
  }
  return {
    name: 'core',
    command: process.execPath,
    args: (f) => ['--import', 'tsx', entry, f, '--json'],
    how: 'node --import tsx src/cli/main.ts',
  };
}

/** What bench/phases.ts prints (see there). */
interface Phases {
  readSeconds: number;
  indexSeconds: number;
  classifySeconds: number;
  analyzeSeconds: number;
  classifyOverhead: number;
  stringifySeconds: number;
  reportJsonBytes: number;
  resets: number;
  connections: number;
  packets: number;
  gcMeasured: boolean;
  keptBytes: number;
  packetColumnBytesPerPacket: number;
  keptBytesPerConnection: number;
}

/** bench/phases.ts on one capture: where the core's time goes. */
async function phases(file: string): Promise<Phases | { error: string }> {
  const entry = join(ROOT, 'bench', 'phases.ts');
  const outfile = await bundle(entry, 'phases');
  const args = outfile ? ['--expose-gc', outfile, file] : ['--expose-gc', '--import', 'tsx', entry, file];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) return { error: (r.stderr || `exit ${r.status}`).trim().split('\n').slice(-2).join(' | ') };
  try {
    return JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as Phases;
  } catch {
    return { error: `unreadable output: ${r.stdout.slice(0, 200)}` };
  }
}

const TSHARK: Tool = { name: 'tshark', command: 'tshark', args: (f) => ['-r', f, '-q', '-z', 'conv,tcp'] };
const CAT: Tool = { name: 'cat', command: 'cat', args: (f) => [f] };

function toolVersion(command: string, args: string[]): string | null {
  const r = spawnSync(command, args, { encoding: 'utf8' });
  if (r.status !== 0) return null;
  return (r.stdout || r.stderr).split('\n')[0]!.trim();
}

interface ToolResult {
  tool: string;
  runs: number;
  /** Best (smallest) wall time of the runs, seconds. */
  wallSeconds: number;
  mbPerSecond: number;
  packetsPerSecond: number;
  peakRssBytes: number | null;
  error?: string;
}

interface CaptureResult {
  size: string;
  format: CaptureFormat;
  file: string;
  bytes: number;
  packets: number;
  connections: number;
  resets: number;
  generated: boolean;
  generationSeconds: number;
  tools: ToolResult[];
  /** core MB/s over tshark's, and over cat's. */
  coreVsTshark: number | null;
  coreVsCat: number | null;
  /** The memory budget: baseline RSS + 32 B per packet + 1 KiB per connection. */
  memoryBudgetBytes: number | null;
  coreRssOverBaselinePerPacket: number | null;
  check?: CheckResult;
  phases?: Phases | { error: string };
  browser?: unknown;
}

async function runTool(tool: Tool, cap: CachedCapture, repeat: number): Promise<ToolResult> {
  const runs: Measurement[] = [];
  for (let i = 0; i < repeat; i++) {
    const m = await measure(tool.command, tool.args(cap.path));
    runs.push(m);
    if (m.exitCode !== 0) break;
  }
  const failed = runs.find((r) => r.exitCode !== 0);
  const best = runs.reduce((a, b) => (b.wallSeconds < a.wallSeconds ? b : a));
  const peak = runs.reduce<number | null>((a, b) => (b.peakRssBytes === null ? a : Math.max(a ?? 0, b.peakRssBytes)), null);
  const result: ToolResult = {
    tool: tool.name,
    runs: runs.length,
    wallSeconds: best.wallSeconds,
    mbPerSecond: cap.summary.bytes / 1e6 / best.wallSeconds,
    packetsPerSecond: cap.summary.packets / best.wallSeconds,
    peakRssBytes: peak,
  };
  if (failed) result.error = `exit ${failed.exitCode}: ${failed.stderr.trim().split('\n').slice(-3).join(' | ')}`;
  return result;
}

// ------------------------------------------------------------------------------------------------
// A correctness check on the smallest capture: what the core reports against what the generator wrote.

interface CheckResult {
  packetsReported: number | null;
  packetsWritten: number;
  connectionsReported: number | null;
  labelledResets: number;
  /** Labelled RSTs whose verdict is the labelled scenario. */
  agreeing: number;
  /** label -> verdict -> count, for the labelled RSTs. */
  confusion: Record<string, Record<string, number>>;
  error?: string;
}

interface ReportShape {
  packets?: number;
  connections?: { resets?: { frame: number; scenario: string }[] }[];
}

function check(core: Tool, cap: CachedCapture): CheckResult {
  const base: CheckResult = {
    packetsReported: null,
    packetsWritten: cap.summary.packets,
    connectionsReported: null,
    labelledResets: cap.summary.labels.length,
    agreeing: 0,
    confusion: {},
  };
  let report: ReportShape;
  try {
    const out = execFileSync(core.command, core.args(cap.path), { maxBuffer: 1 << 30, encoding: 'utf8' });
    report = JSON.parse(out) as ReportShape;
  } catch (e) {
    return { ...base, error: (e as Error).message.split('\n')[0] ?? 'failed' };
  }
  const verdicts = new Map<number, string>();
  for (const c of report.connections ?? []) for (const r of c.resets ?? []) verdicts.set(r.frame, r.scenario);
  const confusion: Record<string, Record<string, number>> = {};
  let agreeing = 0;
  for (const { frame, scenario } of cap.summary.labels) {
    const got = verdicts.get(frame) ?? '(none)';
    const row = (confusion[scenario] ??= {});
    row[got] = (row[got] ?? 0) + 1;
    if (got === scenario) agreeing++;
  }
  return {
    ...base,
    packetsReported: report.packets ?? null,
    connectionsReported: report.connections?.length ?? null,
    agreeing,
    confusion,
  };
}

// ------------------------------------------------------------------------------------------------

const mb = (bytes: number | null): string => (bytes === null ? '—' : (bytes / 1e6).toFixed(0));
const fixed = (n: number | null, digits = 1): string => (n === null || !Number.isFinite(n) ? '—' : n.toFixed(digits));

function printTable(results: CaptureResult[]): void {
  const header = ['capture', 'MB', 'packets', 'tool', 'wall s', 'MB/s', 'Mpkt/s', 'peak RSS MB', 'core vs tshark', 'core vs cat'];
  const rows: string[][] = [header];
  for (const r of results) {
    for (const t of r.tools) {
      const core = t.tool === 'core';
      rows.push([
        `${r.size} ${r.format}`,
        mb(r.bytes),
        String(r.packets),
        t.error ? `${t.tool} (FAILED)` : t.tool,
        fixed(t.wallSeconds, 2),
        fixed(t.mbPerSecond, 0),
        fixed(t.packetsPerSecond / 1e6, 2),
        mb(t.peakRssBytes),
        core && r.coreVsTshark !== null ? `${fixed(r.coreVsTshark, 1)}x` : '',
        core && r.coreVsCat !== null ? `${fixed(100 * r.coreVsCat, 0)}%` : '',
      ]);
    }
  }
  const widths = header.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const [i, row] of rows.entries()) {
    console.log(row.map((cell, j) => (j >= 1 && j !== 3 ? cell.padStart(widths[j]!) : cell.padEnd(widths[j]!))).join('  '));
    if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
}

async function main(): Promise<void> {
  if (process.argv.includes('--scan')) {
    // Issue 16: the packed command line's start-up and the scan's throughput (bench/scan.ts).
    await (await import('./scan.ts')).benchScan(process.argv.slice(2));
    return;
  }
  const args = parseArgs(process.argv.slice(2));
  const tsharkVersion = args.tshark ? toolVersion('tshark', ['--version']) : null;
  if (args.tshark && !tsharkVersion) console.warn('bench: tshark is not installed; its column is left out');
  const core = await coreTool();
  const machine = {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGB: Math.round(totalmem() / 1e9),
    os: `${osType()} ${release()}`,
    node: process.version,
    tshark: tsharkVersion,
  };
  console.log(`machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGB} GB, ${machine.os}, node ${machine.node}`);
  console.log(`core: ${core.how}; tshark: ${tsharkVersion ?? 'absent'}; captures in ${cacheRoot()}\n`);

  // Baseline memory: the CLI on a tiny capture (what any run costs before the first packet).
  const tiny = ensureCapture('100KB', 100_000, 'pcap', args.seed);
  const baseline = (await measure(core.command, core.args(tiny.path))).peakRssBytes;

  const results: CaptureResult[] = [];
  for (const size of args.sizes) {
    const target = parseSize(size);
    for (const format of args.formats) {
      const t0 = performance.now();
      const cap = ensureCapture(size, target, format, args.seed);
      const s = cap.summary;
      if (cap.generated) {
        const secs = (performance.now() - t0) / 1000;
        console.log(`generated ${size} ${format}: ${mb(s.bytes)} MB, ${s.packets} packets in ${secs.toFixed(1)} s (${(s.bytes / 1e6 / secs).toFixed(0)} MB/s)`);
      }
      const repeat = args.repeat ?? (s.bytes <= 50e6 ? 3 : 1);
      await measure('cat', [cap.path]); // warm the page cache so every tool reads from memory
      const tools: ToolResult[] = [];
      tools.push(await runTool(CAT, cap, repeat));
      const coreResult = await runTool(core, cap, repeat);
      tools.push(coreResult);
      if (tsharkVersion) tools.push(await runTool(TSHARK, cap, repeat));
      const tsharkResult = tools.find((t) => t.tool === 'tshark');
      const catResult = tools.find((t) => t.tool === 'cat')!;
      const budget = baseline === null ? null : baseline + 32 * s.packets + 1024 * s.connections;
      const result: CaptureResult = {
        size,
        format,
        file: cap.path,
        bytes: s.bytes,
        packets: s.packets,
        connections: s.connections,
        resets: s.labels.length,
        generated: cap.generated,
        generationSeconds: s.generationSeconds,
        tools,
        coreVsTshark: tsharkResult && !coreResult.error ? coreResult.mbPerSecond / tsharkResult.mbPerSecond : null,
        coreVsCat: coreResult.error ? null : coreResult.mbPerSecond / catResult.mbPerSecond,
        memoryBudgetBytes: budget,
        coreRssOverBaselinePerPacket:
          coreResult.peakRssBytes !== null && baseline !== null ? (coreResult.peakRssBytes - baseline) / s.packets : null,
      };
      if (coreResult.error) console.warn(`bench: core failed on ${size} ${format}: ${coreResult.error}`);
      if (args.check && results.length === 0 && !coreResult.error) result.check = check(core, cap);
      if (!coreResult.error) result.phases = await phases(cap.path);
      results.push(result);
      const line = tools.map((t) => `${t.tool} ${fixed(t.mbPerSecond, 0)} MB/s`).join(', ');
      console.log(`${size} ${format}: ${line}`);
    }
  }

  let browser: unknown = null;
  if (args.browser) {
    const { measureBrowser } = await import('./browser.ts');
    browser = await measureBrowser(results.map((r) => ({ size: r.size, format: r.format, path: r.file, bytes: r.bytes })));
    if (browser && Array.isArray(browser)) {
      for (const b of browser as { size: string; format: string }[]) {
        const r = results.find((x) => x.size === b.size && x.format === b.format);
        if (r) r.browser = b;
      }
    }
  }

  let targets: unknown = null;
  if (args.browser && args.targets) {
    const { measureTargets } = await import('./browser.ts');
    const { ensureLongConnection } = await import('./long-connection.ts');
    const big = results.filter((r) => r.bytes >= 100e6).sort((a, b) => a.bytes - b.bytes)[0];
    const long = ensureLongConnection(1_000_000);
    targets = await measureTargets(
      big ? { size: big.size, format: big.format, path: big.file, bytes: big.bytes } : null,
      { path: long.path, bytes: long.bytes, packets: long.packets, rowText: `:${long.clientPort}` },
    );
  }

  let hostile: HostileResult | null = null;
  if (args.hostile) hostile = await measureHostile(core, args.repeat ?? 3);

  console.log('');
  printTable(results);
  if (hostile) {
    console.log('');
    printHostile(hostile);
  }
  console.log('');
  // Issue 6's budget is for what the analysis keeps (phases.ts measures it after a full GC); the
  // process' peak RSS adds the runtime, buffers and garbage not yet collected, shown beside it.
  for (const r of results) {
    const p = r.phases && !('error' in r.phases) ? r.phases : null;
    const keptBudget = 32 * r.packets + 1024 * r.connections;
    const coreRss = r.tools.find((t) => t.tool === 'core')?.peakRssBytes ?? null;
    const kept = p
      ? `kept ${mb(p.keptBytes)} MB against a budget of ${mb(keptBudget)} MB (32 B x ${r.packets} packets + 1 KiB x ${r.connections} connections): ` +
        `${p.keptBytes <= keptBudget ? 'within' : 'OVER'} (${fixed(p.packetColumnBytesPerPacket, 0)} B/packet, ${fixed(p.keptBytesPerConnection, 0)} B/connection)`
      : 'kept: not measured';
    const rss =
      r.memoryBudgetBytes !== null
        ? `; peak RSS ${mb(coreRss)} MB against baseline + budget ${mb(r.memoryBudgetBytes)} MB (${fixed(r.coreRssOverBaselinePerPacket, 1)} B/packet over the baseline)`
        : '';
    console.log(`memory ${r.size} ${r.format}: ${kept}${rss}`);
  }
  for (const r of results) {
    const p = r.phases;
    if (!p) continue;
    if ('error' in p) console.log(`phases ${r.size} ${r.format}: failed (${p.error})`);
    else
      console.log(
        `phases ${r.size} ${r.format}: read+track ${fixed(p.readSeconds, 2)} s, index ${fixed(p.indexSeconds, 3)} s, ` +
          `classify ${fixed(p.classifySeconds, 3)} s (+${fixed(100 * p.classifyOverhead, 1)}%); ` +
          `kept ${mb(p.keptBytes)} MB = ${fixed(p.packetColumnBytesPerPacket, 0)} B/packet + ${fixed(p.keptBytesPerConnection, 0)} B/connection; ` +
          `JSON report ${mb(p.reportJsonBytes)} MB in ${fixed(p.stringifySeconds, 2)} s; ${p.resets} resets, ${p.connections} connections`,
      );
  }
  const checked = results.find((r) => r.check);
  if (checked?.check) {
    const c = checked.check;
    console.log(
      `\ncheck on ${checked.size} ${checked.format}: packets ${c.packetsReported ?? '?'} reported / ${c.packetsWritten} written; ` +
        `${c.agreeing}/${c.labelledResets} labelled resets get the scenario their script meant` +
        (c.error ? ` (error: ${c.error})` : ''),
    );
    for (const [label, row] of Object.entries(c.confusion)) {
      const got = Object.entries(row)
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => `${k} ${v}`)
        .join(', ');
      console.log(`  ${label.padEnd(24)} -> ${got}`);
    }
  }
  if (browser === null && args.browser) console.log('\nbrowser: skipped (no dist/; run `vite build` first)');

  const document = {
    date: new Date().toISOString(),
    commit: (() => {
      try {
        return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
      } catch {
        return null;
      }
    })(),
    machine,
    core: core.how,
    generatorVersion: GENERATOR_VERSION,
    baselineRssBytes: baseline,
    note: 'Wall times are the best of the runs, from a warm page cache; peak RSS is the largest of the runs.',
    results,
    targets,
    hostile,
  };
  mkdirSync(dirname(args.out), { recursive: true });
  writeFileSync(args.out, `${JSON.stringify(document, null, 2)}\n`);
  console.log(`\nwrote ${args.out}`);
}

main().catch((e: unknown) => {
  console.error(`bench: ${(e as Error).stack ?? String(e)}`);
  process.exitCode = 1;
});

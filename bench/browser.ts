/**
 * The browser half of the benchmark (issue 6): the built app (`dist/`) in Debian's Chromium through
 * Playwright, one fresh browser per capture. For each capture it measures, from the file input's
 * `change` event (in the page's own clock):
 *   - time to the first connection row (`[data-testid="connection-row"]`) in the DOM;
 *   - time to `body[data-analysis="done"]` (or "error");
 *   - peak JS heap of the page (CDP Performance.getMetrics) and of its workers (Runtime.getHeapUsage
 *     through CDP target sessions), sampled every 100 ms;
 *   - peak RSS of the renderer process (VmHWM), which is what decides whether a tab dies.
 * Runs only when dist/index.html exists; returns null otherwise.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type CDPSession, type Locator, type Page } from '@playwright/test';
import { chromiumArgs, chromiumPath } from '../e2e/chromium.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');

export interface BrowserCapture {
  size: string;
  format: string;
  path: string;
  bytes: number;
}

export interface BrowserResult {
  size: string;
  format: string;
  status: 'done' | 'error' | 'timeout' | 'crashed';
  /** Seconds from the file input's change event. */
  firstRowsSeconds: number | null;
  doneSeconds: number | null;
  mbPerSecond: number | null;
  pageHeapPeakBytes: number | null;
  workerHeapPeakBytes: number | null;
  rendererPeakRssBytes: number | null;
  /** How often the progress bar moved while the file was read (issue 6: at least 5 times a second). */
  progress: ProgressFigures | null;
  consoleErrors: string[];
  error?: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.wasm': 'application/wasm',
  '.map': 'application/json',
};

/** A static server over dist/ on a free local port. */
function serveDist(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    let path = normalize(join(DIST, decodeURIComponent(url.pathname)));
    if (!path.startsWith(DIST)) {
      res.writeHead(403).end();
      return;
    }
    if (!existsSync(path) || statSync(path).isDirectory()) path = join(DIST, 'index.html');
    res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' });
    res.end(readFileSync(path));
  });
  return new Promise((resolvePromise) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolvePromise({ server, url: `http://127.0.0.1:${port}/` });
    });
  });
}

/**
 * In the page: timestamps of the change event, the first row and the end signal; every new value of
 * the progress bar's `aria-valuenow` and every new progress text (bytes read); a click on Cancel and
 * the `cancelled` state; a click on a connection row and the first frame in which its ladder shows
 * an arrow.
 */
const INSTRUMENT = `
(() => {
  const b = (window.__bench = { progress: [], progressText: [] });
  let lastValue = null;
  let lastText = null;
  document.addEventListener('change', (e) => {
    if (e.target && e.target.dataset && e.target.dataset.testid === 'file-input' && b.t0 === undefined) b.t0 = performance.now();
  }, true);
  document.addEventListener('click', (e) => {
    const el = e.target instanceof Element ? e.target : null;
    if (!el) return;
    const button = el.closest('button');
    if (button && button.textContent.trim() === 'Cancel' && b.cancelClick === undefined) b.cancelClick = performance.now();
    if (el.closest('[data-testid="connection-row"]') && b.rowClick === undefined) {
      b.rowClick = performance.now();
      const frame = () => {
        if (document.querySelector('[data-testid="ladder"] [data-frame]')) b.ladderPainted = performance.now();
        else requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
    }
  }, true);
  const check = () => {
    if (b.t0 === undefined) return;
    const now = performance.now();
    if (b.rows === undefined && document.querySelector('[data-testid="connection-row"]')) b.rows = now;
    const bar = document.querySelector('[role="progressbar"]');
    if (bar) {
      const v = bar.getAttribute('aria-valuenow');
      if (v !== lastValue) { lastValue = v; b.progress.push([now, Number(v)]); }
      const text = bar.parentElement && bar.parentElement.querySelector('.progress-text');
      const t = text ? text.textContent : null;
      if (t !== lastText) { lastText = t; b.progressText.push(now); }
    }
    if (b.rowClick !== undefined && b.ladderDom === undefined && document.querySelector('[data-testid="ladder"] [data-frame]')) b.ladderDom = now;
    const s = document.body && document.body.dataset.analysis;
    if (b.done === undefined && (s === 'done' || s === 'error')) { b.done = now; b.status = s; }
    if (b.cancelled === undefined && s === 'cancelled') b.cancelled = now;
  };
  new MutationObserver(check).observe(document, {
    subtree: true, childList: true, characterData: true, attributes: true,
    attributeFilter: ['data-analysis', 'aria-valuenow'],
  });
})();
`;

interface BenchMarks {
  t0?: number;
  rows?: number;
  done?: number;
  status?: string;
  /** [time, aria-valuenow] for every new value of the progress bar. */
  progress?: [number, number][];
  /** Times the progress text (bytes, packets, connections read) changed. */
  progressText?: number[];
  cancelClick?: number;
  cancelled?: number;
  rowClick?: number;
  ladderDom?: number;
  ladderPainted?: number;
}

export interface ProgressFigures {
  /** New values of the progress bar's aria-valuenow while the file was read. */
  updates: number;
  /** Those per second, from the first value shown to 100% (or the end of the run). */
  updatesPerSecond: number | null;
  /** Longest time without a new value, from the file being chosen to 100% (ms). */
  longestGapMs: number | null;
  /** Changes of the progress text (bytes / packets / connections read) per second, same window. */
  textUpdatesPerSecond: number | null;
}

/** Progress figures from the page's marks: the window runs from the first value to 100% or the end. */
function progressFigures(marks: BenchMarks): ProgressFigures | null {
  const values = marks.progress ?? [];
  if (marks.t0 === undefined || values.length === 0) return null;
  const full = values.find(([, v]) => v >= 100)?.[0];
  const end = full ?? marks.done ?? marks.cancelled ?? values[values.length - 1]![0];
  const inWindow = values.filter(([t]) => t <= end);
  const start = inWindow[0]![0];
  const seconds = (end - start) / 1000;
  let gap = inWindow[0]![0] - marks.t0;
  for (let i = 1; i < inWindow.length; i++) gap = Math.max(gap, inWindow[i]![0] - inWindow[i - 1]![0]);
  const texts = (marks.progressText ?? []).filter((t) => t >= start && t <= end).length;
  return {
    updates: inWindow.length - 1,
    updatesPerSecond: seconds > 0 ? (inWindow.length - 1) / seconds : null,
    longestGapMs: gap,
    textUpdatesPerSecond: seconds > 0 ? (texts - 1) / seconds : null,
  };
}

/** Processes under `root` (by parent pid), with their command lines. */
function descendants(root: number): { pid: number; cmdline: string }[] {
  const parent = new Map<number, number>();
  const cmd = new Map<number, string>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parent.set(Number(name), ppid);
      cmd.set(Number(name), readFileSync(`/proc/${name}/cmdline`, 'utf8').replace(/\0/g, ' '));
    } catch {
      // gone
    }
  }
  const out: { pid: number; cmdline: string }[] = [];
  for (const [pid] of parent) {
    let p: number | undefined = pid;
    for (let depth = 0; p !== undefined && p > 1 && depth < 10; depth++) {
      p = parent.get(p);
      if (p === root) {
        out.push({ pid, cmdline: cmd.get(pid) ?? '' });
        break;
      }
    }
  }
  return out;
}

function browserPid(userDataDir: string): number | null {
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8');
      if (cmdline.includes(`--user-data-dir=${userDataDir}`) && !cmdline.includes('--type=')) return Number(name);
    } catch {
      // gone
    }
  }
  return null;
}

function peakRendererRss(root: number | null): number | null {
  if (root === null) return null;
  let peak: number | null = null;
  for (const { pid, cmdline } of descendants(root)) {
    if (!cmdline.includes('--type=renderer')) continue;
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) peak = Math.max(peak ?? 0, Number(m[1]) * 1024);
    } catch {
      // gone
    }
  }
  return peak;
}

/** Samples worker heaps through CDP target sessions (the non-flattened protocol, on our own session). */
async function watchWorkers(cdp: CDPSession): Promise<() => Promise<number | null>> {
  const sessions = new Set<string>();
  const pending = new Map<number, (used: number | null) => void>();
  let nextId = 1;
  cdp.on('Target.attachedToTarget', (e) => {
    if (e.targetInfo.type === 'worker') sessions.add(e.sessionId);
  });
  cdp.on('Target.detachedFromTarget', (e) => {
    if (e.sessionId) sessions.delete(e.sessionId);
  });
  cdp.on('Target.receivedMessageFromTarget', (e) => {
    const msg = JSON.parse(e.message) as { id?: number; result?: { usedSize?: number } };
    if (msg.id !== undefined) pending.get(msg.id)?.(msg.result?.usedSize ?? null);
  });
  try {
    await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
  } catch {
    return () => Promise.resolve(null);
  }
  return async () => {
    let total: number | null = null;
    for (const sessionId of sessions) {
      const id = nextId++;
      const reply = new Promise<number | null>((r) => {
        pending.set(id, r);
        setTimeout(() => r(null), 500);
      });
      try {
        await cdp.send('Target.sendMessageToTarget', {
          sessionId,
          message: JSON.stringify({ id, method: 'Runtime.getHeapUsage' }),
        });
      } catch {
        pending.delete(id);
        continue;
      }
      const got = await reply;
      pending.delete(id);
      if (got !== null) total = (total ?? 0) + got;
    }
    return total;
  };
}

/** A fresh headless Chromium with its own profile directory (removed by `closeBrowser`). */
async function launch(): Promise<{ context: BrowserContext; userDataDir: string }> {
  const executablePath = chromiumPath;
  const userDataDir = mkdtempSync(join(tmpdir(), 'resetscope-bench-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    serviceWorkers: 'block',
    viewport: { width: 1440, height: 900 },
    args: chromiumArgs,
  });
  return { context, userDataDir };
}

async function closeBrowser(context: BrowserContext, userDataDir: string): Promise<void> {
  await context.close().catch(() => undefined);
  rmSync(userDataDir, { recursive: true, force: true });
}

/** A page of the app with the instrumentation, its file input ready. */
async function openApp(context: BrowserContext, url: string): Promise<{ page: Page; input: Locator }> {
  const page = context.pages()[0] ?? (await context.newPage());
  await page.addInitScript(INSTRUMENT);
  await page.goto(url);
  const input = page.locator('[data-testid="file-input"]');
  await input.waitFor({ state: 'attached', timeout: 30_000 });
  return { page, input };
}

async function marksOf(page: Page): Promise<BenchMarks> {
  return (await page.evaluate('window.__bench').catch(() => ({}))) as BenchMarks;
}

/** Polls the page's marks until `done` says so or the time is up. */
async function waitForMarks(page: Page, done: (m: BenchMarks) => boolean, timeoutMs: number): Promise<BenchMarks> {
  const deadline = Date.now() + timeoutMs;
  let marks: BenchMarks = {};
  while (Date.now() < deadline) {
    marks = await marksOf(page);
    if (done(marks)) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  return marks;
}

async function measureOne(capture: BrowserCapture, url: string): Promise<BrowserResult> {
  const result: BrowserResult = {
    size: capture.size,
    format: capture.format,
    status: 'timeout',
    firstRowsSeconds: null,
    doneSeconds: null,
    mbPerSecond: null,
    pageHeapPeakBytes: null,
    workerHeapPeakBytes: null,
    rendererPeakRssBytes: null,
    progress: null,
    consoleErrors: [],
  };
  const { context, userDataDir } = await launch();
  const root = browserPid(userDataDir);
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    let crashed = false;
    page.on('crash', () => {
      crashed = true;
    });
    page.on('console', (m) => {
      if (m.type() === 'error' && result.consoleErrors.length < 10) result.consoleErrors.push(m.text().slice(0, 300));
    });
    await page.addInitScript(INSTRUMENT);
    await page.goto(url);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const workerHeap = await watchWorkers(cdp);
    const input = page.locator('[data-testid="file-input"]');
    await input.waitFor({ state: 'attached', timeout: 30_000 });

    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        try {
          const { metrics } = await cdp.send('Performance.getMetrics');
          const used = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value;
          if (used !== undefined) result.pageHeapPeakBytes = Math.max(result.pageHeapPeakBytes ?? 0, used);
          const w = await workerHeap();
          if (w !== null) result.workerHeapPeakBytes = Math.max(result.workerHeapPeakBytes ?? 0, w);
        } catch {
          // the page is busy or gone; try again
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    })();

    await input.setInputFiles(capture.path);
    // Generous: at least a minute, or 2 MB/s.
    const timeout = Math.max(60_000, (capture.bytes / 2e6) * 1000);
    const deadline = Date.now() + timeout;
    let marks: BenchMarks = {};
    while (Date.now() < deadline && !crashed) {
      marks = (await page.evaluate('window.__bench').catch(() => ({}))) as BenchMarks;
      if (marks.done !== undefined) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    sampling = false;
    await sampler;
    result.rendererPeakRssBytes = peakRendererRss(root);
    if (crashed) result.status = 'crashed';
    else if (marks.done !== undefined) result.status = marks.status === 'done' ? 'done' : 'error';
    result.progress = progressFigures(marks);
    if (marks.t0 !== undefined) {
      if (marks.rows !== undefined) result.firstRowsSeconds = (marks.rows - marks.t0) / 1000;
      if (marks.done !== undefined) {
        result.doneSeconds = (marks.done - marks.t0) / 1000;
        result.mbPerSecond = capture.bytes / 1e6 / result.doneSeconds;
      }
    }
  } catch (e) {
    result.error = (e as Error).message.split('\n')[0];
  } finally {
    await closeBrowser(context, userDataDir);
  }
  return result;
}

/** Measures every capture in the app; null when dist/ has not been built. */
export async function measureBrowser(captures: BrowserCapture[]): Promise<BrowserResult[] | null> {
  if (!existsSync(join(DIST, 'index.html'))) return null;
  const executablePath = chromiumPath;
  if (!existsSync(executablePath)) {
    console.warn(`bench: no Chromium at ${executablePath} (set CHROMIUM_PATH); browser half skipped`);
    return null;
  }
  const { server, url } = await serveDist();
  const results: BrowserResult[] = [];
  try {
    for (const c of captures) {
      const r = await measureOne(c, url);
      results.push(r);
      const f = (n: number | null, d = 2): string => (n === null ? '—' : n.toFixed(d));
      const m = (n: number | null): string => (n === null ? '—' : (n / 1e6).toFixed(0));
      console.log(
        `browser ${c.size} ${c.format}: ${r.status}, first rows ${f(r.firstRowsSeconds)} s, done ${f(r.doneSeconds)} s ` +
          `(${f(r.mbPerSecond, 0)} MB/s), heap page ${m(r.pageHeapPeakBytes)} MB / workers ${m(r.workerHeapPeakBytes)} MB, ` +
          `renderer RSS ${m(r.rendererPeakRssBytes)} MB; progress ${f(r.progress?.updatesPerSecond ?? null, 1)} updates/s ` +
          `(${r.progress?.updates ?? '—'} updates, longest gap ${f(r.progress?.longestGapMs ?? null, 0)} ms)` +
          `${r.error ? `, error: ${r.error}` : ''}`,
      );
    }
  } finally {
    server.close();
  }
  return results;
}

// ------------------------------------------------------------------------------------------------
// Issue 6's interaction targets: Cancel within 200 ms; a connection of 1,000,000 packets opens its
// ladder in under a second.

export interface CancelResult {
  size: string;
  format: string;
  /** Milliseconds from the click on Cancel to body[data-analysis="cancelled"], one per attempt. */
  cancelMs: (number | null)[];
  /** Percent read when Cancel was clicked, per attempt. */
  atPercent: (number | null)[];
  worstMs: number | null;
  error?: string;
}

/**
 * Chooses the capture, waits until a tenth of it is read (the worker is busy), clicks Cancel the way
 * a person does (Playwright's click), and times the click to the `cancelled` state in the page's own
 * clock. A fresh page per attempt.
 */
async function measureCancel(capture: BrowserCapture, url: string, attempts: number): Promise<CancelResult> {
  const result: CancelResult = { size: capture.size, format: capture.format, cancelMs: [], atPercent: [], worstMs: null };
  const { context, userDataDir } = await launch();
  try {
    for (let i = 0; i < attempts; i++) {
      const { page, input } = await openApp(context, url);
      await input.setInputFiles(capture.path);
      const before = await waitForMarks(page, (m) => (m.progress?.at(-1)?.[1] ?? 0) >= 10 || m.done !== undefined, 60_000);
      if (before.done !== undefined) throw new Error('the analysis ended before Cancel could be clicked');
      await page.getByRole('button', { name: 'Cancel' }).click();
      const marks = await waitForMarks(page, (m) => m.cancelled !== undefined || m.done !== undefined, 30_000);
      const clicked = marks.cancelClick;
      result.cancelMs.push(clicked !== undefined && marks.cancelled !== undefined ? marks.cancelled - clicked : null);
      result.atPercent.push(
        clicked !== undefined ? ((marks.progress ?? []).filter(([t]) => t <= clicked).at(-1)?.[1] ?? null) : null,
      );
      await page.goto('about:blank');
    }
    const all = result.cancelMs;
    result.worstMs = all.some((x) => x === null) ? null : Math.max(...(all as number[]));
  } catch (e) {
    result.error = (e as Error).message.split('\n')[0];
  } finally {
    await closeBrowser(context, userDataDir);
  }
  return result;
}

export interface LadderCapture {
  path: string;
  bytes: number;
  packets: number;
  /** Text that the long connection's row, and only it, contains (e.g. ":51000"). */
  rowText: string;
}

export interface LadderResult {
  packets: number;
  bytes: number;
  /** Seconds from the file chosen to analysis done. */
  openSeconds: number | null;
  /** Milliseconds from the click on the connection's row to its ladder's first arrow in the DOM. */
  ladderDomMs: number | null;
  /** ... and to the first animation frame with the arrow in it (what a person sees). */
  ladderPaintedMs: number | null;
  /** The same after selecting another connection and coming back. */
  reopenPaintedMs: number | null;
  /** The row clicked and the connection the ladder then showed (the same, or the figure is void). */
  row: string | null;
  ladderConnectionId: string | null;
  rowConnectionId: string | null;
  error?: string;
}

async function clickRowAndWait(page: Page, row: Locator): Promise<BenchMarks> {
  await page.evaluate(() => {
    const b = (window as unknown as { __bench: BenchMarks }).__bench;
    delete b.rowClick;
    delete b.ladderDom;
    delete b.ladderPainted;
  });
  await row.click();
  return waitForMarks(page, (m) => m.ladderPainted !== undefined, 60_000);
}

/** Opens the capture, selects the long connection, and times its ladder. */
async function measureLadder(capture: LadderCapture, url: string): Promise<LadderResult> {
  const result: LadderResult = {
    packets: capture.packets,
    bytes: capture.bytes,
    openSeconds: null,
    ladderDomMs: null,
    ladderPaintedMs: null,
    reopenPaintedMs: null,
    row: null,
    ladderConnectionId: null,
    rowConnectionId: null,
  };
  const { context, userDataDir } = await launch();
  try {
    const { page, input } = await openApp(context, url);
    await input.setInputFiles(capture.path);
    const opened = await waitForMarks(page, (m) => m.done !== undefined, 300_000);
    if (opened.done === undefined || opened.t0 === undefined) throw new Error('the capture did not finish opening');
    if (opened.status !== 'done') throw new Error(`the analysis ended in ${opened.status}`);
    result.openSeconds = (opened.done - opened.t0) / 1000;
    const rows = page.locator('[data-testid="connection-row"]');
    const long = rows.filter({ hasText: capture.rowText });
    const other = rows.filter({ hasNotText: capture.rowText }).first();
    await page.locator('[data-testid="filter"]').fill(capture.rowText);
    await long.first().waitFor({ state: 'visible', timeout: 30_000 });
    // Let the page settle after taking in the result, so the click is not queued behind it.
    await page.waitForTimeout(1000);
    const first = await clickRowAndWait(page, long.first());
    if (first.rowClick !== undefined) {
      if (first.ladderDom !== undefined) result.ladderDomMs = first.ladderDom - first.rowClick;
      if (first.ladderPainted !== undefined) result.ladderPaintedMs = first.ladderPainted - first.rowClick;
    }
    result.row = (await long.first().textContent())?.replace(/\s+/g, ' ').trim().slice(0, 200) ?? null;
    result.rowConnectionId = await long.first().getAttribute('data-connection-id');
    result.ladderConnectionId = await page.locator('[data-testid="ladder"]').getAttribute('data-connection-id');
    if (result.rowConnectionId !== result.ladderConnectionId) throw new Error('the ladder shows another connection than the one clicked');
    await page.locator('[data-testid="filter"]').fill('');
    await other.waitFor({ state: 'visible', timeout: 30_000 });
    await clickRowAndWait(page, other);
    await page.locator('[data-testid="filter"]').fill(capture.rowText);
    await page.waitForTimeout(500);
    const again = await clickRowAndWait(page, long.first());
    if (again.rowClick !== undefined && again.ladderPainted !== undefined) result.reopenPaintedMs = again.ladderPainted - again.rowClick;
  } catch (e) {
    result.error = (e as Error).message.split('\n')[0];
  } finally {
    await closeBrowser(context, userDataDir);
  }
  return result;
}

// ------------------------------------------------------------------------------------------------
// Issue 14: "the list stays smooth at 1,000,000 connections with a filter typed".

export interface ScaleCapture {
  path: string;
  bytes: number;
  packets: number;
  connections: number;
  /** What to type into the filter box. */
  expression: string;
}

export interface FrameStats {
  frames: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

export interface ScrollFigures {
  /** A wheel-like scroll (90 px, three rows, a frame) and a scrollbar drag (the whole list in 2 s), frames of both. */
  all: FrameStats;
  wheel: FrameStats;
  drag: FrameStats;
  /**
   * The list drew the rows where the scroll ended: the first row in view against the row the scroll
   * position stands for (its fraction of the scroll range over the whole list), within two rows.
   */
  rowsFollowed: boolean;
  rowShown: number;
  rowExpected: number;
}

export interface FilterScaleResult {
  connections: number;
  packets: number;
  bytes: number;
  expression: string;
  /** Seconds from the file chosen to analysis done. */
  openSeconds: number | null;
  rowsBefore: number | null;
  rowsAfter: number | null;
  /** Frames while the expression was typed key by key (30 ms apart). */
  typing: FrameStats | null;
  /** Milliseconds from the expression entered at once (one input event) to the filtered rows painted. */
  filterMs: number | null;
  /** ... from clearing the box to all rows painted again. */
  clearMs: number | null;
  scrollFull: (ScrollFigures & FrameStats) | null;
  scrollFiltered: (ScrollFigures & FrameStats) | null;
  /** The first filtered rows as shown. */
  sampleRows: string[];
  error?: string;
}

function frameStats(deltas: number[]): FrameStats {
  const sorted = [...deltas].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return { frames: deltas.length, p50Ms: at(0.5), p95Ms: at(0.95), maxMs: sorted.at(-1) ?? NaN };
}

const SCROLL_FRAMES = `(async () => {
  const el = document.querySelector('[data-testid="connection-list"]');
  if (!el) throw new Error('no connection list');
  const frame = () => new Promise((res) => requestAnimationFrame(res));
  const run = async (frames, step) => {
    el.scrollTop = 0;
    await frame();
    let last = await frame();
    const deltas = [];
    for (let i = 0; i < frames; i++) {
      el.scrollTop = step(i, el.scrollHeight - el.clientHeight);
      const now = await frame();
      deltas.push(now - last);
      last = now;
    }
    return deltas;
  };
  const wheel = await run(240, (i) => 90 * (i + 1));
  const drag = await run(120, (i, max) => Math.round((max * (i + 1)) / 120));
  // Back to a place in the middle: the first row drawn in view should be the one scrollTop says.
  el.scrollTop = Math.round((el.scrollHeight - el.clientHeight) / 2);
  await frame();
  await frame();
  await new Promise((res) => setTimeout(res, 200));
  const head = el.querySelector('thead');
  const top = el.getBoundingClientRect().top + (head ? head.offsetHeight : 0);
  const rows = [...el.querySelectorAll('[data-testid="connection-row"]')];
  const first = rows.find((row) => row.getBoundingClientRect().bottom > top + 1);
  const shown = first ? Number(first.getAttribute('aria-rowindex')) - 2 : -1;
  const rowHeight = rows[0] ? rows[0].getBoundingClientRect().height : 30;
  // Past a height the list maps the scroll position proportionally onto the rows (list-window.ts).
  const count = Number(el.getAttribute('data-row-count'));
  const viewport = el.clientHeight - (head ? head.offsetHeight : 0);
  const fraction = el.scrollTop / Math.max(1, el.scrollHeight - el.clientHeight);
  const expected = Math.floor((fraction * (count * rowHeight - viewport)) / rowHeight);
  return { wheel, drag, shown, expected };
})()`;

/** In the page: scrolls the list frame by frame (wheel-like, then a drag over the whole list) and returns the frame times. */
async function scrollFrames(page: Page): Promise<ScrollFigures & FrameStats> {
  // A string, not a function: the TypeScript loader would wrap named inner functions in a helper the page lacks.
  const r = (await page.evaluate(SCROLL_FRAMES)) as { wheel: number[]; drag: number[]; shown: number; expected: number };
  const all = frameStats([...r.wheel, ...r.drag]);
  return {
    ...all,
    all,
    wheel: frameStats(r.wheel),
    drag: frameStats(r.drag),
    rowsFollowed: r.shown >= 0 && Math.abs(r.shown - r.expected) <= 2,
    rowShown: r.shown,
    rowExpected: r.expected,
  };
}

const rowCount = async (page: Page): Promise<number | null> => {
  const v = await page.locator('[data-testid="connection-list"]').getAttribute('data-row-count');
  return v === null ? null : Number(v);
};

/** Until the list's row count has not changed for `quietMs`; returns it. */
async function settledRowCount(page: Page, quietMs: number, timeoutMs: number): Promise<number | null> {
  const deadline = Date.now() + timeoutMs;
  let last = await rowCount(page);
  let since = Date.now();
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    const now = await rowCount(page);
    if (now !== last) {
      last = now;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) break;
  }
  return last;
}

/** Arms the page to time the next input event to the list showing `expected` rows (and the frame after). */
async function armRowTimer(page: Page, expected: number): Promise<void> {
  await page.evaluate(`(() => {
    const want = ${expected};
    const m = (window.__filterMark = {});
    document.addEventListener('input', () => { if (m.input === undefined) m.input = performance.now(); }, { capture: true, once: true });
    const check = () => {
      const list = document.querySelector('[data-testid="connection-list"]');
      if (m.input === undefined || m.rows !== undefined || Number(list && list.getAttribute('data-row-count')) !== want) return;
      m.rows = performance.now();
      requestAnimationFrame(() => requestAnimationFrame(() => { m.painted = performance.now(); }));
    };
    new MutationObserver(check).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-row-count'] });
  })()`);
}

async function rowTimer(page: Page, timeoutMs: number): Promise<number | null> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const m = (await page.evaluate('window.__filterMark')) as { input?: number; painted?: number };
    if (m.input !== undefined && m.painted !== undefined) return m.painted - m.input;
    await new Promise((r) => setTimeout(r, 50));
  }
  return null;
}

/**
 * Opens the capture of many connections, scrolls the whole list, types the filter expression key by
 * key (frame times while typing), then enters it at once to time the filtered rows, and scrolls them.
 */
async function measureFilterAtScale(capture: ScaleCapture, url: string): Promise<FilterScaleResult> {
  const result: FilterScaleResult = {
    connections: capture.connections,
    packets: capture.packets,
    bytes: capture.bytes,
    expression: capture.expression,
    openSeconds: null,
    rowsBefore: null,
    rowsAfter: null,
    typing: null,
    filterMs: null,
    clearMs: null,
    scrollFull: null,
    scrollFiltered: null,
    sampleRows: [],
  };
  const { context, userDataDir } = await launch();
  try {
    const { page, input } = await openApp(context, url);
    await input.setInputFiles(capture.path);
    const opened = await waitForMarks(page, (m) => m.done !== undefined, 900_000);
    if (opened.done === undefined || opened.t0 === undefined) throw new Error('the capture did not finish opening');
    if (opened.status !== 'done') throw new Error(`the analysis ended in ${opened.status}`);
    result.openSeconds = (opened.done - opened.t0) / 1000;
    const list = page.locator('[data-testid="connection-list"]');
    await list.waitFor({ state: 'visible', timeout: 60_000 });
    result.rowsBefore = await settledRowCount(page, 1000, 60_000);
    result.scrollFull = await scrollFrames(page);

    // Typed as a person types it, 30 ms a key: the frames meanwhile.
    const box = page.locator('[data-testid="filter"]');
    await box.click();
    await page.evaluate(`(() => {
      const t = (window.__typing = { on: true, deltas: [] });
      let last = performance.now();
      const tick = (now) => {
        t.deltas.push(now - last);
        last = now;
        if (t.on) requestAnimationFrame(tick);
      };
      requestAnimationFrame((now) => { last = now; requestAnimationFrame(tick); });
    })()`);
    await box.pressSequentially(capture.expression, { delay: 30 });
    result.rowsAfter = await settledRowCount(page, 1500, 120_000);
    const typing = (await page.evaluate('(() => { window.__typing.on = false; return window.__typing.deltas; })()')) as number[];
    result.typing = frameStats(typing);
    if ((await box.getAttribute('aria-invalid')) === 'true') throw new Error(`the filter refused "${capture.expression}"`);
    if (result.rowsAfter === null || result.rowsAfter === result.rowsBefore) throw new Error(`the filter did not change the list (${result.rowsAfter} rows)`);
    if (result.rowsAfter === 0) throw new Error('the filter left no rows');

    // Cleared, then entered at once: one input event to the rows painted.
    await armRowTimer(page, result.rowsBefore ?? -1);
    await box.fill('');
    result.clearMs = await rowTimer(page, 120_000);
    await page.waitForTimeout(1000);
    await armRowTimer(page, result.rowsAfter);
    await box.fill(capture.expression);
    result.filterMs = await rowTimer(page, 120_000);
    await page.waitForTimeout(1000);
    result.scrollFiltered = await scrollFrames(page);
    await list.evaluate((el) => (el.scrollTop = 0));
    await page.waitForTimeout(300);
    result.sampleRows = (await page.locator('[data-testid="connection-row"]').allTextContents())
      .slice(0, 3)
      .map((t) => t.replace(/\s+/g, ' ').trim().slice(0, 160));
  } catch (e) {
    result.error = (e as Error).message.split('\n')[0];
  } finally {
    await closeBrowser(context, userDataDir);
  }
  return result;
}

export interface TargetResults {
  cancel: CancelResult | null;
  ladder: LadderResult | null;
  filter: FilterScaleResult | null;
}

/**
 * Cancel on `cancelCapture` (three attempts), the ladder of `ladderCapture`, and the list of
 * `filterCapture` filtered and scrolled; null without dist/.
 */
export async function measureTargets(
  cancelCapture: BrowserCapture | null,
  ladderCapture: LadderCapture | null,
  filterCapture: ScaleCapture | null = null,
): Promise<TargetResults | null> {
  if (!existsSync(join(DIST, 'index.html'))) return null;
  if (!existsSync(chromiumPath)) return null;
  const { server, url } = await serveDist();
  const f = (n: number | null | undefined, d = 0): string => (n === null || n === undefined || Number.isNaN(n) ? '—' : n.toFixed(d));
  try {
    const cancel = cancelCapture ? await measureCancel(cancelCapture, url, 3) : null;
    if (cancel) {
      console.log(
        `cancel ${cancel.size} ${cancel.format}: ${cancel.cancelMs.map((x) => `${f(x)} ms`).join(', ')} from the click to "cancelled" ` +
          `(at ${cancel.atPercent.map((x) => `${f(x)}%`).join(', ')} read); worst ${f(cancel.worstMs)} ms, target 200 ms: ` +
          `${cancel.worstMs !== null && cancel.worstMs <= 200 ? 'met' : 'NOT met'}${cancel.error ? `; error: ${cancel.error}` : ''}`,
      );
    }
    const ladder = ladderCapture ? await measureLadder(ladderCapture, url) : null;
    if (ladder) {
      console.log(
        `ladder of one ${ladder.packets}-packet connection (${f(ladder.bytes / 1e6)} MB capture, opened in ${f(ladder.openSeconds, 2)} s): ` +
          `first arrow in the DOM ${f(ladder.ladderDomMs)} ms, painted ${f(ladder.ladderPaintedMs)} ms after the click ` +
          `(again after another connection: ${f(ladder.reopenPaintedMs)} ms); target 1000 ms: ` +
          `${ladder.ladderPaintedMs !== null && ladder.ladderPaintedMs < 1000 ? 'met' : 'NOT met'}${ladder.error ? `; error: ${ladder.error}` : ''}`,
      );
    }
    const filter = filterCapture ? await measureFilterAtScale(filterCapture, url) : null;
    if (filter) {
      const frames = (s: FrameStats | null): string => (s ? `p50 ${f(s.p50Ms, 1)} / p95 ${f(s.p95Ms, 1)} / max ${f(s.maxMs)} ms over ${s.frames} frames` : '—');
      console.log(
        `list at ${filter.connections} connections (${f(filter.bytes / 1e6)} MB, ${filter.packets} packets, opened in ${f(filter.openSeconds, 2)} s): ` +
          `scrolling all ${filter.rowsBefore ?? '—'} rows ${frames(filter.scrollFull)}${filter.scrollFull && !filter.scrollFull.rowsFollowed ? ' (ROWS DID NOT FOLLOW)' : ''}; ` +
          `typing "${filter.expression}" ${frames(filter.typing)}; entered at once: ${filter.rowsAfter ?? '—'} rows painted in ${f(filter.filterMs)} ms ` +
          `(cleared: ${f(filter.clearMs)} ms); scrolling the filtered rows ${frames(filter.scrollFiltered)}` +
          `${filter.scrollFiltered && !filter.scrollFiltered.rowsFollowed ? ' (ROWS DID NOT FOLLOW)' : ''}${filter.error ? `; error: ${filter.error}` : ''}`,
      );
      if (filter.sampleRows.length) console.log(`  first filtered rows: ${filter.sampleRows.join(' | ')}`);
    }
    return { cancel, ladder, filter };
  } finally {
    server.close();
  }
}

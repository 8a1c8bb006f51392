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
import { chromium, type CDPSession } from '@playwright/test';

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

/** In the page: timestamps of the change event, the first row and the end signal. */
const INSTRUMENT = `
(() => {
  const b = (window.__bench = {});
  document.addEventListener('change', (e) => {
    if (e.target && e.target.dataset && e.target.dataset.testid === 'file-input' && b.t0 === undefined) b.t0 = performance.now();
  }, true);
  const check = () => {
    if (b.t0 === undefined) return;
    if (b.rows === undefined && document.querySelector('[data-testid="connection-row"]')) b.rows = performance.now();
    const s = document.body && document.body.dataset.analysis;
    if (b.done === undefined && (s === 'done' || s === 'error')) { b.done = performance.now(); b.status = s; }
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-analysis'] });
})();
`;

interface BenchMarks {
  t0?: number;
  rows?: number;
  done?: number;
  status?: string;
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

async function measureOne(capture: BrowserCapture, url: string): Promise<BrowserResult> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  const userDataDir = mkdtempSync(join(tmpdir(), 'resetscope-bench-chromium-'));
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
    consoleErrors: [],
  };
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    serviceWorkers: 'block',
    viewport: { width: 1440, height: 900 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
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
    await context.close().catch(() => undefined);
    rmSync(userDataDir, { recursive: true, force: true });
  }
  return result;
}

/** Measures every capture in the app; null when dist/ has not been built. */
export async function measureBrowser(captures: BrowserCapture[]): Promise<BrowserResult[] | null> {
  if (!existsSync(join(DIST, 'index.html'))) return null;
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
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
          `renderer RSS ${m(r.rendererPeakRssBytes)} MB${r.error ? `, error: ${r.error}` : ''}`,
      );
    }
  } finally {
    server.close();
  }
  return results;
}

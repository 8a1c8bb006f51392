/**
 * The built app served the way a static host would, under a subfolder (/tools/resetscope/), plus
 * /captures/* (lab captures and e2e fixtures) for `#url=` links. One server per Playwright worker; the
 * tests' baseURL points into the subfolder, so `./` is the app.
 */
import { cpSync, createReadStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { test as base, expect } from './test.ts';

export const SUBFOLDER = '/tools/resetscope/';
/** A page of another app on the same origin, inside the service worker's scope. */
export const OTHER_APP_PAGE = `${SUBFOLDER}other/page.html`;
const BUILT = resolve(import.meta.dirname, '..', 'dist');
const CAPTURE_DIRS = [resolve(import.meta.dirname, 'fixtures'), resolve(import.meta.dirname, '..', 'test', 'captures', 'lab')];

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.webmanifest': 'application/manifest+json',
  '.json': 'application/json',
  '.map': 'application/json',
};

export interface Site {
  origin: string;
  /** The app's address: origin + SUBFOLDER. */
  app: string;
  /** Serve a changed service worker from now on, as a new deployment would ('' for the original). */
  deploy(version: string): void;
  /**
   * /captures/slow.pcap: a 12 MB capture whose last 100 kB are held back until
   * `releaseSlow()`, as a slow server would; `slowClosed()` says whether the last such request was
   * closed by the browser before it was answered in full.
   */
  releaseSlow(): void;
  slowClosed(): boolean;
  close(): Promise<void>;
}

function fileFor(DIST: string, pathname: string): string | null {
  if (pathname.startsWith(SUBFOLDER)) {
    let rel = pathname.slice(SUBFOLDER.length);
    if (rel === '' || rel.endsWith('/')) rel += 'index.html';
    const path = normalize(join(DIST, rel));
    return path.startsWith(DIST) && existsSync(path) && statSync(path).isFile() ? path : null;
  }
  if (pathname.startsWith('/captures/')) {
    const name = pathname.slice('/captures/'.length);
    if (name.includes('/') || name.includes('..')) return null;
    for (const dir of CAPTURE_DIRS) if (existsSync(join(dir, name))) return join(dir, name);
  }
  return null;
}

/** A real capture's records repeated to about 12 MB. */
function slowCapture(): Buffer {
  const file = readFileSync(join(CAPTURE_DIRS[0]!, 'rst-not-received.pcap'));
  const records = file.subarray(24);
  const parts = [file.subarray(0, 24)];
  for (let n = 0; n < Math.ceil(12e6 / records.length); n++) parts.push(records);
  return Buffer.concat(parts);
}

export async function startSite(): Promise<Site> {
  if (!existsSync(join(BUILT, 'index.html'))) throw new Error('dist/ is missing: run `npx vite build` first');
  // A snapshot, so a rebuild of dist/ while the tests run cannot pull files from under the pages.
  const DIST = mkdtempSync(join(tmpdir(), 'resetscope-site-'));
  cpSync(BUILT, DIST, { recursive: true });
  let version = '';
  let release: (() => void) | null = null;
  let slowClosed = false;
  const server: Server = createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (pathname === '/captures/slow.pcap') {
      const body = slowCapture();
      const half = body.subarray(0, body.length - 100_000);
      slowClosed = false;
      let finished = false;
      res.on('close', () => {
        if (!finished) slowClosed = true;
      });
      res.writeHead(200, { 'content-type': 'application/vnd.tcpdump.pcap', 'content-length': body.length });
      res.write(half);
      release = () => {
        finished = true;
        res.end(body.subarray(half.length));
      };
      return;
    }
    if (pathname === OTHER_APP_PAGE) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><link rel="icon" href="data:,"><title>Another app</title><h1>Another app</h1>');
      return;
    }
    const path = fileFor(DIST, pathname);
    if (!path) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const headers: Record<string, string | number> = {
      'content-type': TYPES[extname(path)] ?? 'application/octet-stream',
      'content-length': statSync(path).size,
    };
    // The service worker and the page must be revalidated, as a host like GitHub Pages does.
    if (path.endsWith('sw.js') || path.endsWith('.html')) headers['cache-control'] = 'no-cache';
    if (version && path.endsWith('sw.js')) {
      const body = Buffer.concat([readFileSync(path), Buffer.from(`\n// deployed ${version}\n`)]);
      res.writeHead(200, { ...headers, 'content-length': body.length }).end(body);
      return;
    }
    res.writeHead(200, headers);
    createReadStream(path).pipe(res);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    app: `${origin}${SUBFOLDER}`,
    deploy: (v) => {
      version = v;
    },
    releaseSlow: () => release?.(),
    slowClosed: () => slowClosed,
    close: () =>
      new Promise<void>((ok) => server.close(() => ok())).finally(() => rmSync(DIST, { recursive: true, force: true })),
  };
}

/** The project's test, with the subfolder site as baseURL and a recorder of every request made. */
export const test = base.extend<{ requests: string[] }, { site: Site }>({
  site: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const site = await startSite();
      await use(site);
      await site.close();
    },
    { scope: 'worker' },
  ],
  baseURL: async ({ site }, use) => use(site.app),
  requests: async ({ context }, use) => {
    const seen: string[] = [];
    context.on('request', (r) => seen.push(r.url()));
    await use(seen);
  },
});

export { expect };

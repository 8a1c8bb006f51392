/**
 * The view lives in the URL fragment, so the back button and a copied link work and nothing reaches
 * a server: `#c=12&f=345&q=10.0.0.1&scn=...&sort=-packets&fp=<sha256/12>.<size>`. A link may also
 * carry the capture itself (`#pkt=<base64url gzip pcap>`) or its address (`#url=https://...`).
 */
import { createStore } from 'zustand';
import type { Severity } from '../core/model/types.ts';
import { NO_FILTERS, type ConnectionFilters, type SortKey, type SortState } from './connection-rows.ts';
import type { AppState, AppStore } from './store.ts';

/** What a view link restores once its capture is open. */
export interface LinkView {
  connection: number | null;
  frame: number | null;
  filters: ConnectionFilters;
  sort: SortState;
}

export interface ParsedHash {
  view: LinkView;
  /** `<first 12 hex of SHA-256 of the first 1 MiB>.<size in bytes>` */
  fingerprint: string | null;
  /** base64url of a gzip-compressed capture. */
  packets: string | null;
  url: string | null;
  demo: boolean;
}

const SEVERITIES: readonly string[] = ['normal', 'problem', 'suspicious'];
const SORT_KEYS: readonly string[] = [
  'id', 'client', 'server', 'state', 'history', 'packets', 'bytesClient', 'bytesServer', 'start', 'duration', 'resets',
  'scenario',
];

function intOrNull(text: string | null): number | null {
  if (text === null || !/^\d{1,10}$/.test(text)) return null;
  return Number(text);
}

/** Parse a fragment (with or without '#'); anything unknown or malformed is ignored. */
export function parseHash(hash: string): ParsedHash {
  const raw = hash.startsWith('#') ? hash.slice(1) : hash;
  const p = new URLSearchParams(raw);
  const sortText = p.get('sort');
  const sortKey = sortText?.replace(/^-/, '') ?? '';
  const sev = p.get('sev');
  const range = p.get('t')?.split('~').map(Number);
  const filters: ConnectionFilters = {
    text: p.get('q') ?? '',
    scenario: p.get('scn'),
    severity: sev !== null && SEVERITIES.includes(sev) ? (sev as Severity) : null,
    state: p.get('st'),
    finding: p.get('fnd'),
    timeRange: range?.length === 2 && range.every(Number.isFinite) ? [range[0] ?? 0, range[1] ?? 0] : null,
  };
  return {
    view: {
      connection: intOrNull(p.get('c')),
      frame: intOrNull(p.get('f')),
      filters,
      sort: SORT_KEYS.includes(sortKey) ? { key: sortKey as SortKey, desc: sortText?.startsWith('-') ?? false } : { key: null, desc: false },
    },
    fingerprint: p.get('fp'),
    packets: p.get('pkt'),
    url: p.get('url'),
    demo: p.has('demo'),
  };
}

/** The fragment (without '#') for a view; the capture reference first, the fingerprint last. */
export function formatHash(
  view: LinkView,
  capture: { fingerprint?: string | null; packets?: string | null; url?: string | null } = {},
): string {
  const parts: string[] = [];
  const add = (key: string, value: string) => parts.push(`${key}=${encodeURIComponent(value).replace(/%3A/gi, ':').replace(/%2F/gi, '/')}`);
  if (capture.packets) add('pkt', capture.packets);
  if (capture.url) add('url', capture.url);
  if (view.connection !== null) add('c', String(view.connection));
  if (view.frame !== null) add('f', String(view.frame));
  const f = view.filters;
  if (f.text.trim() !== '') add('q', f.text);
  if (f.scenario !== null) add('scn', f.scenario);
  if (f.severity !== null) add('sev', f.severity);
  if (f.state !== null) add('st', f.state);
  if (f.finding !== null) add('fnd', f.finding);
  if (f.timeRange !== null) add('t', `${f.timeRange[0]}~${f.timeRange[1]}`);
  if (view.sort.key !== null) add('sort', `${view.sort.desc ? '-' : ''}${view.sort.key}`);
  if (capture.fingerprint && !capture.packets && !capture.url) add('fp', capture.fingerprint);
  return parts.join('&');
}

export function viewOf(s: AppState): LinkView {
  return { connection: s.selectedConnection, frame: s.detailFrame, filters: s.filters, sort: s.sort };
}

/** SHA-256 of the first MiB of the stored file, 12 hex digits, and the size: cheap and specific. */
export async function fingerprintOf(file: Blob): Promise<string | null> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return null; // not a secure context: links work, without the capture check
  const head = await file.slice(0, 1 << 20).arrayBuffer();
  const digest = new Uint8Array(await subtle.digest('SHA-256', head));
  const hex = Array.from(digest.subarray(0, 6), (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex}.${file.size}`;
}

export type LinkNoticeKind = 'info' | 'warning' | 'error';
export interface LinkNotice {
  kind: LinkNoticeKind;
  text: string;
  /** Shown as a button next to the text. */
  action?: { label: string; run: () => void };
}

/** Messages about links (wrong capture, download progress and failures), shown by src/pwa. */
export const linkNotices = createStore<{ notice: LinkNotice | null }>()(() => ({ notice: null }));

export function showLinkNotice(notice: LinkNotice | null): void {
  linkNotices.setState({ notice });
}

export const MISMATCH_NOTICE = 'This link was for a different capture: the view it described was not applied.';

export interface UrlSyncDeps {
  store: AppStore;
  /** The app's "open file" action. */
  openFile: (file: Blob, name: string) => void;
  /** Downloads a capture for `#url=`; defaults to fetch with progress. */
  fetchCapture?: (url: string) => Promise<Blob>;
}

/** Bytes of a base64url string (no padding needed). */
export function fromBase64Url(text: string): Uint8Array {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fileNameOf(url: string): string {
  try {
    const last = new URL(url, location.href).pathname.split('/').filter(Boolean).pop();
    return last ? decodeURIComponent(last) : 'capture.pcap';
  } catch {
    return 'capture.pcap';
  }
}

/** fetch with a progress notice; throws an Error whose message says what to do. */
async function fetchWithProgress(url: string): Promise<Blob> {
  let response: Response;
  try {
    response = await fetch(url, { credentials: 'omit' });
  } catch {
    throw new Error(
      `Could not download ${url}: the server is unreachable or does not allow cross-origin requests (CORS). ` +
        'Download the file yourself and drop it here, or serve it with an Access-Control-Allow-Origin header.',
    );
  }
  if (!response.ok) throw new Error(`Could not download ${url}: the server answered HTTP ${response.status}.`);
  const total = Number(response.headers.get('content-length') ?? 0);
  if (!response.body) return response.blob();
  const reader = response.body.getReader();
  const parts: Uint8Array<ArrayBuffer>[] = [];
  let got = 0;
  let last = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    got += value.length;
    if (Date.now() - last > 100) {
      last = Date.now();
      const pct = total > 0 ? ` ${Math.min(100, Math.round((got / total) * 100))}%` : '';
      showLinkNotice({ kind: 'info', text: `Downloading ${fileNameOf(url)}…${pct} (${(got / 1048576).toFixed(1)} MiB)` });
    }
  }
  return new Blob(parts);
}

/**
 * Keep the store and `location.hash` in step: a view change writes the fragment (a history entry
 * when the selection changes, so Back goes to the previous connection), and a fragment change (Back,
 * a pasted link) sets the view. A view link waits for its capture and is only applied to a capture
 * with the same fingerprint. Returns a function that stops the sync.
 */
export function startUrlSync({ store, openFile, fetchCapture = fetchWithProgress }: UrlSyncDeps): () => void {
  /** The view a link asked for, waiting for a capture to be analysed. */
  let pending: ParsedHash | null = null;
  /** Where the open capture came from, when a link brought it (so the fragment keeps it). */
  let linked: { file: Blob; packets: string | null; url: string | null } | null = null;
  let fingerprint: { file: Blob; value: string | null } | null = null;
  let applying = false;
  let lastWritten = location.hash.replace(/^#/, '');

  const captureRef = () => {
    const file = store.getState().file;
    if (linked && linked.file === file) return { packets: linked.packets, url: linked.url };
    return { fingerprint: fingerprint && fingerprint.file === file ? fingerprint.value : null };
  };

  const write = (push: boolean) => {
    const next = formatHash(viewOf(store.getState()), captureRef());
    if (next === lastWritten) return;
    lastWritten = next;
    const url = `${location.pathname}${location.search}${next ? `#${next}` : ''}`;
    if (push) history.pushState(null, '', url);
    else history.replaceState(null, '', url);
  };

  const apply = (view: LinkView) => {
    applying = true;
    try {
      const s = store.getState();
      s.setFilters({ ...NO_FILTERS, ...view.filters });
      s.setSort(view.sort);
      s.selectConnection(view.connection);
      if (view.frame !== null) {
        store.getState().showFrameDetail(view.frame);
        store.getState().highlightFrame(view.frame);
      }
    } finally {
      applying = false;
    }
  };

  const openLinked = async (parsed: ParsedHash): Promise<boolean> => {
    if (parsed.packets) {
      let blob: Blob;
      try {
        blob = new Blob([fromBase64Url(parsed.packets) as Uint8Array<ArrayBuffer>]);
      } catch {
        showLinkNotice({ kind: 'error', text: 'This link’s packets are damaged (not valid base64url); ask for the link again.' });
        return true;
      }
      linked = { file: blob, packets: parsed.packets, url: null };
      pending = parsed;
      openFile(blob, 'shared-connection.pcap.gz');
      return true;
    }
    if (parsed.url) {
      const address = parsed.url;
      pending = parsed;
      showLinkNotice({ kind: 'info', text: `Downloading ${fileNameOf(address)}…` });
      try {
        const blob = await fetchCapture(address);
        showLinkNotice(null);
        linked = { file: blob, packets: null, url: address };
        openFile(blob, fileNameOf(address));
      } catch (err) {
        pending = null;
        showLinkNotice({ kind: 'error', text: err instanceof Error ? err.message : String(err) });
      }
      return true;
    }
    return false;
  };

  /** A fragment arrived (start-up, Back/Forward, a pasted link). */
  const handleHash = (hash: string) => {
    const parsed = parseHash(hash);
    if (parsed.demo) return; // the app opens the demo itself
    const current = captureRef();
    const sameCapture =
      (parsed.packets !== null && parsed.packets === current.packets) || (parsed.url !== null && parsed.url === current.url);
    if ((parsed.packets || parsed.url) && !sameCapture) {
      void openLinked(parsed);
      return;
    }
    const s = store.getState();
    if (s.status === 'done') {
      if (parsed.fingerprint && current.fingerprint && parsed.fingerprint !== current.fingerprint) {
        showLinkNotice({ kind: 'warning', text: MISMATCH_NOTICE });
        return;
      }
      apply(parsed.view);
    } else if (hash.replace(/^#/, '') !== '') {
      pending = parsed;
    }
  };

  const onDone = async () => {
    const file = store.getState().file;
    if (!file) return;
    if (!linked || linked.file !== file) {
      linked = null;
      const value = await fingerprintOf(file).catch(() => null);
      if (store.getState().file !== file) return;
      fingerprint = { file, value };
    }
    const wanted = pending;
    pending = null;
    if (wanted) {
      const fromLink = linked !== null && linked.file === file;
      const mismatch = !fromLink && wanted.fingerprint !== null && fingerprint?.value != null && wanted.fingerprint !== fingerprint.value;
      if (mismatch) showLinkNotice({ kind: 'warning', text: MISMATCH_NOTICE });
      else apply(wanted.view);
    }
    write(false);
  };

  const unsubscribe = store.subscribe((s, prev) => {
    if (s.runId !== prev.runId && linkNotices.getState().notice?.kind === 'warning') {
      // A new capture: a warning about the previous one's link no longer applies.
      showLinkNotice(null);
    }
    if (s.status === 'done' && prev.status !== 'done') {
      void onDone();
      return;
    }
    if (s.status !== 'done' || applying) return;
    const selectionChanged = s.selectedConnection !== prev.selectedConnection || s.detailFrame !== prev.detailFrame;
    const viewChanged = s.filters !== prev.filters || s.sort !== prev.sort;
    if (selectionChanged || viewChanged) write(selectionChanged || s.sort !== prev.sort);
  });

  const onNavigate = () => {
    const hash = location.hash.replace(/^#/, '');
    if (hash === lastWritten) return;
    lastWritten = hash;
    handleHash(hash);
  };
  window.addEventListener('popstate', onNavigate);
  window.addEventListener('hashchange', onNavigate);

  handleHash(location.hash);

  return () => {
    unsubscribe();
    window.removeEventListener('popstate', onNavigate);
    window.removeEventListener('hashchange', onNavigate);
  };
}

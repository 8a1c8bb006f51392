/**
 * Keeps the store and `location.hash` in step (the codec is hash-params.ts): a view change writes the
 * fragment, a fragment change (Back, a pasted link) sets the view, and a link that brings its capture
 * (`pkt=`, `url=`) opens it.
 */
import { NO_FILTERS } from '../../core/model/connection-rows.ts';
import { DEFAULT_DISPLAY } from '../../state/display-slice.ts';
import type { AppState, AppStore } from '../../state/store.ts';
import type { CaptureInput } from '../../worker/protocol.ts';
import { fromBase64Url } from './base64url.ts';
import { DownloadError, cappedBody, fileNameOf, formatMiB, readCapture, requestCapture, type DownloadOptions } from './fetch-capture.ts';
import { fingerprintOf } from './fingerprint.ts';
import { formatHash, parseHash, type LinkDisplay, type LinkView, type ParsedHash } from './hash-params.ts';
import { linkNotices, showLinkNotice } from './notices.ts';

export function viewOf(s: AppState): LinkView {
  return { connection: s.selectedConnection, frame: s.detailFrame, filters: s.filters, sort: s.sort };
}

/**
 * The display settings a link carries (the defaults are left out when it is written). `withTime`:
 * with the reference frame's time too, for a link whose capture may lack that frame.
 */
export function displayOf(s: AppState, withTime = false): LinkDisplay {
  const display: LinkDisplay = { timeFormat: s.timeFormat, timeZone: s.timeZone, ladderSpacing: s.ladderSpacing, connectionView: s.connectionView };
  if (s.timeReference) {
    display.reference = s.timeReference.frame;
    if (withTime && s.timeReference.time !== null) display.referenceTime = s.timeReference.time;
  }
  return display;
}

/** A link's time format, zone, ladder spacing and panel view apply at once, whatever capture is open (absent: the default). */
function applyDisplayPreferences(store: AppStore, display: LinkDisplay): void {
  const s = store.getState();
  s.setTimeFormat(display.timeFormat ?? DEFAULT_DISPLAY.timeFormat);
  s.setTimeZone(display.timeZone ?? DEFAULT_DISPLAY.timeZone);
  s.setLadderSpacing(display.ladderSpacing ?? DEFAULT_DISPLAY.ladderSpacing);
  s.setConnectionView(display.connectionView ?? DEFAULT_DISPLAY.connectionView);
}

export const MISMATCH_NOTICE = 'This link was for a different capture: the view it described was not applied.';

export interface UrlSyncDeps {
  store: AppStore;
  /** The app's "open file" action (a file, or a download the analysis reads as it arrives). */
  openFile: (file: CaptureInput, name: string) => void;
  /**
   * Downloads a capture for `#url=` (tests hand in their own): a stream with its announced size, read
   * by the analysis as it arrives, or the whole file when no size was announced.
   */
  fetchCapture?: (url: string, options: DownloadOptions) => Promise<CaptureInput>;
  /** Go to a frame (`#f=N` without a connection): opens the connection it belongs to. */
  goToFrame?: (frame: number) => void;
}

/**
 * Keep the store and `location.hash` in step: a view change writes the fragment (a history entry
 * when the selection changes, so Back goes to the previous connection), and a fragment change (Back,
 * a pasted link) sets the view. A view link waits for its capture and is only applied to a capture
 * with the same fingerprint. Returns a function that stops the sync.
 */
/** A capture's download: streamed into the analysis when its size is announced, else read whole. */
async function fetchCaptureInput(url: string, options: DownloadOptions): Promise<CaptureInput> {
  const answer = await requestCapture(url, options);
  if (answer.body && answer.total !== null) return { stream: cappedBody(url, answer.body), size: answer.total };
  return readCapture(url, answer, options);
}

export function startUrlSync({ store, openFile, fetchCapture = fetchCaptureInput, goToFrame }: UrlSyncDeps): () => void {
  /** The view a link asked for, waiting for a capture to be analysed. */
  let pending: ParsedHash | null = null;
  /** Where the open capture came from, when a link brought it (so the fragment keeps it). */
  let linked: { file: CaptureInput; packets: string | null; url: string | null } | null = null;
  let fingerprint: { file: CaptureInput; value: string | null } | null = null;
  let applying = false;
  let lastWritten = location.hash.replace(/^#/, '');

  const captureRef = () => {
    const file = store.getState().file;
    if (linked && linked.file === file) return { packets: linked.packets, url: linked.url };
    return { fingerprint: fingerprint && fingerprint.file === file ? fingerprint.value : null };
  };

  const write = (push: boolean) => {
    const ref = captureRef();
    // A capture from a link may lack the reference frame: its time stays in the fragment for a reload.
    const next = formatHash(viewOf(store.getState()), ref, displayOf(store.getState(), Boolean(ref.packets ?? ref.url)));
    if (next === lastWritten) return;
    lastWritten = next;
    const url = `${location.pathname}${location.search}${next ? `#${next}` : ''}`;
    if (push) history.pushState(null, '', url);
    else history.replaceState(null, '', url);
  };

  const apply = (view: LinkView, display: LinkDisplay) => {
    applying = true;
    try {
      const s = store.getState();
      // The reference frame belongs to the capture: it comes with the view (its time is looked up).
      const ref = display.reference;
      if (ref === undefined) s.setTimeReference(null);
      else if (s.timeReference?.frame !== ref) s.setTimeReference({ frame: ref, time: display.referenceTime ?? null });
      s.setFilters({ ...NO_FILTERS, ...view.filters });
      s.setSort(view.sort);
      s.selectConnection(view.connection);
      if (view.connection === null && view.frame !== null && goToFrame) goToFrame(view.frame);
      else if (view.frame !== null) {
        store.getState().showFrameDetail(view.frame);
        store.getState().highlightFrame(view.frame);
      }
    } finally {
      applying = false;
    }
  };

  /** The download running for a `#url=` link, to cancel it. */
  let download: AbortController | null = null;
  /** A download the analysis of run `runId` reads as it arrives: stopped when that run ends early. */
  let streaming: { controller: AbortController; runId: number } | null = null;

  /**
   * Download the capture a `#url=` link names, after asking when it is on another origin (the link
   * may come from anyone; the request reveals the reader to that host). Only the host is shown.
   */
  const openAddress = async (parsed: ParsedHash): Promise<void> => {
    const address = parsed.url ?? '';
    let target: URL;
    try {
      target = new URL(address, location.href);
    } catch {
      showLinkNotice({ kind: 'error', text: 'This link’s capture address is not a valid web address.' });
      return;
    }
    if (target.protocol !== 'https:' && target.protocol !== 'http:') {
      showLinkNotice({ kind: 'error', text: 'This link’s capture address is not a web address (http or https).' });
      return;
    }
    const host = target.host;
    const start = async (): Promise<void> => {
      download?.abort();
      const controller = new AbortController();
      download = controller;
      pending = parsed;
      const cancel = { label: 'Cancel', run: () => controller.abort() };
      const abort = () => controller.abort();
      showLinkNotice({ kind: 'info', text: `Downloading the capture from ${host}…`, action: cancel, onDismiss: abort });
      let last = 0;
      try {
        const blob = await fetchCapture(target.href, {
          signal: controller.signal,
          onProgress: (received, total) => {
            if (Date.now() - last < 100) return;
            last = Date.now();
            const pct = total ? ` ${Math.min(100, Math.round((received / total) * 100))}%` : '';
            showLinkNotice({ kind: 'info', text: `Downloading the capture from ${host}…${pct} (${formatMiB(received)})`, action: cancel, onDismiss: abort });
          },
          confirmLarge: (total) =>
            new Promise<boolean>((answer) => {
              showLinkNotice({
                kind: 'warning',
                text: `The capture at ${host} is ${formatMiB(total)}. Download it?`,
                action: { label: 'Download', run: () => answer(true) },
                onDismiss: () => answer(false),
              });
            }),
        });
        if (download !== controller) return;
        showLinkNotice(null);
        linked = { file: blob, packets: null, url: address };
        openFile(blob, fileNameOf(address));
        // A stream is read by the analysis from here on: its Cancel (or another capture) stops it.
        if (blob instanceof Blob) download = null;
        else streaming = { controller, runId: store.getState().runId };
      } catch (err) {
        if (download === controller) download = null;
        pending = null;
        const cancelled = err instanceof DownloadError && (err.reason === 'cancelled' || err.reason === 'declined');
        if (cancelled) showLinkNotice({ kind: 'info', text: `The capture from ${host} was not downloaded.` });
        else showLinkNotice({ kind: 'error', text: err instanceof DownloadError ? err.message : `Could not download the capture from ${host}.` });
      }
    };
    if (target.origin === location.origin) {
      await start();
      return;
    }
    showLinkNotice({
      kind: 'warning',
      text: `This link opens a capture from ${host}. Download it from there and analyse it here? ${host} sees the request; the analysis stays on this machine.`,
      action: { label: 'Download', run: () => void start() },
    });
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
      openFile(blob, 'shared-connection.pcapng.gz');
      return true;
    }
    if (parsed.url) {
      void openAddress(parsed);
      return true;
    }
    return false;
  };

  /** A fragment arrived (start-up, Back/Forward, a pasted link). */
  const handleHash = (hash: string) => {
    const parsed = parseHash(hash);
    // Applied as the fragment says, not written back (Back must not push a new entry).
    applying = true;
    try {
      applyDisplayPreferences(store, parsed.display);
    } finally {
      applying = false;
    }
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
      apply(parsed.view, parsed.display);
    } else if (hash.replace(/^#/, '') !== '') {
      pending = parsed;
    }
  };

  const onDone = async () => {
    const file = store.getState().file;
    if (!file) return;
    if (!linked || linked.file !== file) {
      linked = null;
      const value = file instanceof Blob ? await fingerprintOf(file).catch(() => null) : null;
      if (store.getState().file !== file) return;
      fingerprint = { file, value };
    }
    const wanted = pending;
    pending = null;
    if (wanted) {
      const fromLink = linked !== null && linked.file === file;
      const mismatch = !fromLink && wanted.fingerprint !== null && fingerprint?.value != null && wanted.fingerprint !== fingerprint.value;
      if (mismatch) showLinkNotice({ kind: 'warning', text: MISMATCH_NOTICE });
      else apply(wanted.view, wanted.display);
    }
    write(false);
  };

  const unsubscribe = store.subscribe((s, prev) => {
    if (streaming && (s.runId !== streaming.runId || s.status === 'cancelled' || s.status === 'error' || s.status === 'done')) {
      // Done: the worker read the whole stream. Otherwise the download has no reader left.
      if (s.status !== 'done' || s.runId !== streaming.runId) streaming.controller.abort();
      if (download === streaming.controller) download = null;
      streaming = null;
    }
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
    const displayChanged =
      s.timeFormat !== prev.timeFormat ||
      s.timeZone !== prev.timeZone ||
      s.ladderSpacing !== prev.ladderSpacing ||
      s.timeReference?.frame !== prev.timeReference?.frame;
    // Opening the stream (or going back to the ladder) is a step Back undoes, as a new selection is.
    const panelChanged = s.connectionView !== prev.connectionView;
    if (selectionChanged || viewChanged || displayChanged || panelChanged) write(selectionChanged || s.sort !== prev.sort || panelChanged);
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

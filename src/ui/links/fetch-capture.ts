/**
 * Downloading a capture a link names (`#url=`). The response is read as it arrives and each piece is
 * handed to a Blob at once, so the bytes live where a dropped file's do (the browser's blob store,
 * which spills to disk) and not in the page's heap. A download has a hard cap, a large one is
 * confirmed first, and Cancel aborts it. Messages name the host only: nothing the server says is
 * shown.
 */

/** Past this size (announced by the server) the user is asked before the download goes on. */
export const CONFIRM_BYTES = 512 * 1024 * 1024;
/** A download stops here whatever the server says: an endless response must not fill the machine. */
export const MAX_BYTES = 4 * 1024 * 1024 * 1024;

/** What relative addresses are resolved against: the page. */
const pageAddress = (): string => globalThis.location?.href ?? 'http://localhost/';

/** The file name at the end of a capture's address (for the top bar and downloads). */
export function fileNameOf(url: string): string {
  try {
    const last = new URL(url, pageAddress()).pathname.split('/').filter(Boolean).pop();
    return last ? decodeURIComponent(last) : 'capture.pcap';
  } catch {
    return 'capture.pcap';
  }
}

export interface DownloadOptions {
  signal: AbortSignal;
  onProgress(received: number, total: number | null): void;
  /** Asked when the server announces more than CONFIRM_BYTES; false stops the download. */
  confirmLarge(total: number): Promise<boolean>;
  /** Hard cap (default MAX_BYTES). */
  maxBytes?: number;
}

/** A download that did not end in a capture; `message` is for people and names the host only. */
export class DownloadError extends Error {
  constructor(
    message: string,
    readonly reason: 'unreachable' | 'status' | 'too-large' | 'declined' | 'cancelled',
  ) {
    super(message);
    this.name = 'DownloadError';
  }
}

const MIB = 1024 * 1024;
export const formatMiB = (n: number): string => `${(n / MIB).toFixed(n < 10 * MIB ? 1 : 0)} MiB`;

/** Pieces smaller than this are gathered before they become a Blob (fewer, larger blob parts). */
const PART = 4 * MIB;

/** A capture's response, checked: the request succeeded, and its announced size is allowed. */
export interface CaptureResponse {
  body: ReadableStream<Uint8Array> | null;
  /** The size the server announced, or null. */
  total: number | null;
  response: Response;
}

/** Ask for the capture, and check the answer before any of its body is read. */
export async function requestCapture(url: string, options: DownloadOptions): Promise<CaptureResponse> {
  const { host } = new URL(url, pageAddress());
  const max = options.maxBytes ?? MAX_BYTES;
  let response: Response;
  try {
    response = await fetch(url, { credentials: 'omit', signal: options.signal });
  } catch {
    if (options.signal.aborted) throw new DownloadError('Download cancelled.', 'cancelled');
    throw new DownloadError(
      `Could not download the capture from ${host}: the server is unreachable or does not allow cross-origin requests (CORS). ` +
        'Download the file yourself and drop it here, or serve it with an Access-Control-Allow-Origin header.',
      'unreachable',
    );
  }
  if (!response.ok) throw new DownloadError(`Could not download the capture from ${host}: the server answered HTTP ${response.status}.`, 'status');
  const announced = Number(response.headers.get('content-length') ?? NaN);
  const total = Number.isFinite(announced) && announced > 0 ? announced : null;
  if (total !== null && total > max) {
    void response.body?.cancel();
    throw new DownloadError(`The capture at ${host} is ${formatMiB(total)}, more than a link may bring (${formatMiB(max)}): download it yourself and drop it here.`, 'too-large');
  }
  if (total !== null && total > CONFIRM_BYTES && !(await options.confirmLarge(total))) {
    void response.body?.cancel();
    throw new DownloadError('Download not started.', 'declined');
  }
  return { body: response.body, total, response };
}

/**
 * The body as a stream that stops (with an error) past the cap: handed to the analysis, which reads
 * it as it arrives.
 */
export function cappedBody(url: string, body: ReadableStream<Uint8Array>, maxBytes = MAX_BYTES): ReadableStream<Uint8Array> {
  const { host } = new URL(url, pageAddress());
  let received = 0;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        received += chunk.length;
        if (received > maxBytes) controller.error(new Error(`the capture at ${host} goes on past ${formatMiB(maxBytes)}`));
        else controller.enqueue(chunk);
      },
    }),
  );
}

/** Download the whole capture into a Blob. */
export async function downloadCapture(url: string, options: DownloadOptions): Promise<Blob> {
  return readCapture(url, await requestCapture(url, options), options);
}

/** Read a checked response whole into a Blob, with progress (for a response whose size was not announced). */
export async function readCapture(url: string, answer: CaptureResponse, options: DownloadOptions): Promise<Blob> {
  const { host } = new URL(url, pageAddress());
  const max = options.maxBytes ?? MAX_BYTES;
  const { body, total, response } = answer;
  if (!body) return response.blob();
  const reader = body.getReader();
  const blobs: Blob[] = [];
  let pending: Uint8Array<ArrayBuffer>[] = [];
  let pendingBytes = 0;
  let received = 0;
  const settle = () => {
    if (pendingBytes === 0) return;
    blobs.push(new Blob(pending));
    pending = [];
    pendingBytes = 0;
  };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (options.signal.aborted) throw new DownloadError('Download cancelled.', 'cancelled');
      if (done) break;
      received += value.length;
      if (received > max) {
        throw new DownloadError(`The capture at ${host} goes on past ${formatMiB(max)}: the download was stopped.`, 'too-large');
      }
      pending.push(value as Uint8Array<ArrayBuffer>);
      pendingBytes += value.length;
      if (pendingBytes >= PART) settle();
      options.onProgress(received, total);
    }
  } catch (err) {
    void reader.cancel().catch(() => {});
    if (err instanceof DownloadError) throw err;
    if (options.signal.aborted) throw new DownloadError('Download cancelled.', 'cancelled');
    throw new DownloadError(`The download from ${host} broke off after ${formatMiB(received)}.`, 'unreachable');
  }
  settle();
  return new Blob(blobs);
}

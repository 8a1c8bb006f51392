import { afterEach, describe, expect, it, vi } from 'vitest';
import { CONFIRM_BYTES, DownloadError, downloadCapture, type DownloadOptions } from './fetch-capture.ts';

const MIB = 1024 * 1024;

/** A response body that never ends: 64 KiB pieces, as long as it is read. */
function endless(): ReadableStream<Uint8Array> {
  return new ReadableStream({
    pull(controller) {
      controller.enqueue(new Uint8Array(64 * 1024));
    },
  });
}

function serve(response: () => Response | Promise<Response>) {
  vi.stubGlobal('fetch', vi.fn((_url: string, init?: RequestInit) => {
    if (init?.signal?.aborted) return Promise.reject(new DOMException('aborted', 'AbortError'));
    return Promise.resolve(response());
  }));
}

const options = (over: Partial<DownloadOptions> = {}): DownloadOptions => ({
  signal: new AbortController().signal,
  onProgress: () => {},
  confirmLarge: () => Promise.resolve(true),
  ...over,
});

async function failure(promise: Promise<unknown>): Promise<DownloadError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof DownloadError) return err;
    throw err;
  }
  throw new Error('the download did not fail');
}

afterEach(() => vi.unstubAllGlobals());

describe('downloadCapture', () => {
  it('stops an endless response at the cap instead of filling the machine', async () => {
    serve(() => new Response(endless()));
    let seen = 0;
    const err = await failure(downloadCapture('https://captures.example/x.pcap', options({ maxBytes: 2 * MIB, onProgress: (n) => (seen = n) })));
    expect(err.reason).toBe('too-large');
    expect(err.message).toBe('The capture at captures.example goes on past 2.0 MiB: the download was stopped.');
    expect(seen).toBeLessThanOrEqual(2 * MIB);
  });

  it('Cancel stops the download while it runs', async () => {
    serve(() => new Response(endless()));
    const controller = new AbortController();
    let pieces = 0;
    const err = await failure(
      downloadCapture('https://captures.example/x.pcap', options({ signal: controller.signal, onProgress: () => ++pieces === 5 && controller.abort() })),
    );
    expect(err.reason).toBe('cancelled');
    expect(pieces).toBe(5);
  });

  it('asks before a large download, and a no stops it', async () => {
    serve(() => new Response(endless(), { headers: { 'content-length': String(CONFIRM_BYTES + 1) } }));
    const asked: number[] = [];
    const err = await failure(
      downloadCapture('https://captures.example/x.pcap', options({ confirmLarge: (n) => (asked.push(n), Promise.resolve(false)) })),
    );
    expect(asked).toEqual([CONFIRM_BYTES + 1]);
    expect(err.reason).toBe('declined');
  });

  it('refuses an announced size past the cap without reading it', async () => {
    serve(() => new Response(endless(), { headers: { 'content-length': String(10 * MIB) } }));
    expect((await failure(downloadCapture('https://captures.example/x.pcap', options({ maxBytes: MIB })))).reason).toBe('too-large');
  });

  it('names the host only, never the path or what the server says', async () => {
    serve(() => new Response('<b>Buy now</b> at evil.example', { status: 503, statusText: 'Call 555-0100' }));
    const err = await failure(downloadCapture('https://captures.example/secret/path.pcap?token=1', options()));
    expect(err.message).toBe('Could not download the capture from captures.example: the server answered HTTP 503.');
    vi.stubGlobal('fetch', () => Promise.reject(new TypeError('Failed to fetch: evil text')));
    const unreachable = await failure(downloadCapture('https://captures.example/secret/path.pcap', options()));
    expect(unreachable.message).toMatch(/^Could not download the capture from captures\.example: the server is unreachable/);
    expect(unreachable.message).not.toMatch(/secret|evil/);
  });

  it('gives the whole body as a Blob', async () => {
    serve(() => new Response(new Uint8Array([1, 2, 3, 4, 5])));
    const blob = await downloadCapture('https://captures.example/x.pcap', options());
    expect(new Uint8Array(await blob.arrayBuffer())).toEqual(new Uint8Array([1, 2, 3, 4, 5]));
  });
});

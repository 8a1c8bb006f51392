/**
 * A capture that is still arriving (a `#url=` download), read by the analysis as it comes, like a
 * dropped file: pieces go into Blobs (the browser's blob store, not the worker's heap), and a read
 * waits until its bytes are there. `size` is what the server announced; a stream that ends early gives
 * short reads (the analysis then says the file was cut short), and one that goes on past it is kept
 * whole, for a second reading.
 */
import type { ByteSource } from '../core/capture/source.ts';

/** Pieces are gathered into Blob parts of about this size. */
const PART = 4 * 1024 * 1024;

export interface StreamedCapture {
  source: ByteSource;
  /** The whole stream as one Blob, once it has ended (or failed: what came before). */
  complete: Promise<{ file: Blob; received: number; error: string | null }>;
}

export function streamSource(name: string, size: number, stream: ReadableStream<Uint8Array>): StreamedCapture {
  const parts: Blob[] = [];
  let pending: Uint8Array<ArrayBuffer>[] = [];
  let pendingBytes = 0;
  let received = 0;
  let ended = false;
  let error: string | null = null;
  let waiters: { need: number; wake: () => void }[] = [];
  const settle = (): void => {
    if (pendingBytes === 0) return;
    parts.push(new Blob(pending));
    pending = [];
    pendingBytes = 0;
  };
  const wakeReady = (): void => {
    const ready = waiters.filter((w) => ended || w.need <= received);
    waiters = waiters.filter((w) => !ready.includes(w));
    for (const w of ready) w.wake();
  };
  const complete = (async () => {
    const reader = stream.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        pending.push(value as Uint8Array<ArrayBuffer>);
        pendingBytes += value.length;
        received += value.length;
        if (pendingBytes >= PART) settle();
        wakeReady();
      }
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    ended = true;
    settle();
    wakeReady();
    return { file: new Blob(parts), received, error };
  })();
  const source: ByteSource = {
    name,
    size,
    async read(start, end) {
      const to = Math.min(end, size);
      if (!ended && received < to) await new Promise<void>((wake) => waiters.push({ need: to, wake }));
      settle();
      return new Uint8Array(await new Blob(parts).slice(start, Math.min(to, received)).arrayBuffer());
    },
  };
  return { source, complete };
}

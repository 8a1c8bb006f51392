/** Downloading a capture a link names (`#url=`). */
import { showLinkNotice } from './notices.ts';

/** The file name at the end of a capture's address (for the top bar and downloads). */
export function fileNameOf(url: string): string {
  try {
    const last = new URL(url, location.href).pathname.split('/').filter(Boolean).pop();
    return last ? decodeURIComponent(last) : 'capture.pcap';
  } catch {
    return 'capture.pcap';
  }
}

/** fetch with a progress notice; throws an Error whose message says what to do. */
export async function fetchWithProgress(url: string): Promise<Blob> {
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

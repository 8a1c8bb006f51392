/**
 * A capture's fingerprint, written in view links (`fp=`) so a link is applied only to the capture it
 * was made for.
 */

/** SHA-256 of the first MiB of the stored file, 12 hex digits, and the size: cheap and specific. */
export async function fingerprintOf(file: Blob): Promise<string | null> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return null; // not a secure context: links work, without the capture check
  const head = await file.slice(0, 1 << 20).arrayBuffer();
  const digest = new Uint8Array(await subtle.digest('SHA-256', head));
  const hex = Array.from(digest.subarray(0, 6), (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex}.${file.size}`;
}

/**
 * The per-packet comment of a shared connection (pcapng opt_comment, draft-ietf-opsawg-pcapng §3.5):
 * "frame 547 of demo.pcap", the frame's number in the capture it was shared from. Wireshark shows it
 * (`frame.comment`); Resetscope reads it back, only in a section whose header declares a shared
 * connection (export/shared-link.ts), and numbers the frame with it.
 */

/** Highest original frame number taken from a comment (leaves room above for the frames after it). */
export const MAX_ORIGINAL_FRAME = 2_000_000_000;

/** Longest file name written into a comment or the section's metadata. */
export const MAX_FILE_NAME = 200;

/** A file name as a link may carry it: printable, no line breaks, at most MAX_FILE_NAME characters. */
export function cleanFileName(name: string): string {
  // Control characters (C0, DEL, C1) and the bidirectional overrides that could disguise a name.
  // eslint-disable-next-line no-control-regex
  const clean = name.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '').trim();
  return Array.from(clean).slice(0, MAX_FILE_NAME).join('');
}

/** "frame 547 of demo.pcap". */
export function frameComment(frame: number, fileName: string): string {
  return `frame ${frame} of ${cleanFileName(fileName)}`;
}

/** The frame number a comment written by `frameComment` gives, or 0 when it is not one. */
export function parseFrameComment(text: string): number {
  const m = /^frame ([1-9]\d{0,9}) of /.exec(text);
  if (!m) return 0;
  const n = Number(m[1]);
  return n <= MAX_ORIGINAL_FRAME ? n : 0;
}

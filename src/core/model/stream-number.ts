/**
 * The number a connection is shown and filtered by, Wireshark's `tcp.stream`: its id (connections
 * are numbered as Wireshark numbers streams), except in a capture that is one connection shared by
 * a link (export/shared-link.ts), whose connection keeps the number of the capture it was shared
 * from, as its frames keep their frame numbers. Ids stay the row indices everywhere (columns, the
 * URL's `c=`): only what is shown, filtered and exported goes through here.
 */

/** What numbers a capture's connections: the stream its one shared connection had (row 0), or none. */
export interface StreamNumbering {
  sharedStream?: number | null;
}

/**
 * The shared connection's stream, when the capture is a link and holds exactly that one connection;
 * null otherwise (a file that holds more than one connection is numbered by its own ids: none of
 * them can claim the sender's number).
 */
export function sharedStreamOf(shared: { stream: number } | null | undefined, connections: number): number | null {
  return shared && connections === 1 ? shared.stream : null;
}

/** The tcp.stream of connection `id`. */
export function streamNumber(numbering: StreamNumbering | null | undefined, id: number): number {
  const shared = numbering?.sharedStream;
  return id === 0 && shared !== undefined && shared !== null ? shared : id;
}

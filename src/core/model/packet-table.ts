import { allocateColumns, type ColumnsOf } from './columns.ts';

/**
 * Per-packet columns for every TCP frame of a capture: one typed array per field. A million packets
 * are a million indices into these arrays, never a million objects.
 *
 * While the capture is read, row i is the i-th TCP frame in file order; when it is done the rows are
 * grouped by connection (see AnalysisResult). Frames that are not TCP are not stored here; they keep
 * their place in the frame numbering (`frame` column) and are counted in the report.
 *
 * Three columns take the narrowest array their values fit once the capture is read (a file under
 * 4 GiB needs no float64 offsets, a capture of few interfaces no 16-bit interface numbers, and most
 * no 32-bit payload lengths): read them by index, never assume the array type.
 */
export interface PacketColumns {
  /** 1-based frame number. */
  frame: Uint32Array;
  /** Offset of the frame's data in the (decompressed) capture, so its bytes can be read back. */
  fileOffset: Float64Array | Uint32Array;
  /**
   * Index into Report.interfaces of the frame's interface (its link type); empty when every frame
   * came from interface 0, as in every pcap file. Read it with `interfaceOf`.
   */
  iface: Uint16Array | Uint8Array;
  /** Nanoseconds since the capture's first frame. */
  timeNs: Float64Array;
  /** Raw sequence and acknowledgement numbers. */
  seq: Uint32Array;
  ack: Uint32Array;
  /**
   * TCP flags (the header's 12 bits) and, in bit 15, the direction: `FROM_CLIENT` when the packet
   * goes from the connection's client to its server. Read them with `tcpFlags` and `isFromClient`.
   */
  flags: Uint16Array;
  /** TCP payload length, from the IP length (not the captured length). */
  payloadLen: Uint32Array | Uint16Array;
  /** Raw (unscaled) window. */
  window: Uint16Array;
  /** PacketMark bits. */
  marks: Uint8Array;
}

export type PacketColumnName = keyof PacketColumns;

/** Bit of the `flags` column set when the packet goes from the client to the server. */
export const FROM_CLIENT = 0x8000;
/** The TCP header's own flag bits in the `flags` column. */
const TCP_FLAG_BITS = 0x0fff;

/** The TCP flags of row `row`. */
export function tcpFlags(packets: Pick<PacketColumns, 'flags'>, row: number): number {
  return packets.flags[row]! & TCP_FLAG_BITS;
}

/** The interface (index into Report.interfaces) row `row` was captured on. */
export function interfaceOf(packets: Pick<PacketColumns, 'iface'>, row: number): number {
  return packets.iface.length === 0 ? 0 : packets.iface[row]!;
}

/** True when row `row` goes from the connection's client to its server. */
export function isFromClient(packets: Pick<PacketColumns, 'flags'>, row: number): boolean {
  return (packets.flags[row]! & FROM_CLIENT) !== 0;
}

/** What the tracker writes per row: every column at its widest, and the row's connection id. */
const PAGE = {
  frame: Uint32Array,
  conn: Uint32Array,
  fileOffset: Float64Array,
  iface: Uint16Array,
  timeNs: Float64Array,
  seq: Uint32Array,
  ack: Uint32Array,
  flags: Uint16Array,
  payloadLen: Uint32Array,
  window: Uint16Array,
  marks: Uint8Array,
};

export type PacketPage = ColumnsOf<typeof PAGE>;

/** Narrower arrays a column may be stored in once all its values are known, narrowest first. */
const NARROWER: Partial<Record<PacketColumnName, { max: number; make: (n: number) => PacketColumns[PacketColumnName] }[]>> = {
  fileOffset: [{ max: 0xffffffff, make: (n) => new Uint32Array(n) }],
  // Interface 0 only: no column at all (interfaceOf answers 0).
  iface: [
    { max: 0, make: () => new Uint8Array(0) },
    { max: 0xff, make: (n) => new Uint8Array(n) },
  ],
  payloadLen: [{ max: 0xffff, make: (n) => new Uint16Array(n) }],
};

/** Rows of the largest page; the first pages are smaller so a small capture stays small. */
const PAGE_ROWS = 1 << 16;
const FIRST_PAGE_ROWS = 1 << 10;

/**
 * Column store written a row at a time while the capture is read, in pages: growing never copies
 * what was written, and at most one page (64 Ki rows) is ever unused. `grouped()` then writes each
 * row once, to its place among its connection's rows (`trimmed()` joins the pages in file order).
 *
 * Writing: `const r = table.push(); table.cols.frame[r] = ...` — `r` indexes the current page.
 */
export class PacketTable {
  length = 0;
  /** The page being written. */
  cols: PacketPage;
  private readonly pages: { cols: PacketPage; rows: number }[] = [];
  /** The last of `pages`. */
  private page: { cols: PacketPage; rows: number };
  private pageRow = 0;
  private pageSize: number;

  constructor(firstPageRows = FIRST_PAGE_ROWS) {
    this.pageSize = Math.min(PAGE_ROWS, Math.max(16, firstPageRows));
    this.cols = allocateColumns(PAGE, this.pageSize);
    this.page = { cols: this.cols, rows: 0 };
    this.pages.push(this.page);
  }

  /** Largest file offset, interface and payload length of the full pages (see `noteMaxima`). */
  private maxOffset = 0;
  private maxIface = 0;
  private maxLen = 0;

  /** Reserve the next row and return its index in `cols`. */
  push(): number {
    if (this.pageRow === this.pageSize) {
      this.noteMaxima(this.page);
      this.pageSize = Math.min(PAGE_ROWS, this.pageSize * 2);
      this.cols = allocateColumns(PAGE, this.pageSize);
      this.page = { cols: this.cols, rows: 0 };
      this.pages.push(this.page);
      this.pageRow = 0;
    }
    this.page.rows++;
    this.length++;
    return this.pageRow++;
  }

  /**
   * Every row so far as one exact-length array per column (each in the narrowest array its values
   * fit), and the rows' connection ids apart, for the caller to group the rows by connection. The pages are let go a column at a time as they are copied, so the join
   * never holds much more than the rows themselves. The table is done after this.
   */
  trimmed(): { packets: PacketColumns; conn: Uint32Array } {
    const out = {} as Record<keyof PacketPage, unknown>;
    for (const key of Object.keys(PAGE) as (keyof PacketPage)[]) {
      const options = key in NARROWER ? NARROWER[key as PacketColumnName] : undefined;
      let max = 0;
      if (options) {
        for (const page of this.pages) {
          const column = page.cols[key];
          for (let i = 0; i < page.rows; i++) if (column[i]! > max) max = column[i]!;
        }
      }
      const narrower = options?.find((n) => max <= n.max);
      const whole = narrower ? narrower.make(this.length) : new PAGE[key](this.length);
      let at = 0;
      for (const page of this.pages) {
        if (whole.length > 0) whole.set(page.cols[key].subarray(0, page.rows), at);
        at += page.rows;
        (page.cols as unknown as Record<string, unknown>)[key] = EMPTY;
      }
      out[key] = whole;
    }
    this.pages.length = 0;
    const { conn, ...packets } = out as unknown as PacketPage;
    return { packets, conn };
  }

  /**
   * The largest values of a full page's columns that may be narrowed, noted while the capture is read
   * (the page was just written, so this costs little), not in a pass over every row at the end.
   */
  private noteMaxima(page: { cols: PacketPage; rows: number }): void {
    const { fileOffset, iface, payloadLen } = page.cols;
    let maxOffset = this.maxOffset;
    let maxIface = this.maxIface;
    let maxLen = this.maxLen;
    for (let i = 0; i < page.rows; i++) {
      if (fileOffset[i]! > maxOffset) maxOffset = fileOffset[i]!;
      if (iface[i]! > maxIface) maxIface = iface[i]!;
      if (payloadLen[i]! > maxLen) maxLen = payloadLen[i]!;
    }
    this.maxOffset = maxOffset;
    this.maxIface = maxIface;
    this.maxLen = maxLen;
  }

  /**
   * Every row so far grouped by connection (file order kept within each), in one pass: each page's
   * rows are written straight to their final places in exact-length columns (each in the narrowest
   * array its values fit), and the page is let go. Connection c's rows are then
   * `connStart[c] .. connStart[c + 1]`. `nConn` is one more than the largest connection id;
   * `rowsOf`, when given, holds each connection's number of rows (the tracker counts them as it
   * writes them), which spares a pass counting the rows' connection ids (they are counted when the
   * numbers do not add up to the table's rows). The table is done after this.
   */
  grouped(nConn: number, rowsOf?: ArrayLike<number>): { packets: PacketColumns; connStart: Uint32Array } {
    const n = this.length;
    const connStart = new Uint32Array(nConn + 1);
    if (rowsOf) for (let c = 0; c < nConn; c++) connStart[c + 1] = connStart[c]! + rowsOf[c]!;
    if (connStart[nConn] !== n) {
      connStart.fill(0);
      for (const { cols, rows } of this.pages) {
        const conn = cols.conn;
        for (let i = 0; i < rows; i++) connStart[conn[i]! + 1]!++;
      }
      for (let c = 0; c < nConn; c++) connStart[c + 1]! += connStart[c]!;
    }
    this.noteMaxima(this.page);
    const { maxOffset, maxIface, maxLen } = this;
    const narrowest = <K extends PacketColumnName>(key: K, max: number): PacketColumns[K] =>
      (NARROWER[key]?.find((option) => max <= option.max)?.make(n) ?? new PAGE[key](n)) as PacketColumns[K];
    const frame = new Uint32Array(n);
    const fileOffset = narrowest('fileOffset', maxOffset);
    const iface = narrowest('iface', maxIface);
    const timeNs = new Float64Array(n);
    const seq = new Uint32Array(n);
    const ack = new Uint32Array(n);
    const flags = new Uint16Array(n);
    const payloadLen = narrowest('payloadLen', maxLen);
    const window = new Uint16Array(n);
    const marks = new Uint8Array(n);
    const withIface = iface.length > 0;
    // Where the next row of each connection goes: each row is written there as it is read, in one
    // loop over the page (the interface, when there is a column for it, in the same loop).
    const fill = connStart.slice(0, nConn);
    for (const page of this.pages) {
      const rows = page.rows;
      const p = page.cols;
      const conn = p.conn;
      const pFrame = p.frame;
      const pOffset = p.fileOffset;
      const pTime = p.timeNs;
      const pSeq = p.seq;
      const pAck = p.ack;
      const pFlags = p.flags;
      const pLen = p.payloadLen;
      const pWindow = p.window;
      const pMarks = p.marks;
      const pIface = p.iface;
      for (let i = 0; i < rows; i++) {
        const t = fill[conn[i]!]!++;
        frame[t] = pFrame[i]!;
        fileOffset[t] = pOffset[i]!;
        timeNs[t] = pTime[i]!;
        seq[t] = pSeq[i]!;
        ack[t] = pAck[i]!;
        flags[t] = pFlags[i]!;
        payloadLen[t] = pLen[i]!;
        window[t] = pWindow[i]!;
        marks[t] = pMarks[i]!;
        if (withIface) iface[t] = pIface[i]!;
      }
      page.cols = EMPTY_PAGE;
      page.rows = 0;
    }
    this.pages.length = 0;
    return { packets: { frame, fileOffset, iface, timeNs, seq, ack, flags, payloadLen, window, marks }, connStart };
  }
}

const EMPTY = new Uint8Array(0);
const EMPTY_PAGE = allocateColumns(PAGE, 0);

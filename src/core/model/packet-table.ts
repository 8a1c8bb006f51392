/**
 * Per-packet columns for every TCP frame of a capture: one typed array per field, grown by doubling.
 * A million packets are a million indices into these arrays, never a million objects.
 *
 * Row i is the i-th TCP frame in file order. Frames that are not TCP are not stored here; they keep
 * their place in the frame numbering (`frame` column) and are counted in the report.
 */
export interface PacketColumns {
  /** 1-based frame number. */
  frame: Uint32Array;
  /** Connection id (index into Report.connections). */
  conn: Uint32Array;
  /** Offset of the frame's data in the (decompressed) capture, so its bytes can be read back. */
  fileOffset: Float64Array;
  /** Index into Report.interfaces of the frame's interface (its link type). */
  iface: Uint16Array;
  /** Nanoseconds since the capture's first frame. */
  timeNs: Float64Array;
  /** Raw sequence and acknowledgement numbers. */
  seq: Uint32Array;
  ack: Uint32Array;
  /** TCP flags (12 bits). */
  flags: Uint16Array;
  /** TCP payload length, from the IP length (not the captured length). */
  payloadLen: Uint32Array;
  /** Raw (unscaled) window. */
  window: Uint16Array;
  ttl: Uint8Array;
  /** IPv4 identification; 0 for IPv6. */
  ipId: Uint16Array;
  /** 1 when the packet goes from the connection's client to its server. */
  fromClient: Uint8Array;
  /** PacketMark bits. */
  marks: Uint8Array;
}

export type PacketColumnName = keyof PacketColumns;

/** Growable column store. */
export class PacketTable {
  length = 0;
  private capacity: number;
  cols: PacketColumns;

  constructor(initialCapacity = 1024) {
    this.capacity = Math.max(16, initialCapacity);
    this.cols = allocate(this.capacity);
  }

  /** Reserve row `length` and return its index. */
  push(): number {
    if (this.length === this.capacity) this.grow();
    return this.length++;
  }

  /**
   * Grow by half: at most a third of the columns is unused slack, and the copy on growth holds the
   * old and new columns at once (2.5 times the rows) rather than three times.
   */
  private grow(): void {
    const capacity = Math.ceil(this.capacity * 1.5);
    const next = allocate(capacity);
    for (const key of Object.keys(next) as PacketColumnName[]) {
      (next[key] as Uint32Array).set(this.cols[key] as Uint32Array);
    }
    this.cols = next;
    this.capacity = capacity;
  }

  /**
   * Columns cut to `length`. Views, not copies: the analysis ends without holding the columns twice
   * (transferring a view transfers its whole buffer, which is at most twice the rows).
   */
  trimmed(): PacketColumns {
    const out = {} as Record<PacketColumnName, unknown>;
    for (const key of Object.keys(this.cols) as PacketColumnName[]) {
      out[key] = (this.cols[key] as Uint32Array).subarray(0, this.length);
    }
    return out as unknown as PacketColumns;
  }
}

function allocate(n: number): PacketColumns {
  return {
    frame: new Uint32Array(n),
    conn: new Uint32Array(n),
    fileOffset: new Float64Array(n),
    iface: new Uint16Array(n),
    timeNs: new Float64Array(n),
    seq: new Uint32Array(n),
    ack: new Uint32Array(n),
    flags: new Uint16Array(n),
    payloadLen: new Uint32Array(n),
    window: new Uint16Array(n),
    ttl: new Uint8Array(n),
    ipId: new Uint16Array(n),
    fromClient: new Uint8Array(n),
    marks: new Uint8Array(n),
  };
}

/** Bytes kept per TCP packet by the columns above. */
export const BYTES_PER_PACKET = 4 + 4 + 8 + 2 + 8 + 4 + 4 + 2 + 4 + 2 + 1 + 2 + 1 + 1;

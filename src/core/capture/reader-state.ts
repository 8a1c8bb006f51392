/** The state of the format readers between two records, as plain data that crosses threads (ranges.ts). */

/** A classic pcap reader's whole state between two records (ranges.ts hands it between threads). */
export interface PcapState {
  readonly kind: 'pcap';
  little: boolean;
  nanos: boolean;
  recordHeader: number;
  snaplen: number;
  frameNo: number;
  warnedOverSnaplen: boolean;
}

/** One interface of the current section, as the reader converts its timestamps. */
export interface Iface {
  linkType: number;
  snaplen: number;
  /** Timestamp units per second. */
  units: number;
  unitsBig: bigint;
  offsetSec: number;
  /** Cache of the conversion of the timestamp's upper 32 bits (changes every few seconds). */
  hi: number;
  hiSec: number;
  hiRem: number;
}

/** A pcapng reader's whole state between two blocks (ranges.ts hands it between threads). */
export interface PcapngState {
  readonly kind: 'pcapng';
  little: boolean;
  inSection: boolean;
  sectionIfaces: Iface[];
  globalIfaceBase: number;
  globalIfaces: number;
  frameNo: number;
  resyncing: boolean;
  resyncFrom: number;
  lastSec: number;
  lastNsec: number;
  /** The section's header asked for each packet's comment (a shared connection's frame numbers). */
  frameComments: boolean;
}

export type ReaderState = PcapState | PcapngState;

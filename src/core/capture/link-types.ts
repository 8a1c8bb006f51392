/** LINKTYPE_* values we decode, with display names (https://www.tcpdump.org/linktypes.html). */
export const LinkType = {
  NULL: 0,
  ETHERNET: 1,
  PPP: 9,
  FDDI: 10,
  RAW_OPENBSD: 12,
  RAW_BSD: 14,
  PPP_HDLC: 50,
  PPP_ETHER: 51,
  RAW: 101,
  CISCO_HDLC: 104,
  LOOP: 108,
  LINUX_SLL: 113,
  ARCNET_LINUX: 129,
  NFLOG: 239,
  IPOIB: 242,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;

const NAMES: Record<number, string> = {
  0: 'NULL/Loopback',
  1: 'Ethernet',
  9: 'PPP',
  10: 'FDDI',
  12: 'Raw IP',
  14: 'Raw IP',
  50: 'PPP in HDLC-like framing',
  51: 'PPPoE',
  101: 'Raw IP',
  104: 'Cisco HDLC',
  105: 'IEEE 802.11',
  108: 'OpenBSD loopback',
  113: 'Linux cooked-mode capture v1',
  127: 'IEEE 802.11 plus radiotap',
  129: 'ARCNET (Linux)',
  239: 'Linux netfilter log (NFLOG)',
  242: 'IP over InfiniBand',
  228: 'Raw IPv4',
  229: 'Raw IPv6',
  276: 'Linux cooked-mode capture v2',
};

export function linkTypeName(linkType: number): string {
  return NAMES[linkType] ?? `link type ${linkType}`;
}

/**
 * Where the two lane labels go: centred on their lifelines, but moved inward to stay whole inside the
 * ladder, and on two lines when they would overlap (a narrow window, a long IPv6 address).
 */
export interface LaneLabelPlacement {
  clientLeft: number;
  serverLeft: number;
  /** The server's label goes on a second line. */
  stacked: boolean;
}

const MARGIN = 4;
const GAP = 8;

/** Left edges for labels of widths `clientWidth`, `serverWidth` in a ladder `width` wide. */
export function placeLaneLabels(
  width: number,
  clientX: number,
  serverX: number,
  clientWidth: number,
  serverWidth: number,
): LaneLabelPlacement {
  const place = (x: number, w: number) => Math.max(MARGIN, Math.min(x - w / 2, width - w - MARGIN));
  const clientLeft = place(clientX, clientWidth);
  const serverLeft = place(serverX, serverWidth);
  const stacked = clientLeft + clientWidth + GAP > serverLeft;
  return { clientLeft, serverLeft, stacked };
}

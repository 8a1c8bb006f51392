import { describe, expect, it } from 'vitest';
import { connectionOfFrame, packetRowOfFrame } from './frame-lookup.ts';

describe('frame lookup', () => {
  // Frames 2 and 5 are not TCP, so they have no row.
  // Rows 0..4 belong to connections 0, 1, 0, 2, 1; connection 3 has no packet.
  const packets = { frame: Uint32Array.of(1, 3, 4, 6, 7) };
  const index = { packets, connStart: Uint32Array.of(0, 2, 4, 5, 5), connPackets: Uint32Array.of(0, 2, 1, 4, 3) };

  it('finds the row and connection of a TCP frame', () => {
    expect(packetRowOfFrame(packets, 1)).toBe(0);
    expect(packetRowOfFrame(packets, 7)).toBe(4);
    expect(connectionOfFrame(index, 6)).toBe(2);
    expect(connectionOfFrame(index, 4)).toBe(0);
    expect(connectionOfFrame(index, 3)).toBe(1);
    expect(connectionOfFrame(index, 7)).toBe(1);
  });

  it('answers nothing for frames without a TCP row', () => {
    expect(packetRowOfFrame(packets, 2)).toBe(-1);
    expect(connectionOfFrame(index, 5)).toBeNull();
    expect(connectionOfFrame(index, 99)).toBeNull();
    expect(connectionOfFrame({ packets: { frame: new Uint32Array(0) }, connStart: Uint32Array.of(0), connPackets: new Uint32Array(0) }, 1)).toBeNull();
  });
});

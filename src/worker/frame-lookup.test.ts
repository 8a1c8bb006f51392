import { describe, expect, it } from 'vitest';
import { connectionOfFrame, packetRowOfFrame } from './frame-lookup.ts';

describe('frame lookup', () => {
  // Frames 2 and 5 are not TCP, so they have no row.
  // Rows grouped by connection: connection 0 has frames 1 and 4, connection 1 frames 3 and 7,
  // connection 2 frame 6, connection 3 none.
  const packets = { frame: Uint32Array.of(1, 4, 3, 7, 6) };
  const index = { packets, connStart: Uint32Array.of(0, 2, 4, 5, 5) };

  it('finds the row and connection of a TCP frame', () => {
    expect(packetRowOfFrame(packets, 1)).toBe(0);
    expect(packetRowOfFrame(packets, 7)).toBe(3);
    expect(connectionOfFrame(index, 6)).toBe(2);
    expect(connectionOfFrame(index, 4)).toBe(0);
    expect(connectionOfFrame(index, 3)).toBe(1);
    expect(connectionOfFrame(index, 7)).toBe(1);
  });

  it('answers nothing for frames without a TCP row', () => {
    expect(packetRowOfFrame(packets, 2)).toBe(-1);
    expect(connectionOfFrame(index, 5)).toBeNull();
    expect(connectionOfFrame(index, 99)).toBeNull();
    expect(connectionOfFrame({ packets: { frame: new Uint32Array(0) }, connStart: Uint32Array.of(0) }, 1)).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { connectionOfFrame, packetRowOfFrame } from './frame-lookup.ts';

describe('frame lookup', () => {
  // Frames 2 and 5 are not TCP, so they have no row.
  const packets = { frame: Uint32Array.of(1, 3, 4, 6, 7), conn: Uint32Array.of(0, 1, 0, 2, 1) };

  it('finds the row and connection of a TCP frame', () => {
    expect(packetRowOfFrame(packets, 1)).toBe(0);
    expect(packetRowOfFrame(packets, 7)).toBe(4);
    expect(connectionOfFrame(packets, 6)).toBe(2);
    expect(connectionOfFrame(packets, 4)).toBe(0);
  });

  it('answers nothing for frames without a TCP row', () => {
    expect(packetRowOfFrame(packets, 2)).toBe(-1);
    expect(connectionOfFrame(packets, 5)).toBeNull();
    expect(connectionOfFrame(packets, 99)).toBeNull();
    expect(connectionOfFrame({ frame: new Uint32Array(0), conn: new Uint32Array(0) }, 1)).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { placeLaneLabels } from './lane-labels.ts';

describe('placeLaneLabels', () => {
  it('centres each label on its lifeline when there is room', () => {
    expect(placeLaneLabels(1000, 200, 800, 100, 120)).toEqual({ clientLeft: 150, serverLeft: 740, stacked: false });
  });

  it('moves a label inward rather than past the edge', () => {
    const { serverLeft } = placeLaneLabels(900, 200, 800, 100, 300);
    expect(serverLeft + 300).toBeLessThanOrEqual(900);
    expect(placeLaneLabels(900, 30, 800, 100, 100).clientLeft).toBe(4);
  });

  it('stacks the labels when they would overlap', () => {
    expect(placeLaneLabels(370, 120, 300, 200, 260).stacked).toBe(true);
  });
});

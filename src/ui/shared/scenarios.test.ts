import { describe, expect, it } from 'vitest';
import { scenarioColor, scenarioTitle } from './scenarios.ts';

describe('scenario display', () => {
  it('names known scenarios and shows unknown ids as they are, Object properties included', () => {
    expect(scenarioTitle('refused')).toBe('Connection refused');
    for (const id of ['__proto__', 'constructor', 'toString']) {
      expect(scenarioTitle(id)).toBe(id);
      expect(scenarioColor(id)).toBe('#748ffc');
    }
  });
});

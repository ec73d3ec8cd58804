import { describe, expect, it } from 'vitest';
import { groupingAccuracy, parsingAccuracy } from '../src/loghub/loghub-metrics.js';

describe('Loghub parsing metrics', () => {
  it('GA counts a message right only when its parsed group is exactly its true group', () => {
    // True groups {0,1,2} and {3,4}; parsed groups {0,1}, {2}, {3,4}: only messages 3 and 4 are right.
    expect(groupingAccuracy(['A', 'A', 'A', 'B', 'B'], ['x', 'x', 'y', 'z', 'z'])).toBeCloseTo(2 / 5);
    // One parsed group holding two true groups: nothing is right.
    expect(groupingAccuracy(['A', 'A', 'B'], ['x', 'x', 'x'])).toBe(0);
    expect(groupingAccuracy(['A', 'B'], ['q', 'r'])).toBe(1);
  });

  it('PA compares template text exactly, after collapsing whitespace', () => {
    expect(
      parsingAccuracy(
        ['Invalid user <*> from <*>', 'Connection closed by <*>'],
        ['Invalid  user <*> from <*> ', 'Connection closed by <*> [preauth]'],
      ),
    ).toBe(0.5);
    expect(() => parsingAccuracy(['a'], [])).toThrow(/1 true templates but 0 parsed/);
  });
});

import { describe, expect, it } from 'vitest';
import { pickTag } from '../../../src/validate/semver.js';

const tags = ['v0.9.0', 'v1.0.0', 'v1.2.0', 'v1.2.5', 'v1.3.0-rc.1', 'v2.0.0', '2.1.0', 'latest', 'v3.0.0-beta.1'];

describe('pickTag (GitRepository ref.semver)', () => {
  it.each([
    ['*', '2.1.0'],
    ['>=1.0.0 <2.0.0', 'v1.2.5'],
    ['>=1.0.0, <2.0.0', 'v1.2.5'],
    ['^1.0.0', 'v1.2.5'],
    ['~1.2.0', 'v1.2.5'],
    ['1.x', 'v1.2.5'],
    ['1.2', 'v1.2.5'],
    ['=1.2.0', 'v1.2.0'],
    ['v1.0.0', 'v1.0.0'],
    ['^0.9', 'v0.9.0'],
    ['<1.0.0 || >=2.0.0 <2.1.0', 'v2.0.0'],
    ['>1.2.0 <2.0.0', 'v1.2.5'],
    ['>=1.3.0-rc.0 <1.4.0', 'v1.3.0-rc.1'],
    ['>=3.0.0-0', 'v3.0.0-beta.1'],
    ['>=4.0.0', undefined],
    ['not a range', undefined],
  ])('%s → %s', (constraint, expected) => {
    expect(pickTag(tags, constraint)).toBe(expected);
  });
});

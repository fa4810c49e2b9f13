import { BoundedLabel, OTHER } from './bounded-label.js';

describe('BoundedLabel', () => {
  it('keeps the first `max` distinct values and folds later ones into "other"', () => {
    const label = new BoundedLabel(2);
    expect(['/a', '/b', '/a', '/c', '/b', '/d'].map((v) => label.value(v))).toEqual(['/a', '/b', '/a', OTHER, '/b', OTHER]);
  });

  it('names absent values without spending the cap on them twice', () => {
    const label = new BoundedLabel(1);
    expect([label.value(null), label.value(undefined), label.value(''), label.value('key_1')]).toEqual(['none', 'none', 'none', OTHER]);
  });
});

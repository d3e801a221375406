import { describe, expect, it } from 'vitest';
import { linear, niceMax, polar, ticks } from './scale';

describe('chart scales', () => {
  it('linear maps the domain onto the range (also inverted)', () => {
    expect(linear(0, 10, 0, 100)(2.5)).toBe(25);
    expect(linear(0, 1, 200, 0)(0.25)).toBe(150);
    expect(linear(3, 3, 0, 10)(3)).toBe(0);
  });
  it('niceMax rounds up to 1, 2, 2.5, 5 × 10^k', () => {
    expect([0.7, 1, 1.2, 2.2, 3, 7, 4200, 0].map(niceMax)).toEqual([1, 1, 2, 2.5, 5, 10, 5000, 1]);
    expect(ticks(10, 4)).toEqual([0, 2.5, 5, 7.5, 10]);
  });
  it('polar: axis 0 points up', () => {
    const [x, y] = polar(0, 5, 10, 50, 50);
    expect(x).toBeCloseTo(50, 9);
    expect(y).toBeCloseTo(40, 9);
  });
});

import { Prng } from '../../src/util/prng.js';

describe('Prng', () => {
  it('repeats its stream for a seed and differs between seeds', () => {
    const a = new Prng(42);
    const b = new Prng(42);
    const c = new Prng(43);
    const sa = Array.from({ length: 20 }, () => a.nextUint32());
    expect(Array.from({ length: 20 }, () => b.nextUint32())).toEqual(sa);
    expect(Array.from({ length: 20 }, () => c.nextUint32())).not.toEqual(sa);
  });

  it('stays in range and covers it', () => {
    const p = new Prng(7);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const v = p.int(-2, 3);
      expect(v).toBeGreaterThanOrEqual(-2);
      expect(v).toBeLessThanOrEqual(3);
      seen.add(v);
      const f = p.next();
      expect(f >= 0 && f < 1).toBe(true);
    }
    expect([...seen].sort((x, y) => x - y)).toEqual([-2, -1, 0, 1, 2, 3]);
    expect(() => p.int(3, 1)).toThrow(RangeError);
  });

  it('resumes from a saved state, picks, shuffles and weighs deterministically', () => {
    const p = new Prng(1);
    p.next();
    const state = p.getState();
    const q = Prng.fromState(state);
    expect(q.nextUint32()).toBe(p.nextUint32());
    expect(new Prng(5).shuffle([1, 2, 3, 4, 5, 6])).toEqual(new Prng(5).shuffle([1, 2, 3, 4, 5, 6]));
    expect(new Prng(5).shuffle([1, 2, 3, 4, 5, 6]).sort()).toEqual([1, 2, 3, 4, 5, 6]);
    const w = new Prng(9);
    for (let i = 0; i < 200; i++)
      expect(
        w.weighted([
          ['never', 0],
          ['always', 1],
        ] as const),
      ).toBe('always');
    expect(new Prng(3).pick(['x'])).toBe('x');
    expect(new Prng(3).fork().nextUint32()).toBe(new Prng(3).fork().nextUint32());
  });
});

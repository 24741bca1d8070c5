/**
 * A small deterministic pseudo-random number generator (xoshiro128**, seeded through
 * splitmix32). Simulators and tests use it instead of `Math.random` so that a failing
 * run can be replayed exactly from its seed. Not for cryptography.
 */
export class Prng {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;

  /** @param seed any 32-bit integer (other numbers are truncated); the same seed gives the same stream */
  constructor(seed: number) {
    // splitmix32 spreads a small seed (0, 1, 2...) over the whole state, so
    // neighbouring seeds do not give correlated streams.
    let x = seed >>> 0;
    const mix = (): number => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = mix();
    this.s1 = mix();
    this.s2 = mix();
    this.s3 = mix();
    // xoshiro must never run with an all-zero state.
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** The next unsigned 32-bit integer of the stream. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 = (this.s2 ^ this.s0) >>> 0;
    this.s3 = (this.s3 ^ this.s1) >>> 0;
    this.s1 = (this.s1 ^ this.s2) >>> 0;
    this.s0 = (this.s0 ^ this.s3) >>> 0;
    this.s2 = (this.s2 ^ t) >>> 0;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** A float in [min, max). */
  float(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** An integer in [min, max] (both inclusive). */
  int(min: number, max: number): number {
    if (!Number.isInteger(min) || !Number.isInteger(max) || max < min) {
      throw new RangeError(`Prng.int: bad range [${min}, ${max}]`);
    }
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element of a non-empty array, uniformly. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('Prng.pick: empty array');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /**
   * One value chosen with probability proportional to its weight. Entries with a
   * weight of zero or less are never chosen; at least one weight must be positive.
   */
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of entries) if (w > 0) total += w;
    if (total <= 0) throw new RangeError('Prng.weighted: no positive weight');
    let r = this.next() * total;
    let last: T | undefined;
    for (const [value, w] of entries) {
      if (w <= 0) continue;
      last = value;
      if (r < w) return value;
      r -= w;
    }
    // Only reachable through float rounding at the very end of the range.
    return last as T;
  }

  /** Shuffles `items` in place (Fisher-Yates) and returns it. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const tmp = items[i] as T;
      items[i] = items[j] as T;
      items[j] = tmp;
    }
    return items;
  }

  /**
   * An independent generator derived from this one. Giving each component its own
   * fork keeps one component's extra draws from shifting another's stream.
   */
  fork(): Prng {
    return new Prng(this.nextUint32());
  }

  /** The internal state, to save and later {@link Prng.fromState} resume a stream. */
  getState(): [number, number, number, number] {
    return [this.s0, this.s1, this.s2, this.s3];
  }

  /** A generator that continues from a state captured by {@link Prng.getState}. */
  static fromState(state: readonly [number, number, number, number]): Prng {
    const p = new Prng(0);
    [p.s0, p.s1, p.s2, p.s3] = state.map((v) => v >>> 0) as [number, number, number, number];
    if ((p.s0 | p.s1 | p.s2 | p.s3) === 0) p.s0 = 1;
    return p;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

// Coinbase's rate limits (coinbase-pro.md §9): lazy-fill token buckets, public per
// IP, private per profile, `/fills` on its own bucket. Over the limit: 429 with
// `{"message":"Public rate limit exceeded"}` / "Private rate limit exceeded".

import { COINBASE_SIM_MSG, CoinbaseSimError } from './coinbase-pro-sim-errors.js';
import type { CoinbaseSimLimits } from './coinbase-pro-sim-types.js';

/** Which bucket a request is charged to. */
export type RateBucketKind = 'public' | 'private' | 'fills';

interface Bucket {
  tokens: number;
  at: number;
}

/** A token bucket per (kind, owner); the owner is the IP for public, the API key otherwise. */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly limits: () => CoinbaseSimLimits,
    private readonly now: () => number,
  ) {}

  /** Takes one token or throws the 429. */
  consume(kind: RateBucketKind, owner: string): void {
    const { rate, burst } = this.params(kind);
    const key = `${kind}\u0000${owner}`;
    const t = this.now();
    let b = this.buckets.get(key);
    if (b === undefined) {
      b = { tokens: burst, at: t };
      this.buckets.set(key, b);
    }
    b.tokens = Math.min(burst, b.tokens + (Math.max(0, t - b.at) / 1000) * rate);
    b.at = t;
    if (b.tokens < 1) {
      throw new CoinbaseSimError(
        429,
        kind === 'public' ? COINBASE_SIM_MSG.publicRateLimit : COINBASE_SIM_MSG.privateRateLimit,
      );
    }
    b.tokens -= 1;
  }

  /** Refills every bucket. */
  reset(): void {
    this.buckets.clear();
  }

  private params(kind: RateBucketKind): { rate: number; burst: number } {
    const l = this.limits();
    if (kind === 'public') return { rate: l.publicRate, burst: l.publicBurst };
    if (kind === 'fills') return { rate: l.fillsRate, burst: l.fillsBurst };
    return { rate: l.privateRate, burst: l.privateBurst };
  }
}

// Coinbase's rate limits (coinbase-pro.md §9): lazy-fill token buckets, public per
// IP, private per profile, `/fills` on its own bucket. Over the limit: 429 with
// `{"message":"Public rate limit exceeded"}` / "Private rate limit exceeded".

import { TokenBuckets, type TokenBucketLimit } from '@hb/testing';
import { COINBASE_SIM_MSG, CoinbaseSimError } from './coinbase-pro-sim-errors.js';
import type { CoinbaseSimLimits } from './coinbase-pro-sim-types.js';

/** Which bucket a request is charged to. */
export type RateBucketKind = 'public' | 'private' | 'fills';

/** A token bucket per (kind, owner); the owner is the IP for public, the API key otherwise. */
export class RateLimiter {
  private readonly buckets: TokenBuckets;

  constructor(
    private readonly limits: () => CoinbaseSimLimits,
    now: () => number,
  ) {
    this.buckets = new TokenBuckets(now);
  }

  /** Takes one token or throws the 429. */
  consume(kind: RateBucketKind, owner: string): void {
    if (this.buckets.take(`${kind}\u0000${owner}`, this.bucket(kind))) return;
    throw new CoinbaseSimError(
      429,
      kind === 'public' ? COINBASE_SIM_MSG.publicRateLimit : COINBASE_SIM_MSG.privateRateLimit,
    );
  }

  /** Refills every bucket. */
  reset(): void {
    this.buckets.reset();
  }

  private bucket(kind: RateBucketKind): TokenBucketLimit {
    const l = this.limits();
    if (kind === 'public') return { rate: l.publicRate, burst: l.publicBurst };
    if (kind === 'fills') return { rate: l.fillsRate, burst: l.fillsBurst };
    return { rate: l.privateRate, burst: l.privateBurst };
  }
}

import { OrderBookTracker, consecutiveSequenceRule, type OrderBookTrackerOptions } from '@hb/core/connector';
import type { CoinbaseProOrderBookDataSource } from './coinbase-pro-order-book-data-source.js';

/**
 * Core's tracker at level 3 with Coinbase's sequence rule: one sequence per
 * product across every `full`-channel message, each exactly the previous + 1;
 * at or below the book's id is stale (late or duplicated), above id + 1 is a gap
 * (re-sync from a fresh level-3 snapshot).
 */
export class CoinbaseProOrderBookTracker extends OrderBookTracker {
  constructor(
    dataSource: CoinbaseProOrderBookDataSource,
    tradingPairs: readonly string[],
    options: Pick<OrderBookTrackerOptions, 'silenceTimeoutMs'> = {},
  ) {
    // Level 3 (`full`, with keys) or level 2 (`level2_batch`, numbered by the feed):
    // either way each message is the previous + 1.
    super({
      ...options,
      dataSource,
      tradingPairs,
      sequenceRule: consecutiveSequenceRule,
      orderBased: dataSource.orderBased,
    });
  }
}

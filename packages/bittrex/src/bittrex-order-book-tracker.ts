import { OrderBookTracker, consecutiveSequenceRule, type OrderBookTrackerOptions } from '@hb/core/connector';
import type { BittrexOrderBookDataSource } from './bittrex-order-book-data-source.js';

/**
 * Core's tracker with Bittrex's sequence rule: every delta of a (market, depth)
 * channel carries `sequence` = previous + 1. A delta at or below the book's
 * sequence is stale (dropped), the next one applies, anything further is a gap
 * and the pair re-syncs from a new snapshot — the documented procedure, with the
 * queued deltas passing the same check as live ones.
 */
export class BittrexOrderBookTracker extends OrderBookTracker {
  constructor(
    dataSource: BittrexOrderBookDataSource,
    tradingPairs: readonly string[],
    options: Partial<Omit<OrderBookTrackerOptions, 'dataSource' | 'tradingPairs' | 'sequenceRule'>> = {},
  ) {
    super({ ...options, dataSource, tradingPairs, sequenceRule: consecutiveSequenceRule });
  }
}

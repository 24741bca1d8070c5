import { OrderBookTracker, rangeSequenceRule, type OrderBookTrackerOptions } from '@hb/core/connector';
import type { BinanceOrderBookDataSource } from './binance-order-book-data-source.js';

/**
 * Core's tracker with Binance's sequence rule: each diff covers ids `U..u`; a
 * diff with `u` at or below the book's id is stale, one with `U` past id + 1 is a
 * gap (re-sync), and otherwise it applies — which is also the documented check
 * that the first diff after the snapshot straddles `lastUpdateId + 1`.
 */
export class BinanceOrderBookTracker extends OrderBookTracker {
  constructor(
    dataSource: BinanceOrderBookDataSource,
    tradingPairs: readonly string[],
    options: Partial<Omit<OrderBookTrackerOptions, 'dataSource' | 'tradingPairs' | 'sequenceRule'>> = {},
  ) {
    super({ ...options, dataSource, tradingPairs, sequenceRule: rangeSequenceRule });
  }
}

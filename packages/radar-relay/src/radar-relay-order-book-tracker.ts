import { OrderBookTracker, noSequenceRule, type OrderBookTrackerOptions } from '@hb/core/connector';
import type { RadarRelayOrderBookDataSource } from './radar-relay-order-book-data-source.js';

/**
 * Core's tracker, order-based (orders by 0x hash, aggregated into levels), with
 * no sequence rule: Radar numbers nothing, so reconnects and unreadable frames
 * re-snapshot. `trimCrossed` is off by default: the relayer matches nothing,
 * and a crossed Radar book is real (an arbitrage), not a tracker error.
 */
export class RadarRelayOrderBookTracker extends OrderBookTracker {
  constructor(
    dataSource: RadarRelayOrderBookDataSource,
    tradingPairs: readonly string[],
    options: Pick<OrderBookTrackerOptions, 'silenceTimeoutMs' | 'trimCrossed' | 'resyncDelayMs'> = {},
  ) {
    super({ dataSource, tradingPairs, sequenceRule: noSequenceRule, orderBased: true, ...options });
  }
}

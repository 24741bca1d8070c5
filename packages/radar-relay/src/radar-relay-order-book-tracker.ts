import { OrderBookTracker, rangeSequenceRule } from '@hb/core/connector';
import type { RadarRelayOrderBookDataSource } from './radar-relay-order-book-data-source.js';

/** Core's tracker with RadarRelay's sequence rule (check it against the exchange's notes). */
export class RadarRelayOrderBookTracker extends OrderBookTracker {
  constructor(dataSource: RadarRelayOrderBookDataSource, tradingPairs: readonly string[]) {
    super({ dataSource, tradingPairs, sequenceRule: rangeSequenceRule });
  }
}

import { OrderBookTracker, previousIdSequenceRule, type OrderBookTrackerOptions } from '@hb/core/connector';
import { HUOBI_WS_LIMITS } from './huobi-constants.js';
import type { HuobiOrderBookDataSource } from './huobi-order-book-data-source.js';

/** A {@link HuobiOrderBookTracker}'s own options: core's, less what Huobi fixes. */
export type HuobiOrderBookTrackerOptions = Partial<
  Omit<OrderBookTrackerOptions, 'dataSource' | 'tradingPairs' | 'sequenceRule'>
>;

/**
 * Core's L2 tracker with Huobi's sequence rule: each MBP increment names the
 * `seqNum` of the one before it (`prevSeqNum`), and numbers are not consecutive.
 * A refresh after a break is requested after 200 ms by default: soon, yet within
 * the exchange's one `req` per 100 ms. A book whose increments stop while the
 * socket still answers pings is checked with a `req` refresh (core's silence
 * check, `silenceTimeoutMs`): a refresh at a later `seqNum` makes it `stale`.
 */
export class HuobiOrderBookTracker extends OrderBookTracker {
  constructor(
    dataSource: HuobiOrderBookDataSource,
    tradingPairs: readonly string[],
    options: HuobiOrderBookTrackerOptions = {},
  ) {
    super({
      ...options,
      resyncDelayMs: options.resyncDelayMs ?? HUOBI_WS_LIMITS.reqIntervalMs * 2,
      dataSource,
      tradingPairs,
      sequenceRule: previousIdSequenceRule,
    });
  }
}

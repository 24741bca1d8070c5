import { OrderBookTracker, previousIdSequenceRule } from '@hb/core/connector';
import { HUOBI_WS_LIMITS } from './huobi-constants.js';
import type { HuobiOrderBookDataSource } from './huobi-order-book-data-source.js';

/**
 * Core's L2 tracker with Huobi's sequence rule: each MBP increment names the
 * `seqNum` of the one before it (`prevSeqNum`), and numbers are not consecutive.
 * A refresh after a break is requested after 200 ms: soon, yet within the
 * exchange's one `req` per 100 ms.
 */
export class HuobiOrderBookTracker extends OrderBookTracker {
  constructor(dataSource: HuobiOrderBookDataSource, tradingPairs: readonly string[]) {
    super({
      dataSource,
      tradingPairs,
      sequenceRule: previousIdSequenceRule,
      resyncDelayMs: HUOBI_WS_LIMITS.reqIntervalMs * 2,
    });
  }
}

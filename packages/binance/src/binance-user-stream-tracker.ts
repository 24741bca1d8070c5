import { UserStreamTracker } from '@hb/core/connector';
import type { BinanceUserDataFrame, BinanceUserStreamDataSource } from './binance-user-stream-data-source.js';

/**
 * Core's user-stream tracker over Binance's WebSocket API subscription. A
 * healthy account can be quiet for hours, so silence alone is not a fault here:
 * the socket's own ping/pong proves it alive, and the watchdog only catches a
 * stream that stopped without the socket noticing.
 */
export class BinanceUserStreamTracker extends UserStreamTracker<BinanceUserDataFrame> {
  constructor(dataSource: BinanceUserStreamDataSource, silenceTimeoutMs = 0) {
    super({ dataSource, silenceTimeoutMs });
  }
}

import { UserStreamTracker } from '@hb/core/connector';
import type { CoinbaseProUserStreamDataSource } from './coinbase-pro-user-stream-data-source.js';

/**
 * Core's user-stream tracker over the authenticated `user` channel. The socket
 * also carries heartbeats, so a dead one is noticed by the connection itself; a
 * quiet account is not a fault, and the silence watchdog stays off.
 */
export class CoinbaseProUserStreamTracker extends UserStreamTracker<unknown> {
  constructor(dataSource: CoinbaseProUserStreamDataSource) {
    super({ dataSource, silenceTimeoutMs: 0 });
  }
}

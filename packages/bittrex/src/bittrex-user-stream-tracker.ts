import { UserStreamTracker } from '@hb/core/connector';
import type { BittrexUserEvent, BittrexUserStreamDataSource } from './bittrex-user-stream-data-source.js';

/**
 * Core's user-stream tracker over Bittrex's authenticated SignalR socket. The
 * `heartbeat` channel beats every 5 s, so a silent stream is a dead one: the
 * watchdog (default 30 s) catches a socket that stopped without noticing.
 */
export class BittrexUserStreamTracker extends UserStreamTracker<BittrexUserEvent> {
  constructor(dataSource: BittrexUserStreamDataSource, silenceTimeoutMs = 30_000) {
    super({ dataSource, silenceTimeoutMs });
  }
}

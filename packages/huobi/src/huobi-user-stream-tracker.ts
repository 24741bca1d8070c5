import { UserStreamTracker } from '@hb/core/connector';
import type { HuobiUserStreamDataSource } from './huobi-user-stream-data-source.js';

/**
 * Core's user-stream tracker over the v2 account stream. The server pings every
 * 20 s and the connection drops a silent socket itself, so a quiet account is
 * not a fault and the silence watchdog stays off.
 */
export class HuobiUserStreamTracker extends UserStreamTracker<unknown> {
  constructor(dataSource: HuobiUserStreamDataSource) {
    super({ dataSource, silenceTimeoutMs: 0 });
  }
}

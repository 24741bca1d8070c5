// RadarRelay endpoints, paths and limits, as documented in
// shared/exchanges/radar-relay.md. Everything a request builder or rate limiter needs to
// know about the venue lives here, so a documentation change is a one-file change.
import type { RateLimitRule } from '@hb/core/connector';

/** The exchange name carried by every HbError this package raises. */
export const RADAR_RELAY_EXCHANGE = 'radar-relay';

/** Base URLs of one RadarRelay environment. */
export interface RadarRelayUrls {
  /** REST base (paths are appended as-is). */
  readonly rest: string;
  /** WebSocket base. */
  readonly ws: string;
}

/** Production endpoints (fill in from the exchange's documentation). */
export const RADAR_RELAY_URLS: RadarRelayUrls = {
  rest: 'https://api.radar-relay.invalid',
  ws: 'wss://ws.radar-relay.invalid',
};

/** REST paths we call. */
export const RADAR_RELAY_PATHS = {
  time: '/time',
  order: '/order',
} as const;

/** The exchange's published REST limits (fill in). */
export const RADAR_RELAY_RATE_LIMITS: readonly RateLimitRule[] = [
  { id: 'REQUESTS', limit: 10, intervalMs: 1_000, kind: 'sliding_window' },
];

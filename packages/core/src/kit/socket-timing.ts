// How a connector's sockets keep alive and reconnect. The market owns the
// user's choice (liveness options, reconnect bounds) and hands it to every
// socket it opens; each socket fills the gaps with its exchange's defaults.
import type { WsHeartbeatOptions, WsReconnectOptions } from '../net/ws-connection.js';
import type { ReconnectBounds } from './endpoints.js';

/** A socket's keep-alive and reconnect timing, as a market passes it down. */
export interface SocketTiming extends ReconnectBounds {
  /** WebSocket protocol pings this often, ms; 0 = none. */
  readonly pingIntervalMs?: number;
  /** No frame (or pong) for this long: the socket is dead and reopened, ms. */
  readonly deadAfterMs?: number;
}

/** The exchange's own keep-alive numbers for one socket. */
export interface SocketTimingDefaults {
  /** Protocol ping interval, ms; 0 = none. */
  readonly pingIntervalMs: number;
  /** Dead-after, ms. */
  readonly deadAfterMs: number;
}

/** Reconnect backoff of every connector socket unless the user says otherwise, ms. */
export const DEFAULT_RECONNECT_DELAY_MS = { min: 250, max: 30_000 } as const;

/**
 * The `heartbeat` and `reconnect` options of a `WsConnection` (or a
 * `SubscriptionSocket`): the given timing, else the exchange's defaults.
 */
export function wsTiming(
  timing: SocketTiming,
  defaults: SocketTimingDefaults,
): { readonly heartbeat: WsHeartbeatOptions; readonly reconnect: WsReconnectOptions } {
  const pingMs = timing.pingIntervalMs ?? defaults.pingIntervalMs;
  return {
    heartbeat: {
      deadAfterMs: timing.deadAfterMs ?? defaults.deadAfterMs,
      ...(pingMs > 0 ? { protocolPingIntervalMs: pingMs } : {}),
    },
    reconnect: {
      minDelayMs: timing.reconnectMinDelayMs ?? DEFAULT_RECONNECT_DELAY_MS.min,
      maxDelayMs: timing.reconnectMaxDelayMs ?? DEFAULT_RECONNECT_DELAY_MS.max,
    },
  };
}

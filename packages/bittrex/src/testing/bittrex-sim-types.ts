// Options, markets and the demo account of the Bittrex simulator.
import type { SimAccountInput, SimulatorCommonOptions } from '@hb/testing';

/** One market of the simulator, in Bittrex's terms (`/v3/markets`). */
export interface BittrexSimMarketInput {
  /** `BASE-QUOTE`. */
  readonly symbol: string;
  /** Max decimals of a limit price (tick = 10^-precision). */
  readonly precision: number;
  /** Minimum base quantity. */
  readonly minTradeSize: string;
  /** Where synthetic traders quote around. */
  readonly midPrice: string;
  /** The synthetic traders' amount unit. */
  readonly activityStepSize: string;
  /** Default ONLINE. */
  readonly status?: 'ONLINE' | 'OFFLINE';
}

/** The simulator's default markets. */
export const DEFAULT_BITTREX_SIM_MARKETS: readonly BittrexSimMarketInput[] = [
  { symbol: 'BTC-USDT', precision: 3, minTradeSize: '0.0001', midPrice: '37000', activityStepSize: '0.001' },
  { symbol: 'ETH-USDT', precision: 2, minTradeSize: '0.001', midPrice: '2000', activityStepSize: '0.01' },
  { symbol: 'ETH-BTC', precision: 6, minTradeSize: '0.001', midPrice: '0.055', activityStepSize: '0.01' },
];

/** An API account (key and secret as Bittrex issues them: 32 hex characters each). */
export type BittrexSimAccountInput = SimAccountInput;

/** The demo account of `hb demo` / `--sandbox`. */
export const DEMO_ACCOUNT: Required<Omit<BittrexSimAccountInput, 'fees'>> = {
  apiKey: '4894d2c0a1b34e07827d05f1a9c3e2b7',
  apiSecret: 'd3c1a9e04b5f4b3f9e2a7c6d8b1f0e25',
  balances: { BTC: '1', ETH: '10', USDT: '100000' },
};

/** Options of {@link BittrexSimulator.start}. */
export interface BittrexSimulatorOptions extends SimulatorCommonOptions<BittrexSimAccountInput> {
  readonly markets?: readonly BittrexSimMarketInput[];
  /**
   * REST calls allowed per key (per client without a key) per minute; the
   * window resets at the start of each minute and excess calls get 429
   * THROTTLED. Default 60, the documented safe rate; tests raise it.
   */
  readonly requestsPerMinute?: number;
  /** How long an `Authenticate` lasts. Default 10 minutes. */
  readonly authTtlMs?: number;
  /** How long before expiry `authenticationExpiring` is pushed. Default 1 minute. */
  readonly authWarningMs?: number;
  /** `heartbeat` channel period. Default 5 s. */
  readonly heartbeatIntervalMs?: number;
  /** SignalR keep-alive `{}` period. Default 10 s (half the 20 s KeepAliveTimeout). */
  readonly keepAliveIntervalMs?: number;
  /** Allowed distance of `Api-Timestamp` from the server clock. Default 60 s (unconfirmed on Bittrex). */
  readonly timestampToleranceMs?: number;
}

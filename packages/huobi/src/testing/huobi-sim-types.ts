// Value types of the Huobi simulator: its symbols (reference data), accounts,
// start options and the demo account the CLI's sandbox funds.
import type BigNumber from 'bignumber.js';
import type { SimAccountInput, SimulatorCommonOptions } from '@hb/testing';

/** One listed symbol, as `/v1/common/symbols` describes it. */
export interface HuobiSimSymbol {
  /** `btcusdt`. */
  readonly symbol: string;
  /** `btc`. */
  readonly base: string;
  /** `usdt`. */
  readonly quote: string;
  readonly pricePrecision: number;
  readonly amountPrecision: number;
  readonly valuePrecision: number;
  /** Limit-order minimum and maximum base amounts. */
  readonly minOrderAmt: BigNumber.Value;
  readonly maxOrderAmt: BigNumber.Value;
  /** Minimum order value in quote (limit and buy-market). */
  readonly minOrderValue: BigNumber.Value;
  /** Sell-market minimum base amount. */
  readonly sellMarketMinOrderAmt: BigNumber.Value;
  /** Buy-market maximum quote value. */
  readonly buyMarketMaxOrderValue: BigNumber.Value;
  /** `online`, `offline`, `suspend` or `pre-online`. */
  readonly state: string;
  /** Where synthetic traders quote. */
  readonly midPrice: BigNumber.Value;
}

/** The simulator's default listing: three online symbols and one suspended. */
export const DEFAULT_HUOBI_SIM_SYMBOLS: readonly HuobiSimSymbol[] = [
  {
    symbol: 'btcusdt',
    base: 'btc',
    quote: 'usdt',
    pricePrecision: 2,
    amountPrecision: 6,
    valuePrecision: 8,
    minOrderAmt: '0.0001',
    maxOrderAmt: '1000',
    minOrderValue: '5',
    sellMarketMinOrderAmt: '0.0001',
    buyMarketMaxOrderValue: '1000000',
    state: 'online',
    midPrice: '30000',
  },
  {
    symbol: 'ethusdt',
    base: 'eth',
    quote: 'usdt',
    pricePrecision: 2,
    amountPrecision: 4,
    valuePrecision: 8,
    minOrderAmt: '0.001',
    maxOrderAmt: '10000',
    minOrderValue: '5',
    sellMarketMinOrderAmt: '0.001',
    buyMarketMaxOrderValue: '1000000',
    state: 'online',
    midPrice: '2000',
  },
  {
    symbol: 'ethbtc',
    base: 'eth',
    quote: 'btc',
    pricePrecision: 6,
    amountPrecision: 4,
    valuePrecision: 8,
    minOrderAmt: '0.001',
    maxOrderAmt: '10000',
    minOrderValue: '0.0001',
    sellMarketMinOrderAmt: '0.001',
    buyMarketMaxOrderValue: '100',
    state: 'online',
    midPrice: '0.066',
  },
  {
    symbol: 'xrpusdt',
    base: 'xrp',
    quote: 'usdt',
    pricePrecision: 5,
    amountPrecision: 2,
    valuePrecision: 8,
    minOrderAmt: '1',
    maxOrderAmt: '5000000',
    minOrderValue: '5',
    sellMarketMinOrderAmt: '1',
    buyMarketMaxOrderValue: '1000000',
    state: 'suspend',
    midPrice: '0.5',
  },
];

/** An API key of the simulator. */
export type HuobiSimAccountInput = SimAccountInput;

/** Start options of {@link HuobiSimulator}. */
export interface HuobiSimulatorOptions extends SimulatorCommonOptions<HuobiSimAccountInput> {
  /** The listing; default {@link DEFAULT_HUOBI_SIM_SYMBOLS}. */
  readonly symbols?: readonly HuobiSimSymbol[];
  /** How often the market sockets ping, ms (the exchange: about 5 s). */
  readonly pingIntervalMs?: number;
  /** How often the account socket pings, ms (the exchange: 20 s). */
  readonly accountPingIntervalMs?: number;
  /** Unanswered pings after which a socket is closed (the exchange: 2). */
  readonly maxMissedPings?: number;
  /** Signature timestamp tolerance, ms (the exchange: 5 minutes). */
  readonly timestampToleranceMs?: number;
  /** Per-endpoint REST limits over 2 s windows (default the documented ones). */
  readonly restLimits?: Partial<Record<HuobiSimLimitGroup, number>>;
}

/** Endpoint groups of the simulator's REST limits (per key, 2 s windows). */
export type HuobiSimLimitGroup =
  'place' | 'cancel' | 'orderQuery' | 'openOrders' | 'account' | 'matchResults';

/** The documented limits per 2 s (huobi.md §7). */
export const DEFAULT_HUOBI_SIM_LIMITS: Readonly<Record<HuobiSimLimitGroup, number>> = {
  place: 100,
  cancel: 100,
  orderQuery: 50,
  openOrders: 50,
  account: 100,
  matchResults: 50,
};

/** The demo key `hb demo huobi` and the sandbox use. */
export const DEMO_ACCOUNT = {
  apiKey: 'hb-demo-huobi-access-key',
  apiSecret: 'hb-demo-huobi-secret-key',
  balances: { BTC: '10', ETH: '100', USDT: '1000000', XRP: '10000' },
} as const satisfies HuobiSimAccountInput;

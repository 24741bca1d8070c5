// Configuration and public value types of the Coinbase Exchange simulator
// (shared/exchanges/coinbase-pro.md). Decimals are strings, as on the wire.

import type { SimAccountInput, SimulatorCommonOptions } from '@hb/testing';

/** One product as `GET /products` lists it (plus where the activity generator quotes). */
export interface CoinbaseSimProduct {
  /** `BTC-USD`: the product id is also the Hummingbot trading pair. */
  readonly id: string;
  readonly baseCurrency: string;
  readonly quoteCurrency: string;
  /** Tick size: every price must be a multiple of it. */
  readonly quoteIncrement: string;
  /** Every size must be a multiple of it. */
  readonly baseIncrement: string;
  /** Minimum notional in quote (market funds, and limit price x size since 2022-06-30). */
  readonly minMarketFunds: string;
  /** Legacy minimum size; listed and enforced only when set. */
  readonly baseMinSize: string | undefined;
  /** `online` is tradable; anything else refuses new orders. */
  readonly status: string;
  readonly postOnly: boolean;
  readonly limitOnly: boolean;
  readonly cancelOnly: boolean;
  readonly tradingDisabled: boolean;
  /** Mid price of the synthetic activity. */
  readonly midPrice: string;
}

/** A product in the options: its id plus whatever differs from the defaults. */
export type CoinbaseSimProductInput = Partial<CoinbaseSimProduct> & { readonly id: string };

/** An API key: what `createAccount` takes (plus Coinbase's passphrase). */
export interface CoinbaseSimAccountInput extends SimAccountInput {
  /** The base64 secret Coinbase shows at key creation (the HMAC key is its decoded bytes). */
  readonly apiSecret: string;
  readonly passphrase: string;
}

/** A registered API key. The ledger account name is the API key. */
export interface CoinbaseSimAccount {
  readonly apiKey: string;
  /** 24 hex characters, as Coinbase's `user_id`. */
  readonly userId: string;
  /** UUID of the key's profile. */
  readonly profileId: string;
}

/** Rate limits as token buckets (rate per second, burst = capacity). */
export interface CoinbaseSimLimits {
  /** Public REST per IP; default 10/s. */
  readonly publicRate: number;
  /** Default 15. */
  readonly publicBurst: number;
  /** Private REST per profile; default 15/s. */
  readonly privateRate: number;
  /** Default 30. */
  readonly privateBurst: number;
  /** `GET /fills` per profile; default 10/s. */
  readonly fillsRate: number;
  /** Default 20. */
  readonly fillsBurst: number;
  /** Open orders per product per profile; default 500. */
  readonly maxOpenOrdersPerProduct: number;
}

/** Coinbase Exchange's documented limits (coinbase-pro.md §9). */
export const DEFAULT_COINBASE_SIM_LIMITS: CoinbaseSimLimits = {
  publicRate: 10,
  publicBurst: 15,
  privateRate: 15,
  privateBurst: 30,
  fillsRate: 10,
  fillsBurst: 20,
  maxOpenOrdersPerProduct: 500,
};

/**
 * What `POST /orders` answers for an accepted order.
 * - `pending`: status `pending` with nothing filled yet, as the exchange answers
 *   before its matching engine ran (fills arrive on the feed and REST).
 * - `actual`: the order as it stands after matching (status `open` or `done`).
 */
export type OrderResponseMode = 'pending' | 'actual';

/**
 * Options of `CoinbaseProSimulator.start`. Default fees are 0.004 / 0.006
 * (Coinbase's entry tier); the seed is that of generated ids (order ids, user and
 * profile ids).
 */
export interface CoinbaseProSimulatorOptions extends SimulatorCommonOptions<CoinbaseSimAccountInput> {
  /** Products; default BTC-USD, ETH-USD, ETH-BTC. */
  readonly products?: readonly CoinbaseSimProductInput[];
  /** Rate limits (defaults: Coinbase's). */
  readonly limits?: Partial<CoinbaseSimLimits>;
  /** Heartbeat channel interval; default 1000 ms. */
  readonly heartbeatIntervalMs?: number;
  /** A feed connection with no subscription after this long is closed; default 5000 ms. */
  readonly subscribeTimeoutMs?: number;
  /** How far `CB-ACCESS-TIMESTAMP` may be from server time; default 30 s. */
  readonly timestampToleranceSec?: number;
  /** Default `pending`. */
  readonly orderResponse?: OrderResponseMode;
  /**
   * Require authentication for `full` and `level2` as the 2025 docs do: default
   * true, so an unsigned subscribe is refused with the exchange's error frame
   * (`{"type":"error","message":"Failed to subscribe","reason":"full channel requires
   * authentication"}`). False serves them publicly, as Coinbase Pro once did
   * (Hummingbot used `full` so). `user`, `level3` and `balance` always need it.
   */
  readonly authenticatedBookChannels?: boolean;
}

/** The demo key's credentials and balances (for `hb demo` and `--sandbox`). */
export const DEMO_ACCOUNT: Required<Omit<CoinbaseSimAccountInput, 'fees'>> = {
  apiKey: 'hb-demo-api-key',
  // 64 bytes, base64: Coinbase secrets are base64 of 64 random bytes.
  apiSecret: Buffer.from('hb-demo-api-secret-for-the-coinbase-exchange-simulator-only!!!!!').toString(
    'base64',
  ),
  passphrase: 'hb-demo-passphrase',
  balances: { BTC: '1', ETH: '10', USD: '100000' },
};

/** The simulator's default products. */
export const DEFAULT_COINBASE_SIM_PRODUCTS: readonly CoinbaseSimProductInput[] = [
  {
    id: 'BTC-USD',
    quoteIncrement: '0.01',
    baseIncrement: '0.00000001',
    minMarketFunds: '1',
    midPrice: '30000',
  },
  {
    id: 'ETH-USD',
    quoteIncrement: '0.01',
    baseIncrement: '0.00000001',
    minMarketFunds: '1',
    midPrice: '2000',
  },
  {
    id: 'ETH-BTC',
    quoteIncrement: '0.00001',
    baseIncrement: '0.00000001',
    minMarketFunds: '0.0001',
    midPrice: '0.06',
  },
];

/** Fills in a product's defaults. */
export function resolveProduct(input: CoinbaseSimProductInput): CoinbaseSimProduct {
  const [base, quote] = input.id.split('-');
  if (
    base === undefined ||
    quote === undefined ||
    base === '' ||
    quote === '' ||
    input.id !== input.id.toUpperCase()
  ) {
    throw new Error(`CoinbaseProSimulator: product id must be BASE-QUOTE in upper case, got ${input.id}`);
  }
  return {
    id: input.id,
    baseCurrency: input.baseCurrency ?? base,
    quoteCurrency: input.quoteCurrency ?? quote,
    quoteIncrement: input.quoteIncrement ?? '0.01',
    baseIncrement: input.baseIncrement ?? '0.00000001',
    minMarketFunds: input.minMarketFunds ?? '1',
    baseMinSize: input.baseMinSize,
    status: input.status ?? 'online',
    postOnly: input.postOnly ?? false,
    limitOnly: input.limitOnly ?? false,
    cancelOnly: input.cancelOnly ?? false,
    tradingDisabled: input.tradingDisabled ?? false,
    midPrice: input.midPrice ?? '100',
  };
}

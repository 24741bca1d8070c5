// The Radar Relay simulator's wire shapes (shared/exchanges/radar-relay.md §3-§7)
// and its options. Amounts in these JSON shapes are what Radar sends: decimal
// strings in human units for prices and remaining amounts, base-10 integer strings
// (base units) inside `signedOrder`.

import type { SraOrderJson } from '@hb/zero-ex';

/** A token of GET /tokens. */
export interface RadarSimTokenJson {
  readonly address: string;
  readonly symbol: string;
  readonly name: string;
  readonly decimals: number;
  readonly zeroex_official: number;
  readonly active: number;
  readonly createdDate: string;
  readonly quote: number;
}

/** The `base` part of a market (GET /markets?include=base). */
export interface RadarSimMarketBaseJson {
  readonly id: string;
  readonly displayName: string;
  readonly baseTokenAddress: string;
  readonly quoteTokenAddress: string;
  readonly baseTokenDecimals: number;
  readonly quoteTokenDecimals: number;
  readonly quoteIncrement: number;
  readonly minOrderSize: string;
  readonly maxOrderSize: string;
  readonly score: number;
  readonly active: number;
}

/**
 * A 0x v3 signed order as JSON (SRA v3: amounts as base-10 strings, lower-case
 * addresses): zero-ex's SRA shape with the v3 fields and the signature required.
 * (A type only: the simulator validates orders with the deployed contract, never
 * with @hb/zero-ex's hashing.)
 */
export type RadarSimSignedOrderJson = SraOrderJson & {
  readonly chainId: number;
  readonly makerFeeAssetData: string;
  readonly takerFeeAssetData: string;
  readonly signature: string;
};

/** Radar's order side on the book: BID buys base, ASK sells base. */
export type RadarSimOrderType = 'BID' | 'ASK';

/** A user-facing side in requests and fills. */
export type RadarSimUserOrderType = 'BUY' | 'SELL';

/** Radar's order states. */
export type RadarSimOrderState = 'OPEN' | 'FILLED' | 'CANCELLED' | 'EXPIRED' | 'UNFUNDED';

/** A RadarSignedOrder: book entries, /orders/{hash}, /accounts/{address}/orders, WS events. */
export interface RadarSimOrderJson {
  readonly orderHash: string;
  readonly type: RadarSimOrderType;
  readonly state: RadarSimOrderState;
  readonly baseTokenAddress: string;
  readonly quoteTokenAddress: string;
  readonly remainingBaseTokenAmount: string;
  readonly remainingQuoteTokenAmount: string;
  readonly price: string;
  readonly createdDate: string;
  readonly signedOrder: RadarSimSignedOrderJson;
}

/** A fill as Radar reports it (FILL event body without `order`, and GET .../fills entries). */
export interface RadarSimFillJson {
  readonly baseTokenAddress: string;
  readonly quoteTokenAddress: string;
  readonly transactionHash: string;
  readonly blockNumber: number;
  /** The taker's side: SELL when a bid was hit, BUY when an ask was lifted. */
  readonly type: RadarSimUserOrderType;
  readonly makerAddress: string;
  readonly takerAddress: string;
  readonly feeRecipientAddress: string;
  readonly makerFeePaid: string;
  readonly takerFeePaid: string;
  readonly makerFeeTokenAddress: string;
  readonly takerFeeTokenAddress: string;
  readonly filledBaseTokenAmount: string;
  readonly filledQuoteTokenAmount: string;
  readonly orderHash: string;
  /** Block time, unix seconds. */
  readonly timestamp: number;
  readonly outlier: boolean;
}

/** A BOOK event on the WebSocket. */
export type RadarSimBookEvent =
  | {
      readonly action: 'NEW';
      readonly event: {
        readonly baseTokenAddress: string;
        readonly quoteTokenAddress: string;
        readonly order: RadarSimOrderJson;
      };
    }
  | {
      readonly action: 'FILL';
      readonly event: RadarSimFillJson & { readonly order: RadarSimOrderJson };
    }
  | {
      readonly action: 'CANCEL';
      readonly event: {
        readonly baseTokenAddress: string;
        readonly quoteTokenAddress: string;
        readonly transactionHash: string;
        readonly orderType: RadarSimOrderType;
        readonly orderHash: string;
      };
    }
  | {
      readonly action: 'REMOVE';
      readonly event: {
        readonly baseTokenAddress: string;
        readonly quoteTokenAddress: string;
        readonly reason: string;
        readonly orderType: RadarSimOrderType;
        readonly orderHash: string;
      };
    };

/** One field's complaint in a validation error (SRA v3 field codes, zero-ex.md §10). */
export interface RadarSimFieldError {
  readonly field: string;
  readonly code: number;
  readonly reason: string;
}

/**
 * A refusal body. Radar's own 400 body is not documented beyond "400 on invalid
 * input"; the simulator answers in the Standard Relayer API v3 shape (Radar ran
 * an SRA endpoint next to its own API): `{ code, reason, validationErrors? }`.
 */
export interface RadarSimErrorBody {
  readonly code: number;
  readonly reason: string;
  readonly validationErrors?: readonly RadarSimFieldError[];
}

/** SRA v3 general error codes. */
export const SRA_ERROR = {
  validationFailed: 100,
  malformedJson: 101,
  submissionDisabled: 102,
  throttled: 103,
} as const;

/** SRA v3 field validation codes. */
export const SRA_FIELD_ERROR = {
  requiredField: 1000,
  incorrectFormat: 1001,
  invalidAddress: 1002,
  addressNotSupported: 1003,
  valueOutOfRange: 1004,
  invalidSignatureOrHash: 1005,
  unsupportedOption: 1006,
} as const;

/**
 * The exact `reason` strings of the simulator's field errors, so a connector can
 * map them to its typed errors (unfunded, allowance missing, expired, ...). The
 * field and code say where; the reason says what.
 */
export const RADAR_SIM_REASONS = {
  required: 'Required field',
  format: 'Incorrect format',
  invalidAddress: 'Invalid address',
  exchangeNotSupported: 'Exchange address not supported',
  chainNotSupported: 'Chain id not supported',
  unknownMarket: 'Asset pair not listed',
  assetData: 'Asset data not supported (ERC-20 only, 36 bytes)',
  nonZero: 'Must be greater than zero',
  belowMinimum: 'Order size below the market minimum',
  aboveMaximum: 'Order size above the market maximum',
  takerNotOpen: 'Orders must be open to any taker (takerAddress 0x0)',
  senderNotOpen: 'senderAddress must be 0x0',
  feeRecipient: 'Fee recipient not supported',
  fee: 'Fee not supported',
  feeAssetData: 'Fee asset data not supported',
  expired: 'Order expired',
  expiresTooSoon: 'Order expires too soon',
  filled: 'Order already filled',
  cancelled: 'Order cancelled',
  invalidAmount: 'Invalid asset amount',
  hashMismatch: 'Order hash does not match the order',
  invalidSignature: 'Invalid signature',
  signatureType: 'Signature type not supported (EIP712 0x02 or EthSign 0x03)',
  insufficientBalance: 'Insufficient maker balance',
  insufficientAllowance: 'Insufficient maker allowance',
  insufficientFeeBalance: 'Insufficient maker fee balance',
  insufficientFeeAllowance: 'Insufficient maker fee allowance',
} as const;

/** One listed market of the simulator, in human units. */
export interface RadarSimMarketSpec {
  /** `BASE-QUOTE`, token symbols. */
  readonly id: string;
  /** Minimum order size, base units of the base token in human units (`'0.01'`). */
  readonly minOrderSize: string;
  /** Maximum order size, human units. Default `'1000000000'`. */
  readonly maxOrderSize?: string;
  /** Maximum decimal places of a price. Default 8. */
  readonly quoteIncrement?: number;
  /** Where the simulated traders quote around, quote per base. */
  readonly midPrice: string;
  /** The simulated traders' order unit in base (human units); orders are 1..5 of it. */
  readonly activityStepSize: string;
}

/** A token the simulator deploys. */
export interface RadarSimTokenSpec {
  readonly symbol: string;
  readonly name: string;
  readonly decimals: number;
  /** WETH9 (deposit/withdraw) rather than a plain ERC-20. */
  readonly weth?: boolean;
  /** A quote token of Radar (WETH, DAI). */
  readonly quote?: boolean;
}

/** The default tokens: WETH9, a DAI-like token and a ZRX-like token (all 18 decimals, as on mainnet). */
export const DEFAULT_RADAR_SIM_TOKENS: readonly RadarSimTokenSpec[] = [
  { symbol: 'WETH', name: 'Wrapped Ether', decimals: 18, weth: true, quote: true },
  { symbol: 'DAI', name: 'Dai Stablecoin', decimals: 18, quote: true },
  { symbol: 'ZRX', name: '0x Protocol Token', decimals: 18 },
];

/** The default markets: WETH-DAI (the one the CLI examples use), ZRX-WETH and ZRX-DAI. */
export const DEFAULT_RADAR_SIM_MARKETS: readonly RadarSimMarketSpec[] = [
  { id: 'WETH-DAI', minOrderSize: '0.01', quoteIncrement: 2, midPrice: '200', activityStepSize: '0.1' },
  { id: 'ZRX-WETH', minOrderSize: '1', quoteIncrement: 8, midPrice: '0.001', activityStepSize: '20' },
  { id: 'ZRX-DAI', minOrderSize: '1', quoteIncrement: 5, midPrice: '0.2', activityStepSize: '20' },
];

/** Request limits per client IP (shared/exchanges/radar-relay.md §2). */
export interface RadarSimRateLimits {
  /** Feed (read) API requests per minute. Default 120. */
  readonly feedPerMinute: number;
  /** Trade API requests (POSTs) per second. Default 2. */
  readonly tradePerSecond: number;
}

/** Radar's documented limits. */
export const RADAR_RATE_LIMITS: RadarSimRateLimits = { feedPerMinute: 120, tradePerSecond: 2 };

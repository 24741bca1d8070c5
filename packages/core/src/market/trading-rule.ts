import type BigNumber from 'bignumber.js';
import type { OrderType } from '../orders/order-types.js';

/**
 * What an exchange allows for one pair. `buy`/`sell` check an order against it
 * before anything is sent; a broken rule sends nothing and ends the order with an
 * `OrderFailure` carrying an `OrderRuleError`.
 */
export interface TradingRule {
  /** `BASE-QUOTE`. */
  readonly tradingPair: string;
  /** Smallest order amount in base (0 = none). */
  readonly minOrderSize: BigNumber;
  /** Largest order amount in base (Infinity = none). */
  readonly maxOrderSize: BigNumber;
  /** Price tick: a valid price is a multiple of it (0 = any). */
  readonly minPriceIncrement: BigNumber;
  /** Base amount step: a valid amount is a multiple of it (0 = any). */
  readonly minBaseAmountIncrement: BigNumber;
  /** Quote amount step for quote-denominated market orders (0 = any). */
  readonly minQuoteAmountIncrement: BigNumber;
  /** Smallest price (0 = none). */
  readonly minPrice: BigNumber;
  /** Largest price (Infinity = none). */
  readonly maxPrice: BigNumber;
  /** Smallest price x amount (0 = none). */
  readonly minNotional: BigNumber;
  /** Whether min notional applies to market orders too. */
  readonly minNotionalAppliesToMarket: boolean;
  /** Order types the pair accepts now (e.g. `limit_only` removes `market`). */
  readonly supportedOrderTypes: ReadonlySet<OrderType>;
  /** False when the pair accepts no new orders (halted, cancel-only, disabled). */
  readonly tradingEnabled: boolean;
}

// Our orders as Bittrex wants them (bittrex.md §7): the exact `POST /orders`
// body, which the API client sends.
import type BigNumber from 'bignumber.js';
import type { OrderSide, OrderType } from '@hb/core/connector';
import { BITTREX_TIME_IN_FORCE, type BittrexTimeInForce } from './bittrex-constants.js';
import { formatDecimal, malformed } from './bittrex-utils.js';

/** The `POST /orders` body (`NewOrder`), keys in the documented order. */
export interface BittrexNewOrderBody {
  readonly marketSymbol: string;
  readonly direction: 'BUY' | 'SELL';
  readonly type: 'LIMIT' | 'MARKET';
  readonly quantity: string;
  readonly limit?: string;
  readonly timeInForce: BittrexTimeInForce;
  readonly clientOrderId: string;
}

/** What {@link buildNewOrderBody} needs. */
export interface NewOrderInput {
  readonly tradingPair: string;
  readonly side: OrderSide;
  readonly orderType: OrderType;
  readonly amount: BigNumber;
  /** Required for limit and limit_maker. */
  readonly price?: BigNumber;
  /** Our UUID, Bittrex's idempotency key. */
  readonly clientOrderId: string;
  /** Time in force of a plain limit order: GTC (default), IOC or FOK. */
  readonly limitTimeInForce?: 'GOOD_TIL_CANCELLED' | 'IMMEDIATE_OR_CANCEL' | 'FILL_OR_KILL';
}

/**
 * Our order -> the body. limit -> LIMIT + GTC (or IOC/FOK when asked);
 * limit_maker -> LIMIT + POST_ONLY_GOOD_TIL_CANCELLED; market -> MARKET + IOC
 * (Bittrex refuses GTC market orders with INVALID_MARKET_ORDER).
 */
export function buildNewOrderBody(input: NewOrderInput): BittrexNewOrderBody {
  const direction = input.side === 'buy' ? 'BUY' : 'SELL';
  const quantity = formatDecimal(input.amount);
  if (input.orderType === 'market') {
    return {
      marketSymbol: input.tradingPair,
      direction,
      type: 'MARKET',
      quantity,
      timeInForce: BITTREX_TIME_IN_FORCE.ioc,
      clientOrderId: input.clientOrderId,
    };
  }
  if (input.price === undefined || !input.price.isFinite()) throw malformed('limit order without a price');
  return {
    marketSymbol: input.tradingPair,
    direction,
    type: 'LIMIT',
    quantity,
    limit: formatDecimal(input.price),
    timeInForce:
      input.orderType === 'limit_maker'
        ? BITTREX_TIME_IN_FORCE.postOnlyGtc
        : (input.limitTimeInForce ?? BITTREX_TIME_IN_FORCE.gtc),
    clientOrderId: input.clientOrderId,
  };
}

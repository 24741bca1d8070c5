// The order round trip every live suite makes on a real exchange or testnet:
// a post-only buy far below the market (it rests and cannot fill), created,
// then cancelled. Jest-free: it throws an Error naming what went wrong.
import BigNumber from 'bignumber.js';
import { splitTradingPair, type Market, type MarketEvent } from '@hb/core';
import { waitFor } from './test-helpers.js';

/** Options of {@link liveMakerRoundTrip}. */
export interface LiveRoundTripOptions {
  readonly tradingPair: string;
  /**
   * The buy's price as a fraction of the best bid (0.8: 20 % under). Far enough
   * to never fill, near enough for the exchange's price band.
   */
  readonly priceFactor: number;
  /** How long each event may take to arrive. */
  readonly timeoutMs: number;
  /** Told the client order id as soon as it exists (an `afterAll` can then cancel a leftover). */
  readonly onPlaced?: (clientOrderId: string) => void;
}

/**
 * Places a `limit_maker` buy of twice the minimum notional (at least the
 * minimum size, rounded up to a step) far below the market, waits for
 * `BuyOrderCreated`, cancels it and waits for `OrderCancelled`: exactly one of
 * each, no fill, no failure, and the order no longer active.
 */
export async function liveMakerRoundTrip(
  market: Market,
  events: readonly MarketEvent[],
  options: LiveRoundTripOptions,
): Promise<void> {
  const pair = options.tradingPair;
  const rule = market.tradingRules.get(pair);
  if (rule === undefined) throw new Error(`no trading rule for ${pair}`);
  const bestBid = market.getOrderBook(pair).bestBid;
  const price = market.quantizeOrderPrice(pair, new BigNumber(bestBid).times(options.priceFactor));
  const step = rule.minBaseAmountIncrement;
  const wanted = BigNumber.max(rule.minOrderSize, rule.minNotional.times(2).div(price));
  const amount = wanted.div(step).integerValue(BigNumber.ROUND_CEIL).times(step);
  const quote = splitTradingPair(pair).quote;
  if (market.getAvailableBalance(quote).lt(amount.times(price)))
    throw new Error(`the account has less ${quote} available than ${amount.times(price).toFixed()}`);

  const mine = (type: MarketEvent['type']) => events.filter((e) => e.type === type && e.clientOrderId === id);
  const id = market.buy(pair, amount, 'limit_maker', price);
  options.onPlaced?.(id);
  await waitFor('BuyOrderCreated', () => mine('BuyOrderCreated').length > 0, options.timeoutMs);
  if (mine('OrderFailure').length > 0)
    throw new Error(`${id} failed: ${JSON.stringify(mine('OrderFailure'))}`);
  if (!market.activeOrders.some((o) => o.clientOrderId === id)) throw new Error(`${id} is not active`);

  await market.cancel(pair, id);
  await waitFor('OrderCancelled', () => mine('OrderCancelled').length > 0, options.timeoutMs);
  if (mine('OrderCancelled').length !== 1)
    throw new Error(`${id}: ${mine('OrderCancelled').length} OrderCancelled`);
  if (mine('OrderFilled').length > 0) throw new Error(`${id} filled far below the market`);
  if (market.activeOrders.some((o) => o.clientOrderId === id)) throw new Error(`${id} is still active`);
}

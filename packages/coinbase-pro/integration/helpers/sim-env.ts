// Coinbase set-up of the integration tests: a simulator, markets pointed at it with
// short test intervals, and prices that put our order first in line. The
// exchange-independent helpers are in ./generic.ts.

import BigNumber from 'bignumber.js';
import type { OrderSide } from '@hb/core';
import { EventLog } from '@hb/testing';
import { CoinbaseProMarket, type CoinbaseProMarketOptions } from '../../src/coinbase-pro-market.js';
import {
  COINBASE_PRO_TEST_MARKET_OPTIONS,
  CoinbaseProSimulator,
  restingPriceInside,
  type CoinbaseProSimulatorOptions,
  type CoinbaseSimAccountInput,
} from '../../src/testing/index.js';
import type { Cleanup } from './generic.js';

/** Starts a simulator with the demo account, closed by `cleanup`. */
export async function startSimulator(
  cleanup: Cleanup,
  options: CoinbaseProSimulatorOptions = {},
): Promise<CoinbaseProSimulator> {
  const sim = await CoinbaseProSimulator.start({ demoAccount: true, ...options });
  cleanup.add(() => sim.stop());
  return sim;
}

/** The simulator's demo account (throws when it was not created). */
export function demoAccount(sim: CoinbaseProSimulator): CoinbaseSimAccountInput {
  if (sim.demoAccount === undefined) throw new Error('the simulator was started without the demo account');
  return sim.demoAccount;
}

/** Options of a market on the demo account of `sim`. */
export function marketOptions(
  sim: CoinbaseProSimulator,
  overrides: Partial<CoinbaseProMarketOptions> = {},
): CoinbaseProMarketOptions {
  const account = demoAccount(sim);
  return {
    tradingPairs: ['BTC-USD'],
    apiKey: account.apiKey,
    apiSecret: account.apiSecret,
    passphrase: account.passphrase,
    restUrl: sim.restUrl,
    wsUrl: sim.wsUrl,
    ...COINBASE_PRO_TEST_MARKET_OPTIONS,
    ...overrides,
  };
}

/** A started, ready market with an event log; stopped by `cleanup`. */
export async function startMarket(
  cleanup: Cleanup,
  sim: CoinbaseProSimulator,
  overrides: Partial<CoinbaseProMarketOptions> = {},
): Promise<{ market: CoinbaseProMarket; log: EventLog }> {
  const market = new CoinbaseProMarket(marketOptions(sim, overrides));
  const log = new EventLog(market);
  cleanup.add(() => market.stop());
  cleanup.add(() => log.stop());
  await market.start();
  await market.waitUntilReady(10_000);
  return { market, log };
}

/**
 * A price one tick inside the spread on `side`, so an order there is alone at the
 * best price and a taker at that price hits it first. Throws when the spread is
 * one tick (the tests' books are deep enough that it never is).
 */
export function insideSpread(sim: CoinbaseProSimulator, pair: string, side: OrderSide): BigNumber {
  const product = sim.products.find((p) => p.id === pair);
  if (product === undefined) throw new Error(`no simulated product ${pair}`);
  const engine = sim.engine(pair);
  const bid = engine.bestBid();
  const ask = engine.bestAsk();
  if (bid === undefined || ask === undefined) throw new Error(`${pair} needs both sides of the book`);
  const price = restingPriceInside(
    engine,
    side,
    new BigNumber(product.quoteIncrement),
    new BigNumber(product.midPrice),
  );
  if (!price.gt(bid) || !price.lt(ask)) throw new Error(`${pair} spread is one tick: no price inside it`);
  return price;
}

/**
 * Another trader (`sim-test-maker`) rests a limit order straight on the engine;
 * its feed messages are sent before this resolves.
 */
export async function restingOrderBy(
  sim: CoinbaseProSimulator,
  pair: string,
  side: OrderSide,
  price: BigNumber.Value,
  amount: BigNumber.Value,
): Promise<string> {
  const product = sim.products.find((p) => p.id === pair);
  if (product === undefined) throw new Error(`no simulated product ${pair}`);
  const account = 'sim-test-maker';
  const p = new BigNumber(price);
  const a = new BigNumber(amount);
  // A buy holds its price x size plus the fee it would pay as a taker.
  if (side === 'buy') sim.ledger.deposit(account, product.quoteCurrency, p.times(a).times(2));
  else sim.ledger.deposit(account, product.baseCurrency, a);
  const order = sim.engine(pair).place({ account, side, type: 'limit', price: p, amount: a });
  if (order.status === 'rejected')
    throw new Error(`the resting order was rejected: ${String(order.rejectReason)}`);
  await new Promise((r) => setImmediate(r));
  return order.orderId;
}

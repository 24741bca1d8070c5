// Shared set-up of the integration tests: a simulator, markets pointed at it with
// short test intervals, a way to wait for a condition without asserting on timing,
// and a cleanup list so every socket and server is closed after each test.

import BigNumber from 'bignumber.js';
import type { MarketEvent, OrderSide } from '@hb/core';
import { EventLog } from '@hb/testing';
import { BinanceMarket, type BinanceMarketOptions } from '../../src/binance-market.js';
import {
  BinanceSimulator,
  type BinanceSimActivity,
  type BinanceSimAccountInput,
  type BinanceSimulatorOptions,
} from '../../src/testing/index.js';

/** Market options for tests: short polls, reconnects and timeouts (never asserted on). */
export const FAST_MARKET_OPTIONS = {
  reconnectMinDelayMs: 20,
  reconnectMaxDelayMs: 200,
  fastPollIntervalMs: 200,
  slowPollIntervalMs: 1_000,
  userStreamSilenceMs: 2_000,
  requestTimeoutMs: 2_000,
} as const satisfies Partial<BinanceMarketOptions>;

/** Things to close after a test, closed last-in first-out. */
export class Cleanup {
  private readonly steps: (() => unknown)[] = [];

  /** Registers a closing step. */
  add(step: () => unknown): void {
    this.steps.push(step);
  }

  /** Runs every step (even if one fails) and forgets them. */
  async run(): Promise<void> {
    const steps = this.steps.splice(0).reverse();
    for (const step of steps) {
      try {
        await step();
      } catch {
        // Closing is best effort: one failing step must not leave the others open.
      }
    }
  }
}

/** Starts a simulator with the demo account (immediate depth updates by default), closed by `cleanup`. */
export async function startSimulator(
  cleanup: Cleanup,
  options: BinanceSimulatorOptions = {},
): Promise<BinanceSimulator> {
  const sim = await BinanceSimulator.start({ depthMode: 'immediate', demoAccount: true, ...options });
  cleanup.add(() => sim.stop());
  return sim;
}

/** The simulator's demo account (throws when it was not created). */
export function demoAccount(sim: BinanceSimulator): BinanceSimAccountInput {
  if (sim.demoAccount === undefined) throw new Error('the simulator was started without the demo account');
  return sim.demoAccount;
}

/** Options of a market on the demo account of `sim`. */
export function marketOptions(
  sim: BinanceSimulator,
  overrides: Partial<BinanceMarketOptions> = {},
): BinanceMarketOptions {
  const account = demoAccount(sim);
  return {
    tradingPairs: ['BTC-USDT'],
    apiKey: account.apiKey,
    apiSecret: account.apiSecret,
    restUrl: sim.restUrl,
    wsUrl: sim.wsUrl,
    ...FAST_MARKET_OPTIONS,
    ...overrides,
  };
}

/** A started, ready market with an event log; stopped by `cleanup`. */
export async function startMarket(
  cleanup: Cleanup,
  sim: BinanceSimulator,
  overrides: Partial<BinanceMarketOptions> = {},
): Promise<{ market: BinanceMarket; log: EventLog }> {
  const market = new BinanceMarket(marketOptions(sim, overrides));
  const log = new EventLog(market);
  cleanup.add(() => market.stop());
  cleanup.add(() => log.stop());
  await market.start();
  await market.waitUntilReady(10_000);
  return { market, log };
}

/** Polls `predicate` every 10 ms; throws (naming `what`) when it has not held within `timeoutMs`. */
export async function waitFor(what: string, predicate: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** Resolves after `ms` (used only to let messages arrive, never as an assertion). */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Runs `steps` activity steps, one per turn of the event loop, so each step's book
 * changes leave the simulator as their own depth update (as on the real stream).
 */
export async function stepActivity(activity: BinanceSimActivity, steps: number): Promise<void> {
  for (let i = 0; i < steps; i++) {
    activity.step(1);
    await new Promise((r) => setImmediate(r));
  }
}

/**
 * A price one tick inside the spread on `side`, so an order there is alone at the
 * best price and a taker at that price hits it first.
 */
export function insideSpread(sim: BinanceSimulator, pair: string, side: OrderSide): BigNumber {
  const market = sim.markets.find((m) => m.pair === pair);
  if (market === undefined) throw new Error(`no simulated market ${pair}`);
  const tick = new BigNumber(market.tickSize);
  const engine = sim.engine(pair);
  const bid = engine.bestBid();
  const ask = engine.bestAsk();
  if (bid === undefined || ask === undefined) throw new Error(`${pair} needs both sides of the book`);
  const price = side === 'buy' ? bid.plus(tick) : ask.minus(tick);
  if (!price.gt(bid) || !price.lt(ask)) throw new Error(`${pair} spread is one tick: no price inside it`);
  return price;
}

/** The event types of one order, in emission order. */
export function typesOf(log: EventLog, clientOrderId: string): MarketEvent['type'][] {
  return log.forOrder(clientOrderId).map((e) => e.type);
}

/** Whether the log holds an event of `type` for the order. */
export function has(log: EventLog, clientOrderId: string, type: MarketEvent['type']): boolean {
  return log.forOrder(clientOrderId).some((e) => e.type === type);
}

/**
 * Another trader (`sim-test-maker`) rests a limit order straight on the engine,
 * and the depth update it causes is sent before this resolves.
 */
export async function restingOrderBy(
  sim: BinanceSimulator,
  pair: string,
  side: OrderSide,
  price: BigNumber.Value,
  amount: BigNumber.Value,
): Promise<void> {
  const market = sim.markets.find((m) => m.pair === pair);
  if (market === undefined) throw new Error(`no simulated market ${pair}`);
  const account = 'sim-test-maker';
  const p = new BigNumber(price);
  const a = new BigNumber(amount);
  if (side === 'buy') sim.ledger.deposit(account, market.quoteAsset, p.times(a));
  else sim.ledger.deposit(account, market.baseAsset, a);
  sim.engine(pair).place({ account, side, type: 'limit', price: p, amount: a });
  await new Promise((r) => setImmediate(r));
}

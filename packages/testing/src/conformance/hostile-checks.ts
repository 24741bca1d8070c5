// Hostile-frame checks of the conformance suite (DESIGN.md, "Values checked at
// the wire"): frames whose values no exchange may send (negative, 401-digit, NaN,
// empty or wrong-typed numbers, zero prices, inverted update-id ranges, unknown
// message types) must be refused whole: they never reach the book, never become
// an OrderFilled or a completed order, and the market says so with a notice.
// Each connector's harness builds the frames in its exchange's wire format; the
// checks are the same for every connector.
import BigNumber from 'bignumber.js';
import type { MarketNotice } from '@hb/core';
import { ConformanceFailure } from './conformance-failure.js';
import type { ConformanceEnvironment } from './conformance-types.js';
import { EventLog, validateOrderEvents } from './event-log.js';

/** The hostile values every connector must refuse in market data. */
export const HOSTILE_MARKET_CASES = [
  'negative_amount',
  'negative_price',
  'zero_price',
  'huge_price',
  'huge_amount',
  'nan',
  'empty_string',
  'wrong_type',
  'inverted_range',
  'unknown_message_type',
  'not_json',
] as const;
/** One hostile market-data case. */
export type HostileMarketCase = (typeof HOSTILE_MARKET_CASES)[number];

/** The hostile fills every connector must refuse (`excess`: well-formed, but more than the order). */
export const HOSTILE_FILL_CASES = [
  'negative_amount',
  'huge_amount',
  'negative_price',
  'nan',
  'wrong_type',
  'excess',
] as const;
/** One hostile fill case. */
export type HostileFillCase = (typeof HOSTILE_FILL_CASES)[number];

/**
 * What a harness provides for the hostile checks: frames in its exchange's wire
 * format, sent by the simulator on the live sockets.
 */
export interface HostileFrameFaults {
  /**
   * Sends one market-data frame of the traded pair carrying `kind`, placed where
   * the next real book update would be (in sequence, so only the value check can
   * refuse it).
   */
  sendHostileMarketFrame(kind: HostileMarketCase): void | Promise<void>;
  /**
   * Arms one user-stream fill of our order `clientOrderId` (amount `orderAmount`)
   * carrying `kind`, sent just before the next real user-stream frame.
   */
  armHostileFill(kind: HostileFillCase, clientOrderId: string, orderAmount: BigNumber): void | Promise<void>;
}

/** Levels compared with the simulator's book. */
const DEPTH = 20;

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function bookProblem(env: ConformanceEnvironment): string {
  const book = env.market.getOrderBook(env.tradingPair);
  const truth = env.trueBook(DEPTH);
  const got = [[...book.bidEntries(DEPTH)], [...book.askEntries(DEPTH)]] as const;
  for (const side of got)
    for (const [p, a] of side)
      if (!(p > 0 && p < 1e15 && a > 0 && a < 1e15)) return `the book holds an impossible level [${p}, ${a}]`;
  const want = [truth.bids, truth.asks] as const;
  for (let s = 0; s < 2; s++) {
    const g = got[s]!;
    const w = want[s]!;
    if (g.length !== w.length) return `${g.length} levels on side ${s}, want ${w.length}`;
    for (let i = 0; i < w.length; i++) {
      if (g[i]![0] !== w[i]![0] || Math.abs(g[i]![1] - w[i]![1]) > 1e-9 * Math.max(1, w[i]![1]))
        return `level ${i} of side ${s} is [${g[i]}], want [${w[i]}]`;
    }
  }
  return '';
}

async function waitBook(env: ConformanceEnvironment, when: string): Promise<void> {
  const deadline = Date.now() + (env.waitTimeoutMs ?? 10_000);
  let problem = bookProblem(env);
  while (problem !== '') {
    if (Date.now() > deadline) throw new ConformanceFailure(`${when}: ${problem}`);
    await sleep(20);
    problem = bookProblem(env);
  }
}

/**
 * Every hostile market-data case, one after another: the book never shows an
 * impossible level (checked after every frame), ends equal to the simulator's, and
 * the market reports a `protocol_error` notice for the refused frames.
 */
export async function checkHostileMarketFrames(
  env: ConformanceEnvironment,
  hostile: HostileFrameFaults,
): Promise<void> {
  const notices: MarketNotice[] = [];
  const sub = env.market.notices$.subscribe((n) => notices.push(n));
  try {
    await waitBook(env, 'before the hostile frames');
    for (const kind of HOSTILE_MARKET_CASES) {
      await hostile.sendHostileMarketFrame(kind);
      await env.runActivity(3);
      await sleep(10);
      const book = env.market.getOrderBook(env.tradingPair);
      for (const [p, a] of [...book.bidEntries(DEPTH), ...book.askEntries(DEPTH)]) {
        if (!(p > 0 && p < 1e15 && a > 0 && a < 1e15))
          throw new ConformanceFailure(`after a ${kind} frame the book holds [${p}, ${a}]`);
      }
      if (!(Number.isFinite(book.bestBid) || book.bidCount === 0))
        throw new ConformanceFailure(`after a ${kind} frame bestBid is ${book.bestBid}`);
    }
    await env.runActivity(20);
    await waitBook(env, 'after the hostile frames');
    const reported = notices.filter((n) => n.kind === 'protocol_error').length;
    if (reported === 0) throw new ConformanceFailure('no protocol_error notice for any refused market frame');
  } finally {
    sub.unsubscribe();
  }
}

/**
 * Each hostile fill case on a resting order of ours, sent right before a real
 * fill of the whole order: the events are exactly Created, one OrderFilled (the
 * real one, positive, equal to the ledger) and Completed, whatever came first.
 */
export async function checkHostileFills(
  env: ConformanceEnvironment,
  hostile: HostileFrameFaults,
  amount: BigNumber,
): Promise<void> {
  for (const kind of HOSTILE_FILL_CASES) {
    const log = new EventLog(env.market, env.waitTimeoutMs);
    try {
      const price = env.restingPrice('buy');
      const id = env.market.buy(env.tradingPair, amount, 'limit', price);
      await log.waitFor(`${id} to be created`, (events) =>
        events.some((e) => e.clientOrderId === id && e.type === 'BuyOrderCreated'),
      );
      await hostile.armHostileFill(kind, id, amount);
      await env.takeFromUs('buy', price, amount);
      await log.waitForTerminal(id);
      await sleep(150);
      validateOrderEvents(id, log.events);
      const types = log.forOrder(id).map((e) => e.type);
      if (types.join(',') !== 'BuyOrderCreated,OrderFilled,BuyOrderCompleted')
        throw new ConformanceFailure(`a ${kind} fill changed the events of ${id}: ${types.join(', ')}`);
      const filled = log.filledAmount(id);
      const ledger = env.ledgerFilledAmount(id);
      if (!filled.eq(ledger) || !filled.eq(amount))
        throw new ConformanceFailure(
          `after a ${kind} fill ${id} reports ${filled.toFixed()} filled, the ledger ${ledger.toFixed()}`,
        );
    } finally {
      log.stop();
    }
  }
}

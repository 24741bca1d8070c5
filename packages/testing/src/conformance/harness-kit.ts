// What every simulator-backed conformance harness and integration test does to a
// simulator's book, written once: prices that put our order first in line, activity
// stepped so each action leaves the server on its own, a taker that reaches our
// order, the marker order that makes sequence faults count, and a generic harness
// (`simulatorConformanceHarness`) an exchange fills in with its wire-specific parts.
// No Jest here: harnesses load outside Jest (`hb demo`).

import type { HostileFrameFaults } from './hostile-checks.js';
import BigNumber from 'bignumber.js';
import type { ConnectorCapabilities, Market, OrderSide } from '@hb/core';
import type { EngineOrder } from '../engine/engine-types.js';
import type { MatchingEngine } from '../engine/matching-engine.js';
import type { SimulatorBase } from '../simulator/simulator-base.js';
import type { SimAccountInput, SimActivity, SimActivityOptions } from '../simulator/simulator-types.js';
import {
  WRONG_API_KEY,
  type ConformanceEnvironment,
  type ConformanceFaults,
  type ConformanceHarness,
  type MarketVariant,
} from './conformance-types.js';

/**
 * One tick inside the spread on our side, so our order is alone at the best price
 * and a taker at that price hits it first. With a one-tick spread there is no such
 * price: the best price of our side is returned (our order then queues behind others).
 */
export function restingPriceInside(
  engine: MatchingEngine,
  side: OrderSide,
  tick: BigNumber.Value,
  mid: BigNumber.Value,
): BigNumber {
  const t = new BigNumber(tick);
  const bid = engine.bestBid();
  const ask = engine.bestAsk();
  if (side === 'buy') {
    if (bid === undefined) return ask === undefined ? new BigNumber(mid) : ask.minus(t);
    const inside = bid.plus(t);
    return ask === undefined || inside.lt(ask) ? inside : bid;
  }
  if (ask === undefined) return bid === undefined ? new BigNumber(mid) : bid.plus(t);
  const inside = ask.minus(t);
  return bid === undefined || inside.gt(bid) ? inside : ask;
}

/**
 * A price strictly inside the spread on `side` (see {@link restingPriceInside});
 * throws when a side of the book is empty or the spread is one tick, which a test
 * that needs our order first in line wants to hear about rather than work around.
 */
export function insideSpread(sim: SimulatorBase, pair: string, side: OrderSide): BigNumber {
  const market = sim.marketInfo(pair);
  const bid = market.engine.bestBid();
  const ask = market.engine.bestAsk();
  if (bid === undefined || ask === undefined) throw new Error(`${pair} needs both sides of the book`);
  const price = restingPriceInside(market.engine, side, market.tickSize, market.midPrice);
  if (!price.gt(bid) || !price.lt(ask)) throw new Error(`${pair} spread is one tick: no price inside it`);
  return price;
}

/**
 * Runs `steps` activity steps, one per turn of the event loop, so the frames of one
 * step leave the server before the next step (a simulator batches the changes of one
 * synchronous run into one frame), and a held or skipped frame is followed by later
 * ones, as on a real stream (which is what makes it a gap).
 */
export async function stepActivityPerTurn(activity: Pick<SimActivity, 'step'>, steps: number): Promise<void> {
  for (let i = 0; i < steps; i++) {
    activity.step(1);
    await turn();
  }
}

/**
 * Another trader takes `amount` from our resting order at `price`, together with
 * whatever rests ahead of it (better prices, or the same price placed earlier):
 * with a one-tick spread our order cannot be alone at the best price, and a taker
 * that only took `amount` would fill someone else's order first.
 */
export function takeFromOurOrder(
  sim: SimulatorBase,
  apiKey: string,
  pair: string,
  sideOfOurOrder: OrderSide,
  price: BigNumber.Value,
  amount: BigNumber.Value,
): EngineOrder {
  const p = new BigNumber(price);
  const rows = sim.engine(pair).bookOrders(sideOfOurOrder === 'buy' ? 'bid' : 'ask');
  let ahead = new BigNumber(0);
  for (const o of rows) {
    if (o.account === apiKey && o.price.eq(p)) break;
    const better = sideOfOurOrder === 'buy' ? o.price.gte(p) : o.price.lte(p);
    if (!better) break;
    ahead = ahead.plus(o.remaining);
  }
  return sim.takeFromAccount(apiKey, pair, sideOfOurOrder, p, ahead.plus(amount));
}

/**
 * Another trader (`account`) rests a limit order straight on the engine, funded
 * for it; resolves with its order id once the frames it causes have left the server.
 */
export async function restingOrderBy(
  sim: SimulatorBase,
  pair: string,
  side: OrderSide,
  price: BigNumber.Value,
  amount: BigNumber.Value,
  account = 'sim-test-maker',
): Promise<string> {
  const order = placeFunded(sim, pair, account, side, new BigNumber(price), new BigNumber(amount));
  await turn();
  return order.orderId;
}

/** The account of {@link BookMarker}'s orders. */
export const MARKER_ACCOUNT = 'sim-conformance-marker';

/** Options of {@link BookMarker}. */
export interface BookMarkerOptions {
  /** How many ticks from mid the activity quotes (its `levels`); default 10. */
  readonly levels?: number;
  /** Size of each marker order; default three activity steps of the market. */
  readonly size?: BigNumber.Value;
}

/**
 * Makes the book update a sequence fault hits matter. Synthetic activity trades on
 * a few dozen prices around mid, so a lost or misplaced update is usually undone by
 * a later update of the same level, and a tracker without a gap check would pass by
 * luck. On a real book a lost change stays wrong until that level changes again;
 * the marker recreates that: a bid of its own, several ticks below the activity's
 * range (inside the 20 compared levels), that no later activity touches.
 */
export class BookMarker {
  private readonly size: BigNumber;
  /** Fixed at the first placement, so later ones land on the same level. */
  private price: BigNumber | undefined;

  constructor(
    private readonly sim: SimulatorBase,
    private readonly pair: string,
    private readonly options: BookMarkerOptions = {},
  ) {
    this.size = new BigNumber(options.size ?? new BigNumber(sim.marketInfo(pair).activityStepSize).times(3));
  }

  /** Adds a marker order (the first fixes the level); resolves once its frames have left the server. */
  async place(): Promise<EngineOrder> {
    const order = this.placeNow();
    await turn();
    return order;
  }

  /** Places a marker order and cancels it in the same turn: its add and its removal back to back. */
  async placeAndCancel(): Promise<void> {
    const order = this.placeNow();
    this.sim.engine(this.pair).cancel(order.orderId, MARKER_ACCOUNT);
    await turn();
  }

  private placeNow(): EngineOrder {
    const market = this.sim.marketInfo(this.pair);
    const mid = new BigNumber(market.midPrice);
    const top = BigNumber.min(market.engine.bestBid() ?? mid, mid);
    const price =
      this.price ?? top.minus(new BigNumber(market.tickSize).times((this.options.levels ?? 10) + 6));
    this.price = price;
    return placeFunded(this.sim, this.pair, MARKER_ACCOUNT, 'buy', price, this.size);
  }
}

/** A limit order straight on the engine, funded first; throws when the engine rejects it. */
function placeFunded(
  sim: SimulatorBase,
  pair: string,
  account: string,
  side: OrderSide,
  price: BigNumber,
  amount: BigNumber,
): EngineOrder {
  const market = sim.marketInfo(pair);
  // A buy holds price x amount, plus the taker fee some exchanges hold with it: deposit twice that.
  if (side === 'buy') sim.ledger.deposit(account, market.quoteAsset, price.times(amount).times(2));
  else sim.ledger.deposit(account, market.baseAsset, amount);
  const order = market.engine.place({ account, side, type: 'limit', price, amount });
  if (order.status === 'rejected')
    throw new Error(`the order of ${account} on ${pair} was rejected: ${String(order.rejectReason)}`);
  return order;
}

function turn(): Promise<void> {
  return new Promise((r) => setImmediate(r));
}

// ---------------------------------------------------------------- the generic harness

/** Every fault a simulator-backed harness offers. */
export const ALL_CONFORMANCE_FAULTS: readonly (keyof ConformanceFaults)[] = [
  'dropMarketSocket',
  'skipSequence',
  'repeatSequence',
  'reorderSequence',
  'malformedMarketFrame',
  'withUserStreamDown',
  'failNextPlacement',
  'rateLimitNextPlacement',
  'skewExchangeClock',
  'hostileFrames',
];

/**
 * A base64 secret no account has: valid in form for every exchange (Coinbase
 * refuses a secret that is not base64 before sending anything).
 */
const WRONG_SECRET = Buffer.from('hb conformance: a secret no exchange account has').toString('base64');

/** The credential fields a CEX market's options carry. */
interface CredentialOptionFields {
  readonly apiKey?: string;
  readonly apiSecret?: string;
  readonly useUserStream?: boolean;
  readonly requestTimeoutMs?: number;
}

/** The options a connector's harness function takes (its own simulator, market and market options). */
export interface SimulatorHarnessOptions<SO, O extends object, M extends Market> {
  /** The pair every check trades; default the connector's. */
  readonly tradingPair?: string;
  /** Seed of the synthetic activity (and of the simulator's generated ids). Default 1. */
  readonly seed?: number;
  /** Activity steps run before the market starts, so the book has depth. Default 100. */
  readonly warmupSteps?: number;
  /** Extra simulator options (the demo account is always created). */
  readonly simulator?: SO;
  /** Market options over the harness's fast test defaults (short polls and reconnects). */
  readonly market?: Partial<O>;
  /**
   * Builds each market (the first and every `createMarket()`); default the
   * connector's market. Tests of the suite itself pass a broken subclass here.
   */
  readonly createMarket?: (options: O) => M;
  /** Options of the synthetic activity's generator (levels, rates, ...). */
  readonly activity?: SimActivityOptions['generator'];
  /** Suite name; default the connector's. */
  readonly name?: string;
}

/** What a connector's market-data faults get to work with. */
export interface MarketFaultContext<S extends SimulatorBase> {
  readonly sim: S;
  readonly tradingPair: string;
  /** The marker order on the traded pair (see {@link BookMarker}). */
  readonly marker: BookMarker;
}

/** The faults that depend on how an exchange frames its market data. */
export type MarketDataFaults = Pick<
  ConformanceFaults,
  'skipSequence' | 'repeatSequence' | 'reorderSequence' | 'malformedMarketFrame'
>;

/** The connector-specific half of a simulator-backed harness. */
export interface SimulatorHarnessSpec<S extends SimulatorBase, O extends object, M extends Market> {
  /** Default suite name (`binance`). */
  readonly name: string;
  /** Default traded pair. */
  readonly tradingPair: string;
  /** The connector's declared capabilities (the suite skips only what these say is unsupported). */
  readonly capabilities: ConnectorCapabilities;
  /** Hostile frames in this exchange's wire format (see hostile-checks.ts); without it those checks fail as not implemented. */
  hostileFrames?(context: MarketFaultContext<S> & { readonly apiKey: string }): HostileFrameFaults;
  /** Starts a simulator with the demo account (and the harness's market tweaks). */
  startSimulator(seed: number): Promise<S>;
  /** Market options on the simulator's demo account, trading `tradingPair`, with fast test timings. */
  marketOptions(sim: S, tradingPair: string): O;
  /** The connector's market. */
  createMarket(options: O): M;
  /** The market-data faults in this exchange's frame layout (each sequence fault must hit a marker update). */
  marketFaults(context: MarketFaultContext<S>): MarketDataFaults;
}

/** An environment that also exposes the simulator, for tests that need more than the suite's view. */
export interface SimulatorConformanceEnvironment<
  S extends SimulatorBase,
  O extends object,
  M extends Market,
> extends ConformanceEnvironment {
  /** The market under test, with its connector type. */
  readonly market: M;
  readonly simulator: S;
  /** The market options every market of this environment is built with. */
  readonly marketOptions: O;
}

/** A harness whose environments also expose the simulator. */
export interface SimulatorConformanceHarness<
  S extends SimulatorBase,
  O extends object,
  M extends Market,
> extends ConformanceHarness {
  setup(): Promise<SimulatorConformanceEnvironment<S, O, M>>;
}

/**
 * The conformance harness of a simulator-backed connector: per check a fresh
 * simulator with warmed-up activity on the traded pair, a started, ready market on
 * its demo account, the truth accessors and outage faults every simulator has, and
 * the connector's own market-data faults. Activity is stepped only when a check
 * asks (`runActivity`), so every check sees the same market for a given seed;
 * teardown stops every market the environment created, then the simulator.
 */
export function simulatorConformanceHarness<
  S extends SimulatorBase<SimAccountInput>,
  O extends object,
  M extends Market,
>(
  spec: SimulatorHarnessSpec<S, O, M>,
  options: SimulatorHarnessOptions<unknown, O, M> = {},
): SimulatorConformanceHarness<S, O, M> {
  return {
    name: options.name ?? spec.name,
    capabilities: spec.capabilities,
    setup: () => setUpEnvironment(spec, options),
  };
}

async function setUpEnvironment<S extends SimulatorBase<SimAccountInput>, O extends object, M extends Market>(
  spec: SimulatorHarnessSpec<S, O, M>,
  options: SimulatorHarnessOptions<unknown, O, M>,
): Promise<SimulatorConformanceEnvironment<S, O, M>> {
  const tradingPair = options.tradingPair ?? spec.tradingPair;
  const seed = options.seed ?? 1;
  const sim = await spec.startSimulator(seed);
  const markets: M[] = [];
  const teardown = async (): Promise<void> => {
    await Promise.allSettled(markets.map((m) => m.stop()));
    await sim.stop();
  };
  try {
    const account = sim.demoAccount;
    if (account === undefined) throw new Error(`${spec.name} conformance harness: no demo account`);
    const simMarket = sim.marketInfo(tradingPair);
    const activity = sim.activity(seed, { pairs: [tradingPair], generator: options.activity });
    activity.step(options.warmupSteps ?? 100);

    const marketOptions: O = { ...spec.marketOptions(sim, tradingPair), ...(options.market ?? {}) };
    const build = (variant: MarketVariant = {}): M => {
      const o = withVariant(marketOptions, variant);
      const m = options.createMarket ? options.createMarket(o) : spec.createMarket(o);
      markets.push(m);
      return m;
    };
    const market = build();
    await market.start();
    await market.waitUntilReady(10_000);

    const marker = new BookMarker(sim, tradingPair, { levels: options.activity?.levels ?? 10 });
    const faults: ConformanceFaults = {
      dropMarketSocket: () => sim.dropMarketSockets(),
      ...spec.marketFaults({ sim, tradingPair, marker }),
      ...(spec.hostileFrames
        ? { hostileFrames: spec.hostileFrames({ sim, tradingPair, marker, apiKey: account.apiKey }) }
        : {}),
      async withUserStreamDown(during) {
        const outage = sim.userStreamDown();
        try {
          await during();
        } finally {
          outage.restore();
        }
      },
      failNextPlacement: ({ applied, outcome }) => void sim.failNextOrder({ apply: applied, outcome }),
      rateLimitNextPlacement: (retryAfterSec) => void sim.rateLimitNextOrder({ retryAfterSec }),
      skewExchangeClock: (ms) => sim.skewClock(ms),
    };

    return {
      market,
      simulator: sim,
      marketOptions,
      tradingPair,
      trueBook: (depth) => sim.trueBook(tradingPair, depth),
      ledgerFilledAmount: (clientOrderId) => sim.ledgerFilledAmount(account.apiKey, clientOrderId),
      orderRequestCount: () => sim.orderRequestCount(account.apiKey),
      runActivity: (steps) => stepActivityPerTurn(activity, steps),
      restingPrice: (side) =>
        restingPriceInside(simMarket.engine, side, simMarket.tickSize, simMarket.midPrice),
      async takeFromUs(side, price, amount) {
        takeFromOurOrder(sim, account.apiKey, tradingPair, side, price, amount);
      },
      createMarket: (variant) => build(variant),
      exchangeHasOrder: (clientOrderId) =>
        sim.orderByClientOrderId(account.apiKey, clientOrderId) !== undefined,
      requestsWithKey: (apiKey) => sim.requestLog().filter((r) => r.apiKey === apiKey).length,
      faults,
      teardown,
    };
  } catch (e) {
    await teardown();
    throw e;
  }
}

/** Market options changed as a {@link MarketVariant} asks. */
function withVariant<O extends object>(options: O, variant: MarketVariant): O {
  if (Object.keys(variant).length === 0) return options;
  const changes: CredentialOptionFields = {
    ...(variant.wrongCredentials === true ? { apiKey: WRONG_API_KEY, apiSecret: WRONG_SECRET } : {}),
    ...(variant.useUserStream === undefined ? {} : { useUserStream: variant.useUserStream }),
    ...(variant.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: variant.requestTimeoutMs }),
  };
  return { ...options, ...changes };
}

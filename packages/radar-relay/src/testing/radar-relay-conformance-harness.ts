// The conformance harness of the Radar Relay connector. The toolkit's generic
// harness drives a matching-engine simulator; Radar's simulator is a relayer over
// a chain, so this harness builds the suite's environment from the simulator's
// own parts: its book (orders by hash summed per price) as the truth, a simulated
// taker filling our orders with real Exchange transactions, the Exchange's fills
// as the ledger, and Radar-framed faults. Only Jest-free parts of @hb/testing are
// used, so this file loads outside Jest.
import BigNumber from 'bignumber.js';
import { Wallet } from 'ethers';
import type { Subscription } from 'rxjs';
import type { BookLevel, OrderSide } from '@hb/core';
import {
  FAST_TEST_MARKET_OPTIONS,
  type ConformanceEnvironment,
  type ConformanceFaults,
  type ConformanceHarness,
  type HostileFrameFaults,
  type HostileMarketCase,
  type MarketVariant,
} from '@hb/testing';
import {
  RADAR_RELAY_CAPABILITIES,
  RadarRelayMarket,
  type RadarRelayMarketOptions,
} from '../radar-relay-market.js';
import { RADAR_SIM_ACCOUNTS } from './radar-relay-sim-chain.js';
import type { RadarSimActivity } from './radar-relay-sim-traders.js';
import { RadarRelaySimulator, type RadarRelaySimulatorOptions } from './radar-relay-simulator.js';

/** Options of {@link radarRelayConformanceHarness}. */
export interface RadarRelayConformanceHarnessOptions {
  /** The pair every check trades. Default `WETH-DAI`. */
  readonly tradingPair?: string;
  /** Seed of the synthetic activity. Default 1. */
  readonly seed?: number;
  /** Maker orders posted before the market starts, so the book has depth. Default 20. */
  readonly warmupOrders?: number;
  /** Simulator options (rate limits, poll interval...). */
  readonly simulator?: Omit<RadarRelaySimulatorOptions, 'traders'>;
  /** Market options over the harness's (fast polls, the simulator's endpoints, the user's key). */
  readonly market?: Partial<RadarRelayMarketOptions>;
  /** Builds each market; default the connector's. Tests of the suite pass a broken subclass here. */
  readonly createMarket?: (options: RadarRelayMarketOptions) => RadarRelayMarket;
  /** Suite name. Default `radar-relay`. */
  readonly name?: string;
}

/** The environment, with the simulator and the user's account for tests that need more than the suite's view. */
export interface RadarRelayConformanceEnvironment extends ConformanceEnvironment {
  readonly market: RadarRelayMarket;
  readonly simulator: RadarRelaySimulator;
  readonly marketOptions: RadarRelayMarketOptions;
  /** The user's address (lower case). */
  readonly address: string;
  /** The activity the checks step. */
  readonly activity: RadarSimActivity;
}

/** The harness, whose environments expose the simulator. */
export interface RadarRelayConformanceHarness extends ConformanceHarness {
  setup(): Promise<RadarRelayConformanceEnvironment>;
}

/** A private key no wallet can have: what the suite's `wrongCredentials` variant means for a DEX (a malformed key). */
export const RADAR_WRONG_PRIVATE_KEY = '0xnot-a-private-key';

/** Market options for a connector on `sim`, trading `tradingPair` with `privateKey`, with fast test timings. */
export function radarRelayTestMarketOptions(
  sim: RadarRelaySimulator,
  privateKey: string,
  tradingPair: string,
  overrides: Partial<RadarRelayMarketOptions> = {},
): RadarRelayMarketOptions {
  return {
    tradingPairs: [tradingPair],
    privateKey,
    restUrl: sim.restUrl,
    wsUrl: sim.wsUrl,
    rpcUrl: sim.rpcUrl,
    chainId: sim.chainId,
    exchangeAddress: sim.exchangeAddress,
    approveAllowances: true,
    confirmations: 1,
    chainPollIntervalMs: 50,
    ...FAST_TEST_MARKET_OPTIONS,
    ...overrides,
  };
}

/**
 * The conformance harness of the Radar Relay connector:
 *
 *   defineConformanceSuite(radarRelayConformanceHarness());
 */
export function radarRelayConformanceHarness(
  options: RadarRelayConformanceHarnessOptions = {},
): RadarRelayConformanceHarness {
  return {
    name: options.name ?? 'radar-relay',
    capabilities: RADAR_RELAY_CAPABILITIES,
    setup: () => setUp(options),
  };
}

async function setUp(
  options: RadarRelayConformanceHarnessOptions,
): Promise<RadarRelayConformanceEnvironment> {
  const tradingPair = options.tradingPair ?? 'WETH-DAI';
  const seed = options.seed ?? 1;
  const sim = await RadarRelaySimulator.start({ pollIntervalMs: 50, ...(options.simulator ?? {}) });
  const markets: RadarRelayMarket[] = [];
  const subscriptions: Subscription[] = [];
  const teardown = async (): Promise<void> => {
    for (const s of subscriptions) s.unsubscribe();
    await Promise.allSettled(markets.map((m) => m.stop()));
    await sim.stop();
  };
  try {
    const user = sim.account(RADAR_SIM_ACCOUNTS.demo);
    const address = user.address.toLowerCase();
    const tokens: Record<string, bigint> = {};
    for (const t of sim.deployment.tokens.values()) {
      tokens[t.symbol] = (t.weth ? 100n : 100_000n) * 10n ** BigInt(t.decimals);
    }
    await sim.fundAccount(user, { ethWei: 100n * 10n ** 18n, tokens, approve: true });
    const simMarket = sim.market(tradingPair);
    const warm = sim.activity(seed, { markets: [tradingPair], weights: { post: 1, take: 0, cancel: 0 } });
    await warm.step(options.warmupOrders ?? 20);
    const activity = sim.activity(seed + 1, { markets: [tradingPair] });

    // Our orders by client order id -> 0x order hash (the exchange order id), from every market built.
    const hashes = new Map<string, string>();
    const marketOptions = radarRelayTestMarketOptions(sim, user.privateKey, tradingPair, options.market);
    const build = (variant: MarketVariant = {}): RadarRelayMarket => {
      const o = withVariant(marketOptions, variant);
      const m = options.createMarket ? options.createMarket(o) : new RadarRelayMarket(o);
      markets.push(m);
      subscriptions.push(
        m.trackingStateChanges$.subscribe((order) => {
          if (order.exchangeOrderId !== undefined)
            hashes.set(order.clientOrderId, order.exchangeOrderId.toLowerCase());
        }),
      );
      return m;
    };
    const hashOf = (clientOrderId: string): string | undefined => {
      for (const m of markets) {
        const id = m.inFlightOrders.get(clientOrderId)?.exchangeOrderId;
        if (id !== undefined) hashes.set(clientOrderId, id.toLowerCase());
      }
      return hashes.get(clientOrderId);
    };
    const market = build();
    await market.start();
    await market.waitUntilReady(20_000);

    const mid = new BigNumber(simMarket.spec.midPrice);
    const dp = simMarket.spec.quoteIncrement ?? 8;
    const tick = BigNumber.max(
      mid.div(1000).decimalPlaces(dp, BigNumber.ROUND_DOWN),
      new BigNumber(1).shiftedBy(-dp),
    );
    const taker = sim.takers[0];
    if (taker === undefined) throw new Error('radar-relay conformance harness: the simulator has no takers');

    const faults: ConformanceFaults = {
      dropMarketSocket: () => void sim.dropMarketSockets(),
      // Radar's book events carry no sequence numbers (capabilities.sequencedBook false): these
      // checks are skipped, but the faults exist, in Radar's framing, for the connector's own tests.
      skipSequence: () => void sim.skipBookEvent(tradingPair),
      repeatSequence: () => void sim.repeatBookEvent(tradingPair, { late: true }),
      reorderSequence: () => void sim.reorderBookEvent(tradingPair),
      malformedMarketFrame: () => void sim.malformedBookEvent({ market: tradingPair }),
      failNextPlacement: ({ applied, outcome }) => void sim.failNextOrder({ apply: applied, outcome }),
      rateLimitNextPlacement: (retryAfterSec) => void sim.rateLimitNextOrder({ retryAfterSec }),
      skewExchangeClock: (ms) => sim.faults.skewClock(ms),
      hostileFrames: hostileFrames(sim, tradingPair),
    };

    return {
      market,
      simulator: sim,
      marketOptions,
      address,
      activity,
      tradingPair,
      waitTimeoutMs: 20_000,
      trueBook: (depth) => {
        const b = sim.trueBook(tradingPair, depth);
        return { bids: b.bids as BookLevel[], asks: b.asks as BookLevel[] };
      },
      ledgerFilledAmount: (clientOrderId) => {
        const hash = hashOf(clientOrderId);
        const o = hash === undefined ? undefined : sim.order(hash);
        if (o === undefined) return new BigNumber(0);
        return new BigNumber(o.filledBase.toString()).shiftedBy(-o.market.base.decimals);
      },
      orderRequestCount: () => sim.orderRequestCount(address),
      runActivity: (steps) => activity.step(steps),
      restingPrice: (side: OrderSide) =>
        side === 'buy' ? mid.minus(tick.times(3)) : mid.plus(tick.times(3)),
      async takeFromUs(side, price, amount) {
        const type = side === 'buy' ? 'BID' : 'ASK';
        // Amounts truncated to base units can leave the order's exact price a hair off the one asked.
        let left = amount;
        const ours = sim.store
          .open()
          .filter(
            (o) =>
              o.maker === address &&
              o.type === type &&
              o.market.id === tradingPair &&
              o.price.minus(price).abs().lte(price.times('1e-9')),
          );
        if (ours.length === 0)
          throw new Error(`no open ${type} of ours at ${price.toFixed()} on the relayer`);
        for (const o of ours) {
          if (left.lte(0)) break;
          const available = new BigNumber(o.remainingBase.toString()).shiftedBy(-o.market.base.decimals);
          const take = BigNumber.min(available, left);
          await taker.fill(o, take);
          left = left.minus(take);
        }
      },
      createMarket: (variant) => build(variant),
      exchangeHasOrder: (clientOrderId) => {
        const hash = hashOf(clientOrderId);
        return hash !== undefined && sim.order(hash) !== undefined;
      },
      // No API keys on a DEX: requests carry no key to count. A malformed private key is
      // refused before any request (see RADAR_WRONG_PRIVATE_KEY).
      requestsWithKey: () => 0,
      faults,
      teardown,
    };
  } catch (e) {
    await teardown();
    throw e;
  }
}

/** Market options changed as a {@link MarketVariant} asks. */
function withVariant(options: RadarRelayMarketOptions, variant: MarketVariant): RadarRelayMarketOptions {
  if (Object.keys(variant).length === 0) return options;
  const changes: Record<string, unknown> = {
    ...(variant.wrongCredentials === true ? { privateKey: RADAR_WRONG_PRIVATE_KEY } : {}),
    ...(variant.useUserStream === undefined ? {} : { useUserStream: variant.useUserStream }),
    ...(variant.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: variant.requestTimeoutMs }),
  };
  return { ...options, ...changes } as RadarRelayMarketOptions;
}

/**
 * Hostile BOOK frames of the traded market: a NEW of a made-up order carrying the
 * bad value (it must never reach the book), an unknown action, and text that is
 * not JSON. Radar's book has no update ranges: `inverted_range` is a FILL that
 * leaves more of an order than it had.
 */
function hostileFrames(sim: RadarRelaySimulator, tradingPair: string): HostileFrameFaults {
  const m = sim.market(tradingPair);
  let n = 0;
  const newOrder = (fields: Record<string, unknown>): Record<string, unknown> => {
    n += 1;
    const hash = `0x${'ee'.repeat(28)}${n.toString(16).padStart(8, '0')}`;
    return {
      action: 'NEW',
      event: {
        baseTokenAddress: m.base.address,
        quoteTokenAddress: m.quote.address,
        order: {
          orderHash: hash,
          type: 'BID',
          state: 'OPEN',
          baseTokenAddress: m.base.address,
          quoteTokenAddress: m.quote.address,
          remainingBaseTokenAmount: '1',
          remainingQuoteTokenAmount: '100',
          price: '100',
          createdDate: '2020-01-14 10:00:00',
          signedOrder: {},
          ...fields,
        },
      },
    };
  };
  const frames: Record<HostileMarketCase, () => unknown> = {
    negative_amount: () => newOrder({ remainingBaseTokenAmount: '-5' }),
    negative_price: () => newOrder({ price: '-100' }),
    zero_price: () => newOrder({ price: '0' }),
    huge_price: () => newOrder({ price: '9'.repeat(401) }),
    huge_amount: () => newOrder({ remainingBaseTokenAmount: '9'.repeat(401) }),
    nan: () => newOrder({ price: 'NaN' }),
    empty_string: () => newOrder({ remainingBaseTokenAmount: '' }),
    wrong_type: () => newOrder({ price: { value: 100 } }),
    inverted_range: () => {
      const resting = sim.store.book(m.id).bids[0] ?? sim.store.book(m.id).asks[0];
      const order = resting?.toJson();
      return {
        action: 'FILL',
        event: {
          baseTokenAddress: m.base.address,
          quoteTokenAddress: m.quote.address,
          orderHash: order?.orderHash ?? `0x${'ef'.repeat(32)}`,
          filledBaseTokenAmount: '-1',
          filledQuoteTokenAmount: '-1',
          order: { ...(order ?? {}), remainingBaseTokenAmount: '1000000000000' },
        },
      };
    },
    unknown_message_type: () => ({ action: 'MERGE', event: {} }),
    not_json: () => '{"action":"NEW","event":',
  };
  return {
    sendHostileMarketFrame(kind) {
      sim.sendBookFrame(tradingPair, frames[kind]());
    },
    armHostileFill() {
      // Radar has no user stream (capabilities.userStream false): fills come from
      // polling the relayer and from chain logs, so the suite skips this check.
      throw new Error('radar-relay: no user stream to carry a hostile fill');
    },
  };
}

/** A fresh random key (for tests that need a second, unfunded wallet). */
export function randomPrivateKey(): string {
  return Wallet.createRandom().privateKey;
}

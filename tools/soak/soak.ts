/**
 * The soak: a connector against its simulator with market activity, our own
 * orders placed, filled and cancelled, and seeded faults of every kind the
 * simulator knows injected continuously (stream faults, hostile frames, REST
 * faults, socket drops and outages). At the end it compares the connector's
 * book with the simulator's, every simulator fill of our orders with the
 * connector's OrderFilled events (lost, doubled), balances, and open orders.
 */
import BigNumber from 'bignumber.js';
import type { MarketEvent, MarketNotice, OrderSide } from '@hb/core';
import type { SimulatorBase, SimulatorConformanceEnvironment } from '@hb/testing';
import type { Market } from '@hb/core';
import { binanceConformanceHarness } from '@hb/binance/testing';
import {
  bittrexBookStream,
  bittrexConformanceHarness,
  bittrexHostileMarketFrame,
  bittrexHostileUserFrames,
  type BittrexSimulator,
} from '@hb/bittrex/testing';
import { coinbaseProConformanceHarness } from '@hb/coinbase-pro/testing';
import {
  huobiConformanceHarness,
  huobiHostileAccountFrames,
  huobiHostileMarketFrame,
  mbpStream,
  type HuobiSimulator,
} from '@hb/huobi/testing';
import { HOSTILE_MARKET_CASES } from '@hb/testing';

/** Exchanges the soak knows. */
export const SOAK_EXCHANGES = ['binance', 'coinbase-pro', 'huobi', 'bittrex'] as const;
export type SoakExchange = (typeof SOAK_EXCHANGES)[number];

/** The fault kinds the soak injects, by family (streams 75 %, REST 20 %, outages 5 %). */
const FAULT_KINDS = {
  stream: ['skip', 'repeat', 'reorder', 'delay', 'malformed', 'hostile_market', 'hostile_user'],
  rest: ['http_5xx', 'http_429', 'http_timeout', 'http_delay', 'apply_then_5xx', 'apply_then_timeout'],
  outage: ['drop_market_socket', 'drop_user_socket', 'user_stream_outage'],
} as const;

/** Every fault kind the soak knows (`--kinds` takes a subset). */
export const SOAK_FAULT_KINDS: readonly string[] = [
  ...FAULT_KINDS.stream,
  ...FAULT_KINDS.rest,
  ...FAULT_KINDS.outage,
];

/** Options of {@link runSoak}. */
export interface SoakOptions {
  readonly exchange: SoakExchange;
  /** Faults to inject (counted when they fire, not when armed). */
  readonly faults: number;
  readonly seed: number;
  /**
   * Only these fault kinds (default every kind): targets a run at the faults a
   * problem involves, to reproduce it faster.
   */
  readonly kinds?: readonly string[];
  /** Progress lines (default none). */
  readonly log?: (line: string) => void;
}

/** What a soak measured. */
export interface SoakReport {
  readonly exchange: SoakExchange;
  readonly seed: number;
  /** Faults that fired, by kind. */
  readonly faultsByKind: Record<string, number>;
  readonly faultsInjected: number;
  readonly ordersPlaced: number;
  readonly takes: number;
  readonly cancels: number;
  /** Our orders the simulator filled (partly or wholly). */
  readonly ordersWithFills: number;
  /** OrderFilled events received. */
  readonly fillsReported: number;
  /** Orders whose reported fills fall short of the simulator's ledger. */
  readonly lost: number;
  /** Trade ids reported twice, plus orders whose reported fills exceed the ledger. */
  readonly doubled: number;
  /** Book levels (top 20 a side) differing from the simulator's at the end ('' when none). */
  readonly bookDivergence: string;
  /** Assets whose total balance differs from the simulator's ledger. */
  readonly balanceMismatches: string[];
  /** Client order ids open on one side only. */
  readonly openOrderMismatches: string[];
  /** The first few lost or doubled fills, for diagnosis. */
  readonly fillProblems: string[];
  /**
   * For each order in {@link fillProblems}, {@link openOrderMismatches} or counted in
   * {@link phantomOpen} (first ten): what the connector did with it (state
   * changes, events, notices) and what the simulator saw (status and filled
   * amount as they changed, our takes), ms since the soak started.
   */
  readonly traces: Record<string, string[]>;
  /**
   * Our orders the simulator ended without a fill and without our cancel
   * (self-trade prevention: two of ours crossed while one was still in flight).
   * The connector must learn of them by lookups when the stream's word is lost.
   */
  readonly endedByExchange: number;
  /**
   * Orders the connector still held open more than 5 s after the simulator ended
   * them, during the run (traced; diagnostic, not a failure by itself).
   */
  readonly phantomOpen: number;
  /** Frames and updates the connector refused at the wire / in core. */
  readonly framesRefused: number;
  readonly updatesRefused: number;
  /** Notices by kind. */
  readonly notices: Record<string, number>;
  readonly seconds: number;
}

/** True when the report shows no loss or divergence. */
export function soakPassed(r: SoakReport): boolean {
  return (
    r.lost === 0 &&
    r.doubled === 0 &&
    r.bookDivergence === '' &&
    r.balanceMismatches.length === 0 &&
    r.openOrderMismatches.length === 0
  );
}

/** A small seeded PRNG (mulberry32): the same seed gives the same run of choices. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Wire {
  /** Stream names (as the simulator tags frames) of the pair's book diffs and of the user stream. */
  readonly depthStream: string | RegExp;
  readonly userStream: string | RegExp;
  /**
   * Hostile frames sent on the market-data stream (each must be refused whole).
   * A function where a frame carries the stream's current sequence, built when
   * the fault is armed so that it lands in sequence position.
   */
  readonly hostileMarketFrames: readonly string[] | ((pick: <T>(xs: readonly T[]) => T) => string);
  /** Hostile frames sent on the user stream (likewise). */
  readonly hostileUserFrames: readonly string[] | ((pick: <T>(xs: readonly T[]) => T) => string);
  /**
   * The cancel request, where it is not an HTTP DELETE (`failNextOrder` faults
   * cancels as DELETEs): Huobi cancels with a POST.
   */
  readonly cancelRequest?: { readonly method: string; readonly path: RegExp };
}

/** One hostile frame of a {@link Wire} list or builder. */
function hostileFrame(frames: Wire['hostileMarketFrames'], pick: <T>(xs: readonly T[]) => T): string {
  return typeof frames === 'function' ? frames(pick) : pick(frames);
}

const HUGE = '9'.repeat(401);

function binanceDepth(b: string, a: string, U = 1, u = 1): string {
  return `{"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":1700000000000,"s":"BTCUSDT","U":${U},"u":${u},"b":${b},"a":${a}}}`;
}

function binanceExecution(fields: Record<string, unknown>): string {
  const event = {
    e: 'executionReport',
    E: 1700000000000,
    s: 'BTCUSDT',
    c: 'hbBsoakunknown',
    S: 'BUY',
    o: 'LIMIT',
    f: 'GTC',
    q: '0.01000000',
    p: '30000.00',
    C: '',
    x: 'TRADE',
    X: 'PARTIALLY_FILLED',
    r: 'NONE',
    i: 1,
    l: '0.005',
    z: '0.005',
    L: '30000.00',
    n: '0',
    N: null,
    T: 1700000000000,
    t: 99,
    m: true,
    Y: '150',
    ...fields,
  };
  return JSON.stringify({ subscriptionId: 0, event });
}

const BINANCE_WIRE: Wire = {
  depthStream: /@depth/,
  userStream: 'userData',
  hostileMarketFrames: [
    binanceDepth('[["-30000.00","1"]]', '[]'),
    binanceDepth('[["30000.00","-0.005"]]', '[]'),
    binanceDepth(`[["${HUGE}","1"]]`, '[]'),
    binanceDepth('[]', `[["30001.00","${HUGE}"]]`),
    binanceDepth('[["NaN","1"]]', '[]'),
    binanceDepth('[["","1"]]', '[]'),
    binanceDepth('[[30000,1]]', '[]'),
    binanceDepth('[["0","1"]]', '[]'),
    binanceDepth('[["1e5","1"]]', '[]'),
    binanceDepth('[]', '[]', 10, 9),
    binanceDepth('[]', '[]', -1, 5),
    '{"stream":"btcusdt@depth@100ms","data":{"e":"mysteryEvent","x":1}}',
    '{"stream":"btcusdt@trade","data":{"e":"trade","E":1,"s":"BTCUSDT","t":1,"p":"-5","q":"1","T":1,"m":true}}',
    '{"unknown":"message type"}',
    '[1,2,3]',
    'not json at all',
  ],
  hostileUserFrames: [
    binanceExecution({ l: '-0.005' }),
    binanceExecution({ l: HUGE, z: HUGE }),
    binanceExecution({ L: '-30000.00' }),
    binanceExecution({ n: '-0.1', N: 'USDT' }),
    binanceExecution({ l: 'NaN' }),
    binanceExecution({ l: 5 }),
    binanceExecution({ z: '' }),
    '{"subscriptionId":0,"event":{"e":"mysteryEvent","E":1}}',
    '{"unexpected":true}',
    'garbage',
  ],
};

function coinbaseFull(fields: Record<string, unknown>): string {
  return JSON.stringify({
    type: 'open',
    product_id: 'BTC-USD',
    sequence: 1,
    time: '2026-01-01T00:00:00.000000Z',
    order_id: '11111111-1111-4111-8111-111111111111',
    side: 'buy',
    price: '30000.00',
    remaining_size: '1',
    ...fields,
  });
}

function coinbaseUserMatch(fields: Record<string, unknown>): string {
  return JSON.stringify({
    type: 'match',
    product_id: 'BTC-USD',
    sequence: 1,
    time: '2026-01-01T00:00:00.000000Z',
    trade_id: 7,
    maker_order_id: '22222222-2222-4222-8222-222222222222',
    taker_order_id: '33333333-3333-4333-8333-333333333333',
    side: 'buy',
    size: '0.005',
    price: '30000.00',
    maker_user_id: 'x',
    maker_profile_id: 'y',
    maker_fee_rate: '0.004',
    ...fields,
  });
}

const COINBASE_WIRE: Wire = {
  depthStream: /^full:/,
  userStream: /^user:/,
  hostileMarketFrames: [
    coinbaseFull({ price: '-30000.00' }),
    coinbaseFull({ remaining_size: '-0.005' }),
    coinbaseFull({ price: HUGE }),
    coinbaseFull({ remaining_size: HUGE }),
    coinbaseFull({ price: 'NaN' }),
    coinbaseFull({ price: '' }),
    coinbaseFull({ price: 30000 }),
    coinbaseFull({ sequence: -3 }),
    coinbaseFull({ sequence: 1.5 }),
    coinbaseFull({ type: 'match', size: '-1', maker_order_id: 'a', taker_order_id: 'b', trade_id: 1 }),
    coinbaseFull({ type: 'mysteryType' }),
    '{"no":"type"}',
    '[]',
    'not json',
  ],
  hostileUserFrames: [
    coinbaseUserMatch({ size: '-0.005' }),
    coinbaseUserMatch({ size: HUGE }),
    coinbaseUserMatch({ price: '-30000.00' }),
    coinbaseUserMatch({ maker_fee_rate: '-0.5' }),
    coinbaseUserMatch({ size: 'NaN' }),
    coinbaseUserMatch({ size: 0.005 }),
    coinbaseUserMatch({ trade_id: -1 }),
    '[1]',
    'garbage',
  ],
};

/** Huobi: gzipped MBP increments in sequence position, account pushes with impossible values. */
function huobiWire(sim: HuobiSimulator, pair: string): Wire {
  const symbol = sim.marketInfo(pair).id;
  return {
    depthStream: mbpStream(symbol),
    userStream: new RegExp(`^(orders|clearing):${symbol}$`),
    hostileMarketFrames: (pick) => huobiHostileMarketFrame(sim, pair, pick(HOSTILE_MARKET_CASES)),
    hostileUserFrames: huobiHostileAccountFrames(pair, sim),
    cancelRequest: { method: 'POST', path: /submitCancel/i },
  };
}

/** Bittrex: SignalR frames (deflated payloads) at the book's or the account's next sequence. */
function bittrexWire(sim: BittrexSimulator, pair: string): Wire {
  const apiKey = sim.demoAccount!.apiKey;
  return {
    depthStream: bittrexBookStream(pair),
    userStream: /^(order|execution|balance)$/,
    hostileMarketFrames: (pick) => bittrexHostileMarketFrame(sim, pair, pick(HOSTILE_MARKET_CASES)),
    hostileUserFrames: (pick) => pick(bittrexHostileUserFrames(sim, apiKey, pair)),
  };
}

type Env = SimulatorConformanceEnvironment<SimulatorBase, object, Market>;

async function setUp(exchange: SoakExchange, seed: number): Promise<{ env: Env; wire: Wire }> {
  // Short timeouts and polls: a hung request is an unknown outcome after 400 ms,
  // so 10,000 faults take minutes, not hours. Everything else is the harness's.
  const market = { requestTimeoutMs: 400, fastPollIntervalMs: 150, slowPollIntervalMs: 1_000 };
  switch (exchange) {
    case 'binance': {
      const env = (await binanceConformanceHarness({ seed, market }).setup()) as unknown as Env;
      return { env, wire: BINANCE_WIRE };
    }
    case 'coinbase-pro': {
      const env = (await coinbaseProConformanceHarness({ seed, market }).setup()) as unknown as Env;
      return { env, wire: COINBASE_WIRE };
    }
    case 'huobi': {
      const env = await huobiConformanceHarness({ seed, market }).setup();
      return { env: env as unknown as Env, wire: huobiWire(env.simulator, env.tradingPair) };
    }
    case 'bittrex': {
      const env = await bittrexConformanceHarness({ seed, market }).setup();
      return { env: env as unknown as Env, wire: bittrexWire(env.simulator, env.tradingPair) };
    }
  }
}

/** An armed fault that has not fired for this long no longer holds a slot (see the main loop). */
const STALE_FAULT_MS = 10_000;

/** How long an order may stay open in the connector after the simulator ended it before it counts as a phantom. */
const PHANTOM_MS = 5_000;

/** Trace lines kept per order: enough for a life cycle with a few faults. */
const TRACE_LINES = 80;

function describeEvent(e: MarketEvent): string {
  switch (e.type) {
    case 'OrderFilled':
      return `OrderFilled trade ${e.tradeId} ${e.amount.toFixed()} @ ${e.price.toFixed()}`;
    case 'OrderFailure':
      return `OrderFailure (${e.error.reason}: ${e.error.message})`;
    default:
      return e.type;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Runs one soak and returns its figures (never throws for a divergence: read {@link soakPassed}). */
export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const started = Date.now();
  const log = options.log ?? (() => undefined);
  const rand = prng(options.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const { env, wire } = await setUp(options.exchange, options.seed);
  const sim = env.simulator;
  const market = env.market as Market & { refusals?: { framesRefused: number; updatesRefused: number } };
  const apiKey = sim.demoAccount!.apiKey;
  const pair = env.tradingPair;
  const info = sim.marketInfo(pair);

  // Per-order trace, printed for lost or doubled orders only (bounded per order).
  const traces = new Map<string, string[]>();
  const trace = (id: string, line: string): void => {
    let lines = traces.get(id);
    if (lines === undefined) traces.set(id, (lines = []));
    if (lines.length < TRACE_LINES) lines.push(`+${Date.now() - started} ms ${line}`);
  };
  const lastState = new Map<string, string>();

  const events: MarketEvent[] = [];
  const notices: Record<string, number> = {};
  const eventsSub = market.events$.subscribe((e) => {
    events.push(e);
    trace(e.clientOrderId, `event ${describeEvent(e)}`);
  });
  const noticesSub = market.notices$.subscribe((n: MarketNotice) => {
    notices[n.kind] = (notices[n.kind] ?? 0) + 1;
    if ('clientOrderId' in n) trace(n.clientOrderId, `notice ${n.kind}: ${n.error.message}`);
  });
  const changesSub = market.trackingStateChanges$.subscribe((o) => {
    const line =
      `connector ${o.state} executed ${o.executedBaseAmount.toFixed()}` +
      ` reported ${o.reportedExecutedAmount?.toFixed() ?? '-'} id ${o.exchangeOrderId ?? '-'}` +
      ` notFound ${o.notFoundCount}${o.isAwaitingFills ? ' awaiting fills' : ''}`;
    if (lastState.get(o.clientOrderId) === line) return;
    lastState.set(o.clientOrderId, line);
    trace(o.clientOrderId, line);
  });

  const byKind: Record<string, number> = {};
  /** Armed fault handles and their kind: counted by the times they fired. */
  const armed: { kind: string; at: number; handle: { readonly hits: number; remove(): void } }[] = [];
  let directFaults = 0;
  const fired = (): number => directFaults + armed.reduce((n, a) => n + a.handle.hits, 0);
  const count = (kind: string, n = 1): void => {
    byKind[kind] = (byKind[kind] ?? 0) + n;
    directFaults += n;
  };

  const rule = env.market.tradingRules.get(pair)!;
  const step = rule.minBaseAmountIncrement.gt(0) ? rule.minBaseAmountIncrement : new BigNumber('0.001');
  const amountFor = (price: BigNumber, multiple: number): BigNumber => {
    const byNotional = rule.minNotional.gt(0) ? rule.minNotional.div(price) : new BigNumber(0);
    const min = BigNumber.max(rule.minOrderSize, step, byNotional).times(multiple);
    return min.minus(min.mod(step)).plus(step);
  };

  const ours: { id: string; side: OrderSide; price: BigNumber }[] = [];
  let ordersPlaced = 0;
  let takes = 0;
  let cancels = 0;

  const { stream: streamKinds, rest: restKinds, outage: outageKinds } = FAULT_KINDS;

  const armOne = (): void => {
    const r = rand();
    const f = sim.faults;
    const kind =
      options.kinds !== undefined && options.kinds.length > 0
        ? pick(options.kinds)
        : r < 0.75
          ? pick(streamKinds)
          : r < 0.95
            ? pick(restKinds)
            : pick(outageKinds);
    const times = 1 + Math.floor(rand() * 5);
    const market = { stream: wire.depthStream };
    switch (kind) {
      case 'skip':
        armed.push({ kind, at: Date.now(), handle: f.skipSequence(market, { times }) });
        break;
      case 'repeat':
        armed.push({ kind, at: Date.now(), handle: f.repeatSequence(market, { times }) });
        break;
      case 'reorder':
        armed.push({ kind, at: Date.now(), handle: f.reorderSequence(market, { times: 1 }) });
        break;
      case 'delay':
        armed.push({
          kind,
          at: Date.now(),
          handle: f.addStreamFault(market, { kind: 'delay', ms: 5 + Math.floor(rand() * 40) }, { times }),
        });
        break;
      case 'malformed':
        armed.push({
          kind,
          at: Date.now(),
          handle: f.malformedFrame(market, { times, replace: rand() < 0.5 }),
        });
        break;
      case 'hostile_market':
        armed.push({
          kind,
          at: Date.now(),
          handle: f.malformedFrame(market, { times: 1, frame: hostileFrame(wire.hostileMarketFrames, pick) }),
        });
        break;
      case 'hostile_user':
        armed.push({
          kind,
          at: Date.now(),
          handle: f.malformedFrame(
            { stream: wire.userStream },
            { times: 1, frame: hostileFrame(wire.hostileUserFrames, pick) },
          ),
        });
        break;
      case 'http_5xx':
        armed.push({
          kind,
          at: Date.now(),
          handle: f.serverError({}, { times, status: pick([500, 502, 503, 504]) }),
        });
        break;
      case 'http_429':
        armed.push({ kind, at: Date.now(), handle: f.rateLimit({}, { times, retryAfterSec: 0 }) });
        break;
      case 'http_timeout':
        armed.push({ kind, at: Date.now(), handle: f.timeout({}, { times: 1 }) });
        break;
      case 'http_delay':
        armed.push({
          kind,
          at: Date.now(),
          handle: f.addHttpFault({}, { kind: 'delay', ms: 20 + Math.floor(rand() * 200) }, { times }),
        });
        break;
      case 'apply_then_5xx': {
        const cancel = rand() >= 0.7;
        armed.push({
          kind,
          at: Date.now(),
          handle:
            cancel && wire.cancelRequest !== undefined
              ? f.applyButFail(wire.cancelRequest, { times: 1, outcome: 500 })
              : sim.failNextOrder({ apply: true, outcome: 500, method: cancel ? 'DELETE' : 'POST' }),
        });
        break;
      }
      case 'apply_then_timeout':
        armed.push({ kind, at: Date.now(), handle: sim.failNextOrder({ apply: true, outcome: 'timeout' }) });
        break;
      case 'drop_market_socket':
        sim.dropMarketSockets();
        count(kind);
        break;
      case 'drop_user_socket':
        sim.dropUserSockets();
        count(kind);
        break;
      case 'user_stream_outage': {
        sim.userStreamDown({ forMs: 50 + Math.floor(rand() * 300) });
        count(kind);
        break;
      }
    }
  };

  const act = async (): Promise<void> => {
    const r = rand();
    if (r < 0.3 && market.activeOrders.length < 12) {
      const side: OrderSide = rand() < 0.5 ? 'buy' : 'sell';
      const price = env.restingPrice(side);
      const amount = amountFor(price, 2 + Math.floor(rand() * 4));
      const id =
        side === 'buy' ? market.buy(pair, amount, 'limit', price) : market.sell(pair, amount, 'limit', price);
      ours.push({ id, side, price });
      ordersPlaced++;
    } else if (r < 0.55) {
      const open = sim.engine(pair).openOrders(apiKey);
      if (open.length > 0) {
        const o = pick(open);
        let take = o.remaining.times(rand() < 0.5 ? 1 : 0.5);
        take = take.minus(take.mod(step));
        if (take.gt(0) && o.price !== undefined) {
          if (o.clientOrderId !== undefined) trace(o.clientOrderId, `soak takes ${take.toFixed()}`);
          await env.takeFromUs(o.side, o.price, take).catch(() => undefined);
          takes++;
        }
      }
    } else if (r < 0.7) {
      const active = market.activeOrders.filter((o) => o.state === 'OPEN' || o.state === 'PARTIALLY_FILLED');
      if (active.length > 0) {
        const o = pick(active);
        cancels++;
        await market.cancel(pair, o.clientOrderId).catch(() => undefined);
      }
    }
  };

  // The simulator forgets finished orders after 10,000 more (everyone's), so the
  // truth about each of ours is recorded while it is still known: its filled
  // amount, final once it is off the book.
  const simFilled = new Map<string, BigNumber>();
  const unsettled = new Set<string>();
  const simSeen = new Map<string, string>();
  const recordTruth = (): void => {
    for (const o of ours) if (!simFilled.has(o.id)) unsettled.add(o.id);
    for (const id of unsettled) {
      const order = sim.orderByClientOrderId(apiKey, id);
      if (order === undefined) continue;
      simFilled.set(id, order.filledAmount);
      const seen = `simulator ${order.status} filled ${order.filledAmount.toFixed()} id ${order.orderId}`;
      if (simSeen.get(id) !== seen) {
        simSeen.set(id, seen);
        trace(id, seen);
      }
      if (!order.onBook) unsettled.delete(id);
    }
  };

  // Orders the connector holds open while the simulator has ended them: normal
  // for a moment (the stream's word is on its way), a fault when it lasts (the
  // word was lost and lookups did not settle it). Diagnostic only: the soak's own
  // random cancels end such orders during a run; the end-of-run comparison judges.
  const endedSince = new Map<string, number>();
  const phantoms = new Set<string>();
  const watchPhantoms = (): void => {
    const now = Date.now();
    for (const o of market.activeOrders) {
      const id = o.clientOrderId;
      const s = sim.orderByClientOrderId(apiKey, id);
      if ((o.state !== 'OPEN' && o.state !== 'PARTIALLY_FILLED') || s === undefined || s.onBook) {
        endedSince.delete(id);
        continue;
      }
      const since = endedSince.get(id) ?? now;
      endedSince.set(id, since);
      if (now - since > PHANTOM_MS && !phantoms.has(id)) {
        phantoms.add(id);
        trace(id, `phantom: ${o.state} here ${now - since} ms after the simulator ended it (${s.status})`);
      }
    }
  };

  let lastLog = 0;
  while (fired() < options.faults) {
    recordTruth();
    watchPhantoms();
    // Keep a handful of faults armed at once, so they fire continuously.
    // A fault whose frame or request has not come within STALE_FAULT_MS no longer
    // counts as armed (it stays armed and is counted if it ever fires): one that
    // can never match must not stall the soak.
    const now = Date.now();
    const live = armed.filter((a) => a.handle.hits === 0 && now - a.at < STALE_FAULT_MS).length;
    if (live < 4) armOne();
    await act();
    await env.runActivity(2);
    if (Date.now() - lastLog > 5_000) {
      lastLog = Date.now();
      log(
        `  ${fired()} / ${options.faults} faults, ${ordersPlaced} orders, ${events.filter((e) => e.type === 'OrderFilled').length} fills`,
      );
    }
  }
  for (const a of armed) {
    a.handle.remove();
    byKind[a.kind] = (byKind[a.kind] ?? 0) + a.handle.hits;
  }
  sim.clearFaults();
  log(`  ${fired()} faults injected; settling`);

  // Settle: the market must end agreeing with the simulator on its own (polls and re-syncs).
  const openMismatch = (): string[] => {
    // Matched by client order id, or by exchange order id where the simulator's
    // record carries no client id.
    const simOpen = sim.engine(pair).openOrders(apiKey);
    const ourOpen = market.activeOrders;
    const out: string[] = [];
    for (const s of simOpen) {
      const ours = ourOpen.find(
        (o) =>
          (s.clientOrderId !== undefined && o.clientOrderId === s.clientOrderId) ||
          o.exchangeOrderId === s.orderId,
      );
      if (!ours) {
        const known = [...market.inFlightOrders.values()].find(
          (o) => o.clientOrderId === s.clientOrderId || o.exchangeOrderId === s.orderId,
        );
        out.push(
          `${s.clientOrderId ?? s.orderId} open on the simulator, connector says ${known?.state ?? 'unknown'}`,
        );
      }
    }
    for (const o of ourOpen) {
      const there = simOpen.some(
        (s) =>
          (s.clientOrderId !== undefined && o.clientOrderId === s.clientOrderId) ||
          o.exchangeOrderId === s.orderId,
      );
      if (!there) out.push(`${o.clientOrderId} ${o.state} in the connector only`);
    }
    return out;
  };
  const fillProblems: string[] = [];
  const fillGap = (): { lost: number; doubled: number; withFills: number } => {
    let lost = 0;
    let doubled = 0;
    let withFills = 0;
    fillProblems.length = 0;
    const seen = new Set<string>();
    const reported = new Map<string, BigNumber>();
    for (const e of events) {
      if (e.type !== 'OrderFilled') continue;
      const key = `${e.clientOrderId}/${e.tradeId}`;
      if (seen.has(key)) {
        doubled++;
        fillProblems.push(`${e.clientOrderId}: trade ${e.tradeId} reported twice`);
      }
      seen.add(key);
      reported.set(e.clientOrderId, (reported.get(e.clientOrderId) ?? new BigNumber(0)).plus(e.amount));
    }
    recordTruth();
    for (const o of ours) {
      const ledger = simFilled.get(o.id) ?? sim.ledgerFilledAmount(apiKey, o.id);
      const got = reported.get(o.id) ?? new BigNumber(0);
      if (ledger.gt(0)) withFills++;
      if (got.lt(ledger)) {
        lost++;
        const mine = market.inFlightOrders.get(o.id);
        const simOrder = sim.orderByClientOrderId(apiKey, o.id);
        fillProblems.push(
          `${o.id}: reported ${got.toFixed()} < simulator ${ledger.toFixed()} (connector ${mine?.state ?? 'forgotten'}, simulator ${simOrder?.status ?? 'forgotten'})`,
        );
      }
      if (got.gt(ledger)) {
        doubled++;
        fillProblems.push(`${o.id}: reported ${got.toFixed()} > simulator ${ledger.toFixed()}`);
      }
    }
    return { lost, doubled, withFills };
  };
  const balanceMismatch = (): string[] => {
    const out: string[] = [];
    for (const asset of [info.baseAsset, info.quoteAsset]) {
      const truth = sim.ledger.balance(apiKey, asset).total;
      const ours = market.getBalance(asset);
      // The exchange reports balances to 8 decimals (Binance) while the simulator's
      // ledger keeps fee remainders beyond them: a difference below 1e-8 is that
      // display rounding, anything larger a real mismatch.
      if (truth.minus(ours).abs().gt('1e-8'))
        out.push(`${asset}: connector ${ours.toFixed()} vs simulator ${truth.toFixed()}`);
    }
    return out;
  };
  const bookDiff = (): string => {
    const truth = env.trueBook(20);
    let book;
    try {
      book = market.getOrderBook(pair);
    } catch (e) {
      return `no book (${(e as Error).message})`;
    }
    const sides: [string, readonly (readonly [number, number])[], readonly (readonly [number, number])[]][] =
      [
        ['bid', [...book.bidEntries(20)], truth.bids],
        ['ask', [...book.askEntries(20)], truth.asks],
      ];
    for (const [name, got, want] of sides) {
      if (got.length !== want.length) return `${got.length} ${name} levels, want ${want.length}`;
      for (let i = 0; i < want.length; i++) {
        const [gp, ga] = got[i]!;
        const [wp, wa] = want[i]!;
        if (gp !== wp || Math.abs(ga - wa) > 1e-9 * Math.max(1, Math.abs(wa)))
          return `${name} level ${i} is [${gp}, ${ga}], want [${wp}, ${wa}]`;
      }
    }
    return '';
  };

  const deadline = Date.now() + 60_000;
  let result = { open: openMismatch(), fills: fillGap(), balances: balanceMismatch(), book: bookDiff() };
  while (Date.now() < deadline) {
    await market.pollNow().catch(() => undefined);
    await sleep(200);
    result = { open: openMismatch(), fills: fillGap(), balances: balanceMismatch(), book: bookDiff() };
    const settled =
      result.open.length === 0 &&
      result.fills.lost === 0 &&
      result.fills.doubled === 0 &&
      result.balances.length === 0 &&
      result.book === '' &&
      market.ready;
    if (settled) break;
  }

  eventsSub.unsubscribe();
  noticesSub.unsubscribe();
  changesSub.unsubscribe();
  // Orders with a fill problem or open on one side only get their trace, closed
  // by both sides' final word on them.
  const problemIds = new Set([
    ...fillProblems.map((p) => p.split(':')[0]!),
    ...result.open.map((p) => p.split(' ')[0]!),
    ...phantoms,
  ]);
  for (const id of problemIds) {
    const simOrder = sim.orderByClientOrderId(apiKey, id);
    // Past the per-order bound too: this line is the one that matters.
    if (!traces.has(id)) traces.set(id, []);
    traces
      .get(id)!
      .push(
        `+${Date.now() - started} ms at the end: connector ${market.inFlightOrders.get(id)?.state ?? 'forgotten'}, simulator ${
          simOrder === undefined
            ? 'forgotten'
            : `${simOrder.status} filled ${simOrder.filledAmount.toFixed()}${simOrder.onBook ? ' on the book' : ''}`
        }`,
      );
  }
  const refusals = market.refusals ?? { framesRefused: 0, updatesRefused: 0 };
  const report: SoakReport = {
    exchange: options.exchange,
    seed: options.seed,
    faultsByKind: Object.fromEntries(Object.entries(byKind).sort()),
    faultsInjected: Object.values(byKind).reduce((a, b) => a + b, 0),
    ordersPlaced,
    takes,
    cancels,
    ordersWithFills: result.fills.withFills,
    fillsReported: events.filter((e) => e.type === 'OrderFilled').length,
    fillProblems: fillProblems.slice(0, 10),
    traces: Object.fromEntries(
      [...problemIds].slice(0, 10).flatMap((id) => (traces.has(id) ? [[id, traces.get(id)!]] : [])),
    ),
    lost: result.fills.lost,
    doubled: result.fills.doubled,
    bookDivergence: result.book,
    balanceMismatches: result.balances,
    openOrderMismatches: result.open,
    endedByExchange: ours.filter((o) => sim.orderByClientOrderId(apiKey, o.id)?.status === 'expired').length,
    phantomOpen: phantoms.size,
    framesRefused: refusals.framesRefused,
    updatesRefused: refusals.updatesRefused,
    notices: Object.fromEntries(Object.entries(notices).sort()),
    seconds: Math.round((Date.now() - started) / 100) / 10,
  };
  await env.teardown();
  return report;
}

/** The report as the lines `npm run soak` prints. */
export function formatSoakReport(r: SoakReport): string[] {
  return [
    `soak ${r.exchange} seed ${r.seed}: ${r.seconds} s`,
    `  faults injected   ${r.faultsInjected} (${Object.entries(r.faultsByKind)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')})`,
    `  orders placed     ${r.ordersPlaced} (takes ${r.takes}, cancels ${r.cancels}, orders with fills ${r.ordersWithFills})`,
    `  fills reported    ${r.fillsReported}`,
    `  ended by exchange ${r.endedByExchange} (self-trade prevention)`,
    `  phantom open      ${r.phantomOpen} (open here > 5 s after the simulator ended it)`,
    `  refused           ${r.framesRefused} frames, ${r.updatesRefused} updates`,
    `  notices           ${Object.entries(r.notices)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
    `  lost              ${r.lost}`,
    ...r.fillProblems.map((p) => `    ${p}`),
    `  doubled           ${r.doubled}`,
    ...Object.entries(r.traces).flatMap(([id, lines]) => [
      `  trace of ${id}`,
      ...lines.map((l) => `    ${l}`),
    ]),
    `  book divergence   ${r.bookDivergence === '' ? 0 : `1 (${r.bookDivergence})`}`,
    `  balance mismatch  ${r.balanceMismatches.length}${r.balanceMismatches.length ? ` (${r.balanceMismatches.join('; ')})` : ''}`,
    `  open orders diff  ${r.openOrderMismatches.length}${r.openOrderMismatches.length ? ` (${r.openOrderMismatches.join(', ')})` : ''}`,
    `  result            ${soakPassed(r) ? 'PASS' : 'FAIL'}`,
  ];
}

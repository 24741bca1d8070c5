import BigNumber from 'bignumber.js';
import { HbError } from '@hb/core';
import type { BalanceLedger } from '../engine/balance-ledger.js';
import type { EngineOrder, EngineSide } from '../engine/engine-types.js';
import type { MatchingEngine } from '../engine/matching-engine.js';
import { Prng } from '../util/prng.js';

/**
 * Relative weights of what a step does (any non-negative numbers; they need not sum
 * to 1). `place`: a passive limit order near mid; `cancel`: cancel one of the
 * traders' open orders; `cross`: a limit order priced through the opposite best
 * (GTC or IOC); `market`: a market order (by base amount, or by quote for some buys).
 */
export interface MarketActivityRates {
  readonly place: number;
  readonly cancel: number;
  readonly cross: number;
  readonly market: number;
}

/** Options for {@link MarketActivityGenerator}. */
export interface MarketActivityOptions {
  /** The engine the traders trade on. */
  readonly engine: MatchingEngine;
  /**
   * The engine's ledger, to fund the traders (and top them up when they run low).
   * Omit only for an engine without a ledger.
   */
  readonly ledger?: BalanceLedger;
  /** PRNG seed: the same seed, options and starting book give the same orders. */
  readonly seed: number;
  /** Starting mid price. */
  readonly midPrice: BigNumber.Value;
  /** Price grid: every price is a multiple of it. */
  readonly tickSize: BigNumber.Value;
  /** Amount grid: every amount is a multiple of it. */
  readonly stepSize: BigNumber.Value;
  /** Number of trader accounts; default 4. */
  readonly traders?: number;
  /** Account names are `<prefix><n>`; default `trader-`. */
  readonly accountPrefix?: string;
  /** Each trader's starting (and top-up) funds; default 100 000 steps of base and their value in quote. */
  readonly funding?: { readonly base: BigNumber.Value; readonly quote: BigNumber.Value };
  /** Action weights; defaults place 6, cancel 3, cross 1, market 0.5. */
  readonly rates?: Partial<MarketActivityRates>;
  /** Passive orders rest 1..levels ticks from mid; default 10. */
  readonly levels?: number;
  /** Amounts are 1..maxSteps steps; default 50. */
  readonly maxSteps?: number;
  /** Probability per step that mid moves one tick up or down; default 0.1. */
  readonly drift?: number;
  /** Share of passive orders sent post-only; default 0.1. */
  readonly postOnlyShare?: number;
  /** Above this many open orders of the traders, a step cancels instead of placing; default 200. */
  readonly maxOpenOrders?: number;
}

/** Counts of what the generator did. */
export interface MarketActivityStats {
  steps: number;
  /** Orders sent to the engine (accepted or rejected). */
  orders: number;
  rejected: number;
  cancelled: number;
  crosses: number;
  marketOrders: number;
  /** Top-up deposits made. */
  topUps: number;
}

/**
 * Synthetic market activity: a few trader accounts placing, cancelling and crossing
 * orders around a drifting mid price on a tick grid, through the engine (so the
 * book, the trades and the ledger are all real). `step(n)` for deterministic tests,
 * `start(intervalMs)` / `stop()` for demos.
 */
export class MarketActivityGenerator {
  /** The trader accounts, in order. */
  readonly accounts: readonly string[];
  /** What happened so far. */
  readonly stats: MarketActivityStats = {
    steps: 0,
    orders: 0,
    rejected: 0,
    cancelled: 0,
    crosses: 0,
    marketOrders: 0,
    topUps: 0,
  };

  private readonly engine: MatchingEngine;
  private readonly ledger: BalanceLedger | undefined;
  private readonly prng: Prng;
  private readonly tick: BigNumber;
  private readonly step_: BigNumber;
  private readonly funding: { base: BigNumber; quote: BigNumber };
  private readonly rates: MarketActivityRates;
  private readonly levels: number;
  private readonly maxSteps: number;
  private readonly drift: number;
  private readonly postOnlyShare: number;
  private readonly maxOpen: number;
  private mid: BigNumber;
  private timer: NodeJS.Timeout | undefined;
  private orderCounter = 0;
  private readonly accountSet: ReadonlySet<string>;

  constructor(options: MarketActivityOptions) {
    this.engine = options.engine;
    this.ledger = options.ledger;
    this.prng = new Prng(options.seed);
    this.tick = new BigNumber(options.tickSize);
    this.step_ = new BigNumber(options.stepSize);
    if (!this.tick.gt(0) || !this.step_.gt(0))
      throw new HbError('invalid_order', 'tickSize and stepSize must be > 0');
    this.levels = options.levels ?? 10;
    this.maxSteps = options.maxSteps ?? 50;
    this.drift = options.drift ?? 0.1;
    this.postOnlyShare = options.postOnlyShare ?? 0.1;
    this.maxOpen = options.maxOpenOrders ?? 200;
    this.mid = this.snap(new BigNumber(options.midPrice));
    if (this.mid.lte(this.tick.times(this.levels))) {
      throw new HbError('invalid_order', 'midPrice must be above levels x tickSize');
    }
    this.rates = { place: 6, cancel: 3, cross: 1, market: 0.5, ...(options.rates ?? {}) };
    const baseFund = new BigNumber(options.funding?.base ?? this.step_.times(100_000));
    this.funding = {
      base: baseFund,
      quote: new BigNumber(options.funding?.quote ?? baseFund.times(this.mid)),
    };
    const prefix = options.accountPrefix ?? 'trader-';
    this.accounts = Array.from({ length: options.traders ?? 4 }, (_, i) => `${prefix}${i + 1}`);
    this.accountSet = new Set(this.accounts);
    if (this.ledger !== undefined) {
      for (const a of this.accounts) {
        this.ledger.deposit(a, this.engine.baseAsset, this.funding.base);
        this.ledger.deposit(a, this.engine.quoteAsset, this.funding.quote);
      }
    }
  }

  /** The current mid price the traders quote around. */
  get midPrice(): BigNumber {
    return this.mid;
  }

  /** True while {@link start}ed. */
  get running(): boolean {
    return this.timer !== undefined;
  }

  /** Runs `n` actions now, synchronously; returns the stats so far. */
  step(n = 1): MarketActivityStats {
    for (let i = 0; i < n; i++) this.oneStep();
    return this.stats;
  }

  /**
   * Runs `stepsPerTick` actions every `intervalMs` until {@link stop}. The timer is
   * unref'd, so a forgotten generator never keeps a process alive.
   */
  start(intervalMs: number, stepsPerTick = 1): void {
    this.stop();
    this.timer = setInterval(() => this.step(stepsPerTick), intervalMs);
    this.timer.unref();
  }

  /** Stops a {@link start}ed generator. */
  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  private oneStep(): void {
    this.stats.steps += 1;
    if (this.prng.chance(this.drift)) this.moveMid();
    const open = this.openOrders();
    const action =
      open.length >= this.maxOpen
        ? 'cancel'
        : this.prng.weighted<keyof MarketActivityRates>([
            ['place', this.rates.place],
            ['cancel', open.length > 0 ? this.rates.cancel : 0],
            ['cross', this.rates.cross],
            ['market', this.rates.market],
          ]);
    const account = this.prng.pick(this.accounts);
    const side: EngineSide = this.prng.chance(0.5) ? 'buy' : 'sell';
    switch (action) {
      case 'place':
        this.placePassive(account, side);
        break;
      case 'cancel': {
        const victim = this.prng.pick(open);
        if (this.engine.cancel(victim.orderId, victim.account) !== undefined) this.stats.cancelled += 1;
        break;
      }
      case 'cross':
        this.placeCross(account, side);
        break;
      case 'market':
        this.placeMarket(account, side);
        break;
    }
  }

  private placePassive(account: string, side: EngineSide): void {
    const k = this.prng.int(1, this.levels);
    const offset = this.tick.times(k);
    const price = side === 'buy' ? this.mid.minus(offset) : this.mid.plus(offset);
    this.send(account, {
      side,
      type: 'limit',
      price,
      amount: this.amount(),
      postOnly: this.prng.chance(this.postOnlyShare),
    });
  }

  private placeCross(account: string, side: EngineSide): void {
    const through = this.tick.times(this.prng.int(0, 3));
    const best = side === 'buy' ? this.engine.bestAsk() : this.engine.bestBid();
    const ref = best ?? this.mid;
    let price = side === 'buy' ? ref.plus(through) : ref.minus(through);
    if (price.lte(0)) price = this.tick;
    this.stats.crosses += 1;
    this.send(account, {
      side,
      type: 'limit',
      price,
      amount: this.amount(),
      timeInForce: this.prng.chance(0.5) ? 'IOC' : 'GTC',
    });
  }

  private placeMarket(account: string, side: EngineSide): void {
    this.stats.marketOrders += 1;
    const amount = this.amount();
    if (side === 'buy' && this.prng.chance(0.5)) {
      this.send(account, { side, type: 'market', quoteAmount: amount.times(this.mid) });
    } else {
      this.send(account, { side, type: 'market', amount });
    }
  }

  private send(
    account: string,
    req: {
      side: EngineSide;
      type: 'limit' | 'market';
      price?: BigNumber;
      amount?: BigNumber;
      quoteAmount?: BigNumber;
      postOnly?: boolean;
      timeInForce?: 'GTC' | 'IOC';
    },
  ): EngineOrder {
    this.topUp(account);
    this.orderCounter += 1;
    this.stats.orders += 1;
    const order = this.engine.place({ ...req, account, clientOrderId: `${account}-${this.orderCounter}` });
    if (order.status === 'rejected') this.stats.rejected += 1;
    return order;
  }

  /** Deposits the starting funds again for an asset that fell below a quarter of them. */
  private topUp(account: string): void {
    if (this.ledger === undefined) return;
    for (const [asset, fund] of [
      [this.engine.baseAsset, this.funding.base],
      [this.engine.quoteAsset, this.funding.quote],
    ] as const) {
      if (this.ledger.balance(account, asset).free.lt(fund.div(4))) {
        this.ledger.deposit(account, asset, fund);
        this.stats.topUps += 1;
      }
    }
  }

  private amount(): BigNumber {
    return this.step_.times(this.prng.int(1, this.maxSteps));
  }

  private moveMid(): void {
    const up = this.prng.chance(0.5);
    const next = up ? this.mid.plus(this.tick) : this.mid.minus(this.tick);
    // Keep every passive price positive.
    if (next.gt(this.tick.times(this.levels + 1))) this.mid = next;
  }

  private snap(price: BigNumber): BigNumber {
    return price.div(this.tick).integerValue(BigNumber.ROUND_HALF_UP).times(this.tick);
  }

  private openOrders(): EngineOrder[] {
    return this.engine.openOrders().filter((o) => this.accountSet.has(o.account));
  }
}

// The state every simulated exchange keeps, whatever its wire protocol: a server
// clock, one balance ledger and fee schedule shared by its markets' matching
// engines, a seeded random source for the ids it makes up, and its API accounts.
// An exchange subclasses SimExchangeBase and adds its markets and order rules.

import type BigNumber from 'bignumber.js';
import { BalanceLedger } from '../engine/balance-ledger.js';
import { FeeSchedule } from '../engine/fee-schedule.js';
import type { EngineOrder } from '../engine/engine-types.js';
import { MatchingEngine, type MatchingEngineOptions } from '../engine/matching-engine.js';
import type { SimClock } from '../clock/sim-clock.js';
import { Prng } from '../util/prng.js';
import { fundSimAccount } from './simulator-base.js';
import type { SimAccountInput, SimulatedMarket, SimVenue } from './simulator-types.js';

/**
 * The API accounts of a simulated exchange, by API key (the ledger account name):
 * each key is registered once and funded from its input.
 */
export class SimApiAccounts<R extends { readonly apiKey: string }> {
  private readonly byKey = new Map<string, R>();

  constructor(
    private readonly simulatorName: string,
    private readonly ledger: BalanceLedger,
    private readonly fees: FeeSchedule,
  ) {}

  /**
   * Registers `input`'s key with the record `build` makes (called only for a new
   * key, so ids it draws are not used up by a refused one), then sets its fees and
   * deposits its balances. Throws for a key already registered.
   */
  register(input: SimAccountInput, build: () => R): R {
    if (this.byKey.has(input.apiKey))
      throw new Error(`${this.simulatorName}: API key ${input.apiKey} already exists`);
    const record = build();
    this.byKey.set(input.apiKey, record);
    fundSimAccount(this.ledger, this.fees, input);
    return record;
  }

  /** The record of an API key; undefined for an unknown key or an internal trader. */
  get(apiKey: string): R | undefined {
    return this.byKey.get(apiKey);
  }

  /** True for a registered API key (as opposed to an internal trader's account). */
  has(apiKey: string): boolean {
    return this.byKey.has(apiKey);
  }

  /** Every registered API key, in registration order. */
  keys(): string[] {
    return [...this.byKey.keys()];
  }
}

/** What every simulated exchange is built from. */
export interface SimExchangeBaseOptions {
  readonly clock: SimClock;
  /** Default maker/taker fee rates (an account may have its own). */
  readonly fees: { readonly maker: BigNumber.Value; readonly taker: BigNumber.Value };
  /** Seed of the ids the exchange makes up. */
  readonly seed: number;
}

/** A market's engine options, without what the exchange's engines share. */
export type SimEngineOptions = Omit<MatchingEngineOptions, 'ledger' | 'fees' | 'clock'>;

/** A listed market's engine options: without what its listing says (the engine's `pair` is the listing's `id`, and its assets). */
export type SimListedEngineOptions = Omit<SimEngineOptions, 'pair' | 'baseAsset' | 'quoteAsset'>;

/** How the exchange lists a market: its names, assets, price grid, and where synthetic traders quote. */
export type SimMarketListing = Omit<SimulatedMarket, 'engine'>;

/** The exchange-independent state of a simulated exchange (see the file comment). */
export abstract class SimExchangeBase<R extends { readonly apiKey: string }> {
  /** The server clock every timestamp comes from. */
  readonly clock: SimClock;
  /** Balances of every account (ledger account name = API key, or a trader's name). */
  readonly ledger = new BalanceLedger();
  /** Fee rates per account (shared by every market's engine). */
  readonly fees: FeeSchedule;
  /** Seeded: the same seed makes the same ids. */
  protected readonly prng: Prng;
  /** The API accounts. */
  protected readonly accounts: SimApiAccounts<R>;

  private readonly engines: MatchingEngine[] = [];
  private readonly listed: SimulatedMarket[] = [];

  /** `simulatorName` names the simulator in errors (`BinanceSimulator`). */
  protected constructor(simulatorName: string, options: SimExchangeBaseOptions) {
    this.clock = options.clock;
    this.fees = new FeeSchedule(options.fees);
    this.prng = new Prng(options.seed);
    this.accounts = new SimApiAccounts(simulatorName, this.ledger, this.fees);
  }

  /**
   * Lists a market: its matching engine (named by the listing's `id`, trading its
   * assets) on the shared ledger, fees and clock, in {@link venue}'s markets from
   * now on. Call it in listing order: the `index`-th market gets its own trade-id
   * range unless `options` sets one, so a connector keying fills by trade id alone
   * mixes markets up visibly.
   */
  protected listMarket(
    index: number,
    listing: SimMarketListing,
    options: SimListedEngineOptions,
  ): MatchingEngine {
    const engine = this.createEngine(index, {
      ...options,
      pair: listing.id,
      baseAsset: listing.baseAsset,
      quoteAsset: listing.quoteAsset,
    });
    this.listed.push({ ...listing, engine });
    return engine;
  }

  /**
   * The matching engine of the market listed `index`-th, on the shared ledger, fees
   * and clock, with its own trade-id range unless `options` sets one (see
   * {@link listMarket}, which also lists it in {@link venue}).
   */
  protected createEngine(index: number, options: SimEngineOptions): MatchingEngine {
    const engine = new MatchingEngine({
      firstTradeId: (index + 1) * 10_000_000 + 1,
      ...options,
      ledger: this.ledger,
      fees: this.fees,
      clock: this.clock,
    });
    this.engines.push(engine);
    return engine;
  }

  /**
   * An account's order by client order id on any engine (open, or finished while
   * the engine retains it). An exchange that keeps orders the engines do not
   * (refused or purged ones) overrides it.
   */
  findOrderByClientId(apiKey: string, clientOrderId: string): EngineOrder | undefined {
    for (const engine of this.engines) {
      const order = engine.getOrderByClientOrderId(apiKey, clientOrderId);
      if (order !== undefined) return order;
    }
    return undefined;
  }

  /** What {@link SimulatorBase} reads of this exchange: the ledger, the listed markets, the order lookup. */
  venue(): SimVenue {
    return {
      ledger: this.ledger,
      markets: this.listed,
      orderByClientId: (apiKey, clientOrderId) => this.findOrderByClientId(apiKey, clientOrderId),
    };
  }

  /** Every asset any market trades, in listing order. */
  assets(): string[] {
    return [...new Set(this.engines.flatMap((e) => [e.baseAsset, e.quoteAsset]))];
  }

  /**
   * The assets an account's balance list shows: every market's (zero or not, as
   * exchanges list them), then any other the account holds (a deposit of an asset
   * no market trades).
   */
  accountAssets(apiKey: string): string[] {
    return [...new Set([...this.assets(), ...Object.keys(this.ledger.balances(apiKey))])];
  }
}

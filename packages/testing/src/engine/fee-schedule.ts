import BigNumber from 'bignumber.js';
import { HbError } from '@hb/core';

/** Maker and taker fee rates as fractions (0.001 = 0.1 %). */
export interface FeeRates {
  readonly maker: BigNumber;
  readonly taker: BigNumber;
}

/** Input form of {@link FeeRates}: anything BigNumber accepts. */
export interface FeeRatesInput {
  readonly maker: BigNumber.Value;
  readonly taker: BigNumber.Value;
}

/**
 * Fee rates per account with a default. One schedule can be shared by the engines of
 * all pairs of a simulator, as an exchange's account-level commission is.
 */
export class FeeSchedule {
  private defaults: FeeRates;
  private readonly perAccount = new Map<string, FeeRates>();

  /** @param defaults rates for accounts with no rates of their own (zero when omitted) */
  constructor(defaults: FeeRatesInput = { maker: 0, taker: 0 }) {
    this.defaults = toRates(defaults);
  }

  /** The rates that apply to `account`. */
  get(account: string): FeeRates {
    return this.perAccount.get(account) ?? this.defaults;
  }

  /** Gives one account its own rates. */
  set(account: string, rates: FeeRatesInput): void {
    this.perAccount.set(account, toRates(rates));
  }

  /** Changes the default rates. */
  setDefault(rates: FeeRatesInput): void {
    this.defaults = toRates(rates);
  }

  /** The default rates. */
  get defaultRates(): FeeRates {
    return this.defaults;
  }
}

function toRates(input: FeeRatesInput): FeeRates {
  const maker = new BigNumber(input.maker);
  const taker = new BigNumber(input.taker);
  // Negative (rebate) rates would let the fee pool go negative and break the ledger invariant.
  if (
    !maker.isFinite() ||
    !taker.isFinite() ||
    maker.isNegative() ||
    taker.isNegative() ||
    maker.gte(1) ||
    taker.gte(1)
  ) {
    throw new HbError('invalid_order', 'fee rates must be in [0, 1)');
  }
  return { maker, taker };
}

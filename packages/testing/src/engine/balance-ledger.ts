import BigNumber from 'bignumber.js';
import { HbError } from '@hb/core';
import { Observable, Subject } from 'rxjs';

/** One account's balance of one asset. `total` is always `free + locked`. */
export interface AssetBalance {
  /** Usable for new orders and withdrawals. */
  readonly free: BigNumber;
  /** Held by open orders. */
  readonly locked: BigNumber;
  /** free + locked. */
  readonly total: BigNumber;
}

/** Why a balance moved; simulators map these onto their exchange's balance events. */
export type BalanceChangeCause = 'deposit' | 'withdraw' | 'hold' | 'release' | 'trade';

/**
 * A balance after it moved (absolute values, like Binance's `outboundAccountPosition`).
 * Emitted once per touched (account, asset) per ledger operation.
 */
export interface BalanceChange {
  readonly account: string;
  readonly asset: string;
  readonly free: BigNumber;
  readonly locked: BigNumber;
  readonly cause: BalanceChangeCause;
  /** For deposits and withdrawals: the signed amount moved (Binance's `balanceUpdate.d`). */
  readonly delta?: BigNumber;
}

/** A fee taken from one side of a trade. */
export interface LedgerFee {
  readonly asset: string;
  readonly amount: BigNumber;
}

/**
 * Everything the ledger needs to settle one fill. Both sides pay from their locked
 * balance (the order's hold) and receive into free; each fee is taken either from
 * the asset that side receives (deducted from what it gets) or from the asset it
 * pays (debited from its hold on top of the price), whichever asset the fee is in.
 */
export interface TradeSettlement {
  readonly buyer: string;
  readonly seller: string;
  readonly baseAsset: string;
  readonly quoteAsset: string;
  /** Base amount the seller delivers. */
  readonly baseAmount: BigNumber;
  /** Quote amount the buyer pays (price x amount). */
  readonly quoteAmount: BigNumber;
  readonly buyerFee: LedgerFee;
  readonly sellerFee: LedgerFee;
}

/** What each side actually paid out of its locked balance, so order holds can shrink by as much. */
export interface SettlementResult {
  /** Quote debited from the buyer's locked balance. */
  readonly buyerPaid: BigNumber;
  /** Base debited from the seller's locked balance. */
  readonly sellerPaid: BigNumber;
}

/** Per-asset totals and any broken invariant found by {@link BalanceLedger.checkInvariants}. */
export interface LedgerInvariantReport {
  readonly ok: boolean;
  /** Human-readable description of every broken invariant (empty when ok). */
  readonly problems: readonly string[];
  /** For each asset: what came in, what went out, what the accounts hold and the fees taken. */
  readonly assets: Readonly<
    Record<string, { deposited: BigNumber; withdrawn: BigNumber; held: BigNumber; fees: BigNumber }>
  >;
}

interface MutableBalance {
  free: BigNumber;
  locked: BigNumber;
}

const ZERO = new BigNumber(0);

/**
 * The simulator's balances: per account, per asset, free and locked amounts, all
 * exact BigNumbers. Orders hold funds on placement, release them on cancel, and
 * fills settle between the two accounts with the fees going to a fee pool, so the
 * conservation law "sum over accounts + fees collected == deposits - withdrawals"
 * holds after any sequence of operations ({@link checkInvariants}).
 */
export class BalanceLedger {
  private readonly accountsMap = new Map<string, Map<string, MutableBalance>>();
  private readonly deposited = new Map<string, BigNumber>();
  private readonly withdrawn = new Map<string, BigNumber>();
  private readonly fees = new Map<string, BigNumber>();
  private readonly changesSubject = new Subject<BalanceChange>();

  /** Every balance movement, synchronously, in the order it happened. */
  readonly changes$: Observable<BalanceChange> = this.changesSubject.asObservable();

  /** Adds `amount` of `asset` to the account's free balance (creating the account if needed). */
  deposit(account: string, asset: string, amount: BigNumber.Value): void {
    const a = positive(amount, 'deposit');
    const b = this.entry(account, asset);
    b.free = b.free.plus(a);
    addTo(this.deposited, asset, a);
    this.emit(account, asset, 'deposit', a);
  }

  /** Removes `amount` from the free balance; throws `insufficient_funds` when free is short. */
  withdraw(account: string, asset: string, amount: BigNumber.Value): void {
    const a = positive(amount, 'withdraw');
    const b = this.entry(account, asset);
    if (b.free.lt(a)) throw insufficient(account, asset, a, b.free);
    b.free = b.free.minus(a);
    addTo(this.withdrawn, asset, a);
    this.emit(account, asset, 'withdraw', a.negated());
  }

  /** The account's balance of one asset (zeros when it never had any). */
  balance(account: string, asset: string): AssetBalance {
    const b = this.accountsMap.get(account)?.get(asset);
    if (b === undefined) return { free: ZERO, locked: ZERO, total: ZERO };
    return { free: b.free, locked: b.locked, total: b.free.plus(b.locked) };
  }

  /** All assets the account ever touched, by asset name. */
  balances(account: string): Readonly<Record<string, AssetBalance>> {
    const out: Record<string, AssetBalance> = {};
    for (const asset of this.accountsMap.get(account)?.keys() ?? [])
      out[asset] = this.balance(account, asset);
    return out;
  }

  /** Known accounts, in creation order. */
  accounts(): string[] {
    return [...this.accountsMap.keys()];
  }

  /** Every asset seen in any account, in first-seen order. */
  assets(): string[] {
    const seen = new Set<string>();
    for (const m of this.accountsMap.values()) for (const asset of m.keys()) seen.add(asset);
    for (const asset of this.fees.keys()) seen.add(asset);
    return [...seen];
  }

  /** True when the account's free balance covers `amount`. */
  canHold(account: string, asset: string, amount: BigNumber.Value): boolean {
    return this.balance(account, asset).free.gte(amount);
  }

  /** Moves `amount` from free to locked; throws `insufficient_funds` (and changes nothing) when free is short. */
  hold(account: string, asset: string, amount: BigNumber.Value): void {
    const a = nonNegative(amount, 'hold');
    if (a.isZero()) return;
    const b = this.entry(account, asset);
    if (b.free.lt(a)) throw insufficient(account, asset, a, b.free);
    b.free = b.free.minus(a);
    b.locked = b.locked.plus(a);
    this.emit(account, asset, 'hold');
  }

  /** Moves `amount` from locked back to free (cancel, expiry, price improvement). */
  release(account: string, asset: string, amount: BigNumber.Value): void {
    const a = nonNegative(amount, 'release');
    if (a.isZero()) return;
    const b = this.entry(account, asset);
    if (b.locked.lt(a)) {
      // A release larger than the hold is an engine bug, never a user error.
      throw new HbError(
        'unknown',
        `ledger: release of ${a.toFixed()} ${asset} exceeds locked ${b.locked.toFixed()}`,
      );
    }
    b.locked = b.locked.minus(a);
    b.free = b.free.plus(a);
    this.emit(account, asset, 'release');
  }

  /**
   * Settles one fill: the buyer pays quote (and a quote fee, if the fee is in quote)
   * from locked and receives base (less a base fee); the seller pays base (and a base
   * fee, if the fee is in base) from locked and receives quote (less a quote fee).
   * Fees go to the fee pool. Throws when a fee is in neither asset of the pair, or
   * when a locked balance is short (both engine bugs).
   */
  settleTrade(s: TradeSettlement): SettlementResult {
    const { baseAsset: base, quoteAsset: quote } = s;
    for (const fee of [s.buyerFee, s.sellerFee]) {
      if (fee.asset !== base && fee.asset !== quote) {
        throw new HbError('unknown', `ledger: fee asset ${fee.asset} is neither ${base} nor ${quote}`);
      }
    }
    const buyerPaid = s.quoteAmount.plus(s.buyerFee.asset === quote ? s.buyerFee.amount : ZERO);
    const buyerGets = s.baseAmount.minus(s.buyerFee.asset === base ? s.buyerFee.amount : ZERO);
    const sellerPaid = s.baseAmount.plus(s.sellerFee.asset === base ? s.sellerFee.amount : ZERO);
    const sellerGets = s.quoteAmount.minus(s.sellerFee.asset === quote ? s.sellerFee.amount : ZERO);

    const bq = this.entry(s.buyer, quote);
    const sb = this.entry(s.seller, base);
    if (bq.locked.lt(buyerPaid)) {
      throw new HbError(
        'unknown',
        `ledger: buyer locked ${quote} ${bq.locked.toFixed()} < ${buyerPaid.toFixed()}`,
      );
    }
    if (sb.locked.lt(sellerPaid)) {
      throw new HbError(
        'unknown',
        `ledger: seller locked ${base} ${sb.locked.toFixed()} < ${sellerPaid.toFixed()}`,
      );
    }
    bq.locked = bq.locked.minus(buyerPaid);
    sb.locked = sb.locked.minus(sellerPaid);
    const bb = this.entry(s.buyer, base);
    bb.free = bb.free.plus(buyerGets);
    const sq = this.entry(s.seller, quote);
    sq.free = sq.free.plus(sellerGets);
    if (!s.buyerFee.amount.isZero()) addTo(this.fees, s.buyerFee.asset, s.buyerFee.amount);
    if (!s.sellerFee.amount.isZero()) addTo(this.fees, s.sellerFee.asset, s.sellerFee.amount);

    // One change per touched (account, asset), even for a self-trade.
    const touched = new Set<string>();
    for (const [account, asset] of [
      [s.buyer, quote],
      [s.buyer, base],
      [s.seller, base],
      [s.seller, quote],
    ] as const) {
      const key = `${account}\u0000${asset}`;
      if (touched.has(key)) continue;
      touched.add(key);
      this.emit(account, asset, 'trade');
    }
    return { buyerPaid, sellerPaid };
  }

  /** Fees collected so far in `asset`. */
  feesCollected(asset: string): BigNumber {
    return this.fees.get(asset) ?? ZERO;
  }

  /** Everything ever deposited in `asset`. */
  totalDeposited(asset: string): BigNumber {
    return this.deposited.get(asset) ?? ZERO;
  }

  /** Everything ever withdrawn in `asset`. */
  totalWithdrawn(asset: string): BigNumber {
    return this.withdrawn.get(asset) ?? ZERO;
  }

  /** Sum of free + locked of `asset` over all accounts. */
  totalHeld(asset: string): BigNumber {
    let sum = ZERO;
    for (const m of this.accountsMap.values()) {
      const b = m.get(asset);
      if (b !== undefined) sum = sum.plus(b.free).plus(b.locked);
    }
    return sum;
  }

  /**
   * Checks that no balance is negative and that, per asset, the accounts' totals plus
   * the fees collected equal deposits minus withdrawals, exactly.
   */
  checkInvariants(): LedgerInvariantReport {
    const problems: string[] = [];
    const assets: Record<
      string,
      { deposited: BigNumber; withdrawn: BigNumber; held: BigNumber; fees: BigNumber }
    > = {};
    for (const [account, m] of this.accountsMap) {
      for (const [asset, b] of m) {
        if (b.free.isNegative()) problems.push(`${account} ${asset} free is negative: ${b.free.toFixed()}`);
        if (b.locked.isNegative())
          problems.push(`${account} ${asset} locked is negative: ${b.locked.toFixed()}`);
      }
    }
    for (const asset of this.assets()) {
      const row = {
        deposited: this.totalDeposited(asset),
        withdrawn: this.totalWithdrawn(asset),
        held: this.totalHeld(asset),
        fees: this.feesCollected(asset),
      };
      assets[asset] = row;
      const lhs = row.held.plus(row.fees);
      const rhs = row.deposited.minus(row.withdrawn);
      if (!lhs.eq(rhs)) {
        problems.push(
          `${asset} not conserved: held ${row.held.toFixed()} + fees ${row.fees.toFixed()} != deposited ${row.deposited.toFixed()} - withdrawn ${row.withdrawn.toFixed()}`,
        );
      }
    }
    return { ok: problems.length === 0, problems, assets };
  }

  /** {@link checkInvariants}, throwing an Error listing every problem when one is broken. */
  assertInvariants(): void {
    const report = this.checkInvariants();
    if (!report.ok) throw new Error(`ledger invariants broken:\n${report.problems.join('\n')}`);
  }

  private entry(account: string, asset: string): MutableBalance {
    let m = this.accountsMap.get(account);
    if (m === undefined) {
      m = new Map();
      this.accountsMap.set(account, m);
    }
    let b = m.get(asset);
    if (b === undefined) {
      b = { free: ZERO, locked: ZERO };
      m.set(asset, b);
    }
    return b;
  }

  private emit(account: string, asset: string, cause: BalanceChangeCause, delta?: BigNumber): void {
    if (!this.changesSubject.observed) return;
    const b = this.entry(account, asset);
    this.changesSubject.next(
      delta === undefined
        ? { account, asset, free: b.free, locked: b.locked, cause }
        : { account, asset, free: b.free, locked: b.locked, cause, delta },
    );
  }
}

function addTo(map: Map<string, BigNumber>, asset: string, amount: BigNumber): void {
  map.set(asset, (map.get(asset) ?? ZERO).plus(amount));
}

function positive(value: BigNumber.Value, what: string): BigNumber {
  const a = new BigNumber(value);
  if (!a.isFinite() || !a.gt(0)) throw new HbError('invalid_order', `ledger: ${what} amount must be > 0`);
  return a;
}

function nonNegative(value: BigNumber.Value, what: string): BigNumber {
  const a = new BigNumber(value);
  if (!a.isFinite() || a.isNegative())
    throw new HbError('invalid_order', `ledger: ${what} amount must be >= 0`);
  return a;
}

function insufficient(account: string, asset: string, wanted: BigNumber, free: BigNumber): HbError {
  return new HbError(
    'insufficient_funds',
    `ledger: ${account} has ${free.toFixed()} ${asset} free, needs ${wanted.toFixed()}`,
  );
}

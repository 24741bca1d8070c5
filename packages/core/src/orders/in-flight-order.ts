import BigNumber from 'bignumber.js';
import { HbError } from '../errors/hb-error.js';
import {
  isTerminalState,
  type OrderSide,
  type OrderState,
  type OrderType,
  type PreparedOrder,
  type TradeFee,
  type TradeUpdate,
} from './order-types.js';

/** What {@link InFlightOrder}'s constructor needs: the order as the user asked for it. */
export interface InFlightOrderInit {
  readonly clientOrderId: string;
  /** Usually unknown at creation; set once the exchange acknowledges the order. */
  readonly exchangeOrderId?: string;
  /** `BASE-QUOTE`. */
  readonly tradingPair: string;
  /** Defaults to the part of `tradingPair` before the dash. */
  readonly baseAsset?: string;
  /** Defaults to the part of `tradingPair` after the dash. */
  readonly quoteAsset?: string;
  readonly side: OrderSide;
  readonly orderType: OrderType;
  /** Limit price; NaN (or omitted) for market orders. */
  readonly price?: BigNumber;
  /** Order amount in base. */
  readonly amount: BigNumber;
  /** Local time the order was created, ms since epoch. */
  readonly creationTimestamp: number;
  /** Defaults to `PENDING_CREATE`: orders are tracked before the request is sent. */
  readonly state?: OrderState;
  /** When the venue must stop honouring the order, ms since epoch (from `OrderOptions.expiresAt`). */
  readonly expiresAt?: number;
}

/** One fill of an order, as recorded from a {@link TradeUpdate}. */
export interface InFlightOrderFill {
  readonly tradeId: string;
  readonly price: BigNumber;
  readonly baseAmount: BigNumber;
  readonly quoteAmount: BigNumber;
  /** The fee the exchange reported for this fill (the first of `fees`). */
  readonly fee: TradeFee;
  /** Every fee of this fill, each with its asset: `fee` first, then the update's `additionalFees`. */
  readonly fees: readonly TradeFee[];
  /** Exchange time of the trade, ms since epoch. */
  readonly timestamp: number;
  readonly isMaker: boolean | undefined;
}

/** A {@link TradeFee} as plain JSON. */
export interface TradeFeeJson {
  amount: string;
  asset: string;
  kind?: TradeFee['kind'];
}

/** {@link InFlightOrderFill} as plain JSON (BigNumbers as decimal strings). */
export interface InFlightOrderFillJson {
  tradeId: string;
  price: string;
  baseAmount: string;
  quoteAmount: string;
  feeAmount: string;
  feeAsset: string;
  /** Kind of the first fee, when it is not `trading`. */
  feeKind?: TradeFee['kind'];
  /** The fill's fees after the first one, when there are any. */
  additionalFees?: TradeFeeJson[];
  timestamp: number;
  isMaker?: boolean;
}

/** {@link PreparedOrder} as plain JSON. */
export interface PreparedOrderJson {
  exchangeOrderId?: string;
  signature?: string;
  expiresAt?: number;
  payload?: Record<string, string>;
}

/**
 * The saved form of an {@link InFlightOrder}: plain JSON, BigNumbers as decimal
 * strings. Fills are an array (not an object keyed by trade id) because numeric
 * trade ids would otherwise be reordered by JavaScript's key ordering.
 */
export interface InFlightOrderJson {
  clientOrderId: string;
  exchangeOrderId?: string;
  tradingPair: string;
  baseAsset: string;
  quoteAsset: string;
  side: OrderSide;
  orderType: OrderType;
  /** `"NaN"` for market orders. */
  price: string;
  amount: string;
  creationTimestamp: number;
  state: OrderState;
  lastUpdateTimestamp: number;
  notFoundCount: number;
  /** Every fill seen, in arrival order: the seen trade ids survive a restart. */
  fills: InFlightOrderFillJson[];
  /** Largest cumulative executed amount the exchange reported. */
  reportedExecutedAmount?: string;
  /** Whether `BuyOrderCreated`/`SellOrderCreated` was emitted. */
  createdEventEmitted: boolean;
  /** Whether the terminal event (completed, cancelled, failure, expired) was emitted. */
  terminalEventEmitted: boolean;
  /** Local time the terminal event started waiting for missing fills. */
  awaitingFillsSince?: number;
  /** When the venue stops honouring the order, ms since epoch. */
  expiresAt?: number;
  /** What `prepareOrder` computed before sending (hash, signature, signed order). */
  prepared?: PreparedOrderJson;
}

const ORDER_STATES: ReadonlySet<string> = new Set<OrderState>([
  'PENDING_CREATE',
  'OPEN',
  'PARTIALLY_FILLED',
  'FILLED',
  'PENDING_CANCEL',
  'CANCELED',
  'FAILED',
  'EXPIRED',
]);
const OPEN_STATES: ReadonlySet<OrderState> = new Set<OrderState>([
  'OPEN',
  'PARTIALLY_FILLED',
  'PENDING_CANCEL',
]);
const ZERO = new BigNumber(0);

/**
 * How far executed may exceed the order amount and still count as the
 * exchange's rounding (relative, 1e-9): exchanges fill in their size step, so a
 * real overshoot is an impossible fill, not rounding.
 */
export const FILL_ROUNDING_TOLERANCE = new BigNumber('1e-9');

/**
 * A fill or order update core refused because it cannot be true: a fill that is
 * not positive, a price that is not, a negative fee, or more executed than the
 * order's amount. The order keeps its state and is reconciled by REST.
 */
export class ImpossibleUpdateError extends HbError {
  /** The order the update was about. */
  readonly clientOrderId: string;
  /** The refused fill's trade id, for a fill. */
  readonly tradeId: string | undefined;

  constructor(clientOrderId: string, tradeId: string | undefined, why: string) {
    super(
      'malformed_message',
      `order ${clientOrderId}: refused ${tradeId === undefined ? 'order update' : `fill ${tradeId}`}: ${why}`,
      { retryable: false },
    );
    this.name = 'ImpossibleUpdateError';
    this.clientOrderId = clientOrderId;
    this.tradeId = tradeId;
  }
}

function isFiniteAtLeast(v: BigNumber, min: number, strict: boolean): boolean {
  return v.isFinite() && (strict ? v.gt(min) : v.gte(min));
}

/**
 * One order we placed, from before its request is sent until its last fill.
 *
 * Markets and strategies read it; only {@link InFlightOrderTracker} changes it (the
 * mutating methods are public for the tracker's sake and keep the order's own
 * invariants: terminal states never change, a trade id counts once).
 * Executed amounts and fees are sums over the recorded fills, so they can never
 * disagree with the fills that were reported to the user.
 */
export class InFlightOrder {
  /** Our id for the order, sent to the exchange. */
  readonly clientOrderId: string;
  /** `BASE-QUOTE`. */
  readonly tradingPair: string;
  readonly baseAsset: string;
  readonly quoteAsset: string;
  readonly side: OrderSide;
  readonly orderType: OrderType;
  /** Limit price; NaN for market orders. */
  readonly price: BigNumber;
  /** Order amount in base. */
  readonly amount: BigNumber;
  /** Local time the order was created, ms since epoch. */
  readonly creationTimestamp: number;
  /** When the venue stops honouring the order, ms since epoch; undefined when it does not expire. */
  readonly expiresAt: number | undefined;

  private _prepared: PreparedOrder | undefined;
  private _exchangeOrderId: string | undefined;
  private _state: OrderState;
  private _lastUpdateTimestamp: number;
  private _notFoundCount = 0;
  private readonly _fills = new Map<string, InFlightOrderFill>();
  private _executedBase = ZERO;
  private _executedQuote = ZERO;
  private readonly _fees = new Map<string, BigNumber>();
  private _reportedExecuted: BigNumber | undefined;
  private _createdEventEmitted = false;
  private _terminalEventEmitted = false;
  private _awaitingFillsSince: number | undefined;

  constructor(init: InFlightOrderInit) {
    this.clientOrderId = init.clientOrderId;
    this.tradingPair = init.tradingPair;
    const dash = init.tradingPair.indexOf('-');
    this.baseAsset = init.baseAsset ?? (dash > 0 ? init.tradingPair.slice(0, dash) : init.tradingPair);
    this.quoteAsset = init.quoteAsset ?? (dash > 0 ? init.tradingPair.slice(dash + 1) : '');
    this.side = init.side;
    this.orderType = init.orderType;
    this.price = init.price ?? new BigNumber(NaN);
    this.amount = init.amount;
    this.creationTimestamp = init.creationTimestamp;
    this.expiresAt = init.expiresAt;
    this._state = init.state ?? 'PENDING_CREATE';
    this._lastUpdateTimestamp = init.creationTimestamp;
    this._exchangeOrderId = init.exchangeOrderId;
  }

  /** The exchange's id for the order, once it told us. */
  get exchangeOrderId(): string | undefined {
    return this._exchangeOrderId;
  }

  /**
   * Sets the exchange's id. It can be set once: setting the same id again is a
   * no-op, a different one throws, because two ids for one order means the
   * updates are about different orders.
   */
  set exchangeOrderId(id: string | undefined) {
    if (id === undefined || id === this._exchangeOrderId) return;
    if (this._exchangeOrderId !== undefined) {
      throw new HbError(
        'malformed_message',
        `order ${this.clientOrderId} already has exchange order id ${this._exchangeOrderId}, not ${id}`,
        { retryable: false },
      );
    }
    this._exchangeOrderId = id;
  }

  /** What the connector's `prepareOrder` computed before sending (hash, signature, signed order), if it has that hook. */
  get prepared(): PreparedOrder | undefined {
    return this._prepared;
  }

  /**
   * Tracker bookkeeping: records the prepared order (once; a second call with a
   * different exchange order id throws like the id setter) and takes its id.
   */
  setPrepared(prepared: PreparedOrder): void {
    this.exchangeOrderId = prepared.exchangeOrderId;
    this._prepared = {
      ...prepared,
      ...(prepared.payload ? { payload: { ...prepared.payload } } : {}),
    };
  }

  /** Where the order is in its life cycle. */
  get state(): OrderState {
    return this._state;
  }

  /** Latest exchange time of an update or fill applied to the order (creation time before any). */
  get lastUpdateTimestamp(): number {
    return this._lastUpdateTimestamp;
  }

  /** Consecutive "order not found" answers since the last real update. */
  get notFoundCount(): number {
    return this._notFoundCount;
  }

  /** Fills keyed by exchange trade id, in arrival order. */
  get fills(): ReadonlyMap<string, InFlightOrderFill> {
    return this._fills;
  }

  /** Base amount filled so far (sum of the fills). */
  get executedBaseAmount(): BigNumber {
    return this._executedBase;
  }

  /** Quote amount filled so far (sum of the fills). */
  get executedQuoteAmount(): BigNumber {
    return this._executedQuote;
  }

  /** Fees charged so far, one entry per asset, in the order the assets first appeared. */
  get feesPaid(): TradeFee[] {
    return [...this._fees].map(([asset, amount]) => ({ asset, amount }));
  }

  /** Largest cumulative executed amount the exchange reported, if it ever did. */
  get reportedExecutedAmount(): BigNumber | undefined {
    return this._reportedExecuted;
  }

  /** Base amount the exchange says was executed but whose fills we have not seen (0 when none). */
  get missingFillAmount(): BigNumber {
    if (this._reportedExecuted === undefined) return ZERO;
    const missing = this._reportedExecuted.minus(this._executedBase);
    return missing.gt(0) ? missing : ZERO;
  }

  /** True once the order is in a terminal state (its terminal event may still wait for fills). */
  get isDone(): boolean {
    return isTerminalState(this._state);
  }

  /** True while the order is (as far as we know) resting on the exchange: OPEN, PARTIALLY_FILLED or PENDING_CANCEL. */
  get isOpen(): boolean {
    return OPEN_STATES.has(this._state);
  }

  /** Volume-weighted price of the fills; NaN before the first fill. Division rounds to BigNumber's DECIMAL_PLACES. */
  get averageExecutedPrice(): BigNumber {
    return this._executedBase.isZero() ? new BigNumber(NaN) : this._executedQuote.div(this._executedBase);
  }

  /** Base amount not yet filled (never negative). */
  get remainingAmount(): BigNumber {
    const rest = this.amount.minus(this._executedBase);
    return rest.gt(0) ? rest : ZERO;
  }

  /** Whether the order's Created event was emitted (tracker bookkeeping, saved with the order). */
  get createdEventEmitted(): boolean {
    return this._createdEventEmitted;
  }

  /** Whether the order's terminal event was emitted (tracker bookkeeping, saved with the order). */
  get terminalEventEmitted(): boolean {
    return this._terminalEventEmitted;
  }

  /** Local time the order's terminal event started waiting for missing fills, if it is waiting. */
  get awaitingFillsSince(): number | undefined {
    return this._awaitingFillsSince;
  }

  /** True when the order reached a terminal state but its terminal event waits for fills. */
  get isAwaitingFills(): boolean {
    return this.isDone && !this._terminalEventEmitted;
  }

  /**
   * Why a fill cannot be true of this order, or undefined when it can: base
   * amount and price finite and > 0, quote amount and fee finite and >= 0, and
   * executed plus this fill at most the order amount (within
   * {@link FILL_ROUNDING_TOLERANCE}). A trade id seen before is not an error
   * here (it is a harmless duplicate).
   */
  checkTrade(update: TradeUpdate): ImpossibleUpdateError | undefined {
    if (this._fills.has(update.tradeId)) return undefined;
    const refuse = (why: string) => new ImpossibleUpdateError(this.clientOrderId, update.tradeId, why);
    if (update.tradeId === '') return refuse('empty trade id');
    if (!isFiniteAtLeast(update.fillBaseAmount, 0, true))
      return refuse(`base amount ${update.fillBaseAmount.toFixed()} is not positive`);
    if (!isFiniteAtLeast(update.fillPrice, 0, true))
      return refuse(`price ${update.fillPrice.toFixed()} is not positive`);
    if (!isFiniteAtLeast(update.fillQuoteAmount, 0, false))
      return refuse(`quote amount ${update.fillQuoteAmount.toFixed()} is negative or not finite`);
    for (const fee of [update.fee, ...(update.additionalFees ?? [])])
      if (!isFiniteAtLeast(fee.amount, 0, false))
        return refuse(`fee ${fee.amount.toFixed()} ${fee.asset} is negative or not finite`);
    const executed = this._executedBase.plus(update.fillBaseAmount);
    if (this.exceedsAmount(executed))
      return refuse(`executed would be ${executed.toFixed()} of an order of ${this.amount.toFixed()}`);
    return undefined;
  }

  /** Why a reported cumulative executed amount cannot be true of this order, or undefined. */
  checkReportedExecutedAmount(amount: BigNumber): ImpossibleUpdateError | undefined {
    if (!isFiniteAtLeast(amount, 0, false))
      return new ImpossibleUpdateError(
        this.clientOrderId,
        undefined,
        `executed ${amount.toFixed()} is not >= 0`,
      );
    if (this.exceedsAmount(amount)) {
      return new ImpossibleUpdateError(
        this.clientOrderId,
        undefined,
        `executed ${amount.toFixed()} exceeds the order amount ${this.amount.toFixed()}`,
      );
    }
    return undefined;
  }

  private exceedsAmount(executed: BigNumber): boolean {
    if (!this.amount.isFinite()) return false;
    return executed.gt(this.amount.times(FILL_ROUNDING_TOLERANCE.plus(1)));
  }

  /**
   * Records a fill. Returns false, changing nothing, when its trade id was seen
   * before: that is what makes stream + poll + replay safe. Throws an
   * {@link ImpossibleUpdateError}, changing nothing, for a fill {@link checkTrade} refuses.
   */
  applyTrade(update: TradeUpdate): boolean {
    if (this._fills.has(update.tradeId)) return false;
    const refused = this.checkTrade(update);
    if (refused) throw refused;
    const fees = [update.fee, ...(update.additionalFees ?? [])].map(copyFee);
    this._fills.set(update.tradeId, {
      tradeId: update.tradeId,
      price: update.fillPrice,
      baseAmount: update.fillBaseAmount,
      quoteAmount: update.fillQuoteAmount,
      fee: fees[0]!,
      fees,
      timestamp: update.timestamp,
      isMaker: update.isMaker,
    });
    this.addToTotals(update.fillBaseAmount, update.fillQuoteAmount, fees);
    this.touch(update.timestamp);
    return true;
  }

  /** Moves the order to `state`. Returns false, changing nothing, when the order is already terminal. */
  setState(state: OrderState): boolean {
    if (this.isDone) return false;
    this._state = state;
    return true;
  }

  /** Advances the last update time (it never goes back). */
  touch(timestamp: number): void {
    if (timestamp > this._lastUpdateTimestamp) this._lastUpdateTimestamp = timestamp;
  }

  /** Notes a cumulative executed amount the exchange reported; only the largest is kept. */
  noteReportedExecutedAmount(amount: BigNumber): void {
    if (!amount.isFinite()) return;
    if (this._reportedExecuted === undefined || amount.gt(this._reportedExecuted))
      this._reportedExecuted = amount;
  }

  /** Counts one "order not found" answer and returns the new count. */
  incrementNotFound(): number {
    this._notFoundCount += 1;
    return this._notFoundCount;
  }

  /** Clears the "not found" count; returns whether it was non-zero. */
  resetNotFound(): boolean {
    const had = this._notFoundCount !== 0;
    this._notFoundCount = 0;
    return had;
  }

  /** Tracker bookkeeping: the Created event went out. */
  markCreatedEventEmitted(): void {
    this._createdEventEmitted = true;
  }

  /** Tracker bookkeeping: the terminal event went out, nothing is awaited any more. */
  markTerminalEventEmitted(): void {
    this._terminalEventEmitted = true;
    this._awaitingFillsSince = undefined;
  }

  /** Tracker bookkeeping: the terminal event waits for fills since `since` (local ms). */
  markAwaitingFills(since: number): void {
    if (this._awaitingFillsSince === undefined) this._awaitingFillsSince = since;
  }

  /** The saved form; see {@link InFlightOrderJson}. */
  toJSON(): InFlightOrderJson {
    const json: InFlightOrderJson = {
      clientOrderId: this.clientOrderId,
      tradingPair: this.tradingPair,
      baseAsset: this.baseAsset,
      quoteAsset: this.quoteAsset,
      side: this.side,
      orderType: this.orderType,
      price: this.price.toFixed(),
      amount: this.amount.toFixed(),
      creationTimestamp: this.creationTimestamp,
      state: this._state,
      lastUpdateTimestamp: this._lastUpdateTimestamp,
      notFoundCount: this._notFoundCount,
      fills: [...this._fills.values()].map((f) => {
        const fill: InFlightOrderFillJson = {
          tradeId: f.tradeId,
          price: f.price.toFixed(),
          baseAmount: f.baseAmount.toFixed(),
          quoteAmount: f.quoteAmount.toFixed(),
          feeAmount: f.fee.amount.toFixed(),
          feeAsset: f.fee.asset,
          timestamp: f.timestamp,
        };
        if (f.fee.kind !== undefined) fill.feeKind = f.fee.kind;
        if (f.fees.length > 1) fill.additionalFees = f.fees.slice(1).map(feeToJson);
        if (f.isMaker !== undefined) fill.isMaker = f.isMaker;
        return fill;
      }),
      createdEventEmitted: this._createdEventEmitted,
      terminalEventEmitted: this._terminalEventEmitted,
    };
    // Optional keys are omitted rather than set to undefined, so parse(stringify(x)) deep-equals x.
    if (this._exchangeOrderId !== undefined) json.exchangeOrderId = this._exchangeOrderId;
    if (this._reportedExecuted !== undefined) json.reportedExecutedAmount = this._reportedExecuted.toFixed();
    if (this._awaitingFillsSince !== undefined) json.awaitingFillsSince = this._awaitingFillsSince;
    if (this.expiresAt !== undefined) json.expiresAt = this.expiresAt;
    if (this._prepared !== undefined) {
      const p = this._prepared;
      const prepared: PreparedOrderJson = {};
      if (p.exchangeOrderId !== undefined) prepared.exchangeOrderId = p.exchangeOrderId;
      if (p.signature !== undefined) prepared.signature = p.signature;
      if (p.expiresAt !== undefined) prepared.expiresAt = p.expiresAt;
      if (p.payload !== undefined) prepared.payload = { ...p.payload };
      json.prepared = prepared;
    }
    return json;
  }

  /**
   * Rebuilds an order from its saved form. The input comes from disk, so it is
   * checked field by field; anything malformed throws an `HbError` (`malformed_message`).
   */
  static fromJSON(json: InFlightOrderJson): InFlightOrder {
    const j: unknown = json;
    if (typeof j !== 'object' || j === null) throw malformed('(unknown)', 'not an object');
    const r = j as Record<string, unknown>;
    const id = typeof r.clientOrderId === 'string' && r.clientOrderId !== '' ? r.clientOrderId : undefined;
    if (id === undefined) throw malformed('(unknown)', 'clientOrderId');
    const str = (k: string): string => {
      const v = r[k];
      if (typeof v !== 'string') throw malformed(id, k);
      return v;
    };
    const num = (k: string): number => {
      const v = r[k];
      if (typeof v !== 'number' || !Number.isFinite(v)) throw malformed(id, k);
      return v;
    };
    const bool = (k: string): boolean => {
      const v = r[k];
      if (typeof v !== 'boolean') throw malformed(id, k);
      return v;
    };
    const side = str('side');
    if (side !== 'buy' && side !== 'sell') throw malformed(id, 'side');
    const orderType = str('orderType');
    if (orderType !== 'limit' && orderType !== 'limit_maker' && orderType !== 'market')
      throw malformed(id, 'orderType');
    const state = str('state');
    if (!ORDER_STATES.has(state)) throw malformed(id, 'state');
    const exchangeOrderId = r.exchangeOrderId;
    if (exchangeOrderId !== undefined && typeof exchangeOrderId !== 'string')
      throw malformed(id, 'exchangeOrderId');
    const expiresAt = r.expiresAt === undefined ? undefined : num('expiresAt');

    const order = new InFlightOrder({
      clientOrderId: id,
      exchangeOrderId,
      tradingPair: str('tradingPair'),
      baseAsset: str('baseAsset'),
      quoteAsset: str('quoteAsset'),
      side,
      orderType,
      price: decimal(id, 'price', str('price'), true),
      amount: decimal(id, 'amount', str('amount'), false),
      creationTimestamp: num('creationTimestamp'),
      state: state as OrderState,
      expiresAt,
    });
    if (r.prepared !== undefined) order._prepared = preparedFromJson(id, r.prepared);
    order._lastUpdateTimestamp = num('lastUpdateTimestamp');
    order._notFoundCount = num('notFoundCount');
    order._createdEventEmitted = bool('createdEventEmitted');
    order._terminalEventEmitted = bool('terminalEventEmitted');
    if (r.reportedExecutedAmount !== undefined) {
      order._reportedExecuted = decimal(id, 'reportedExecutedAmount', str('reportedExecutedAmount'), false);
    }
    if (r.awaitingFillsSince !== undefined) order._awaitingFillsSince = num('awaitingFillsSince');

    if (!Array.isArray(r.fills)) throw malformed(id, 'fills');
    for (const f of r.fills as unknown[]) {
      if (typeof f !== 'object' || f === null) throw malformed(id, 'fills[]');
      const fr = f as Record<string, unknown>;
      const fs = (k: string): string => {
        const v = fr[k];
        if (typeof v !== 'string') throw malformed(id, `fills[].${k}`);
        return v;
      };
      if (typeof fr.timestamp !== 'number') throw malformed(id, 'fills[].timestamp');
      if (fr.isMaker !== undefined && typeof fr.isMaker !== 'boolean') throw malformed(id, 'fills[].isMaker');
      const tradeId = fs('tradeId');
      if (order._fills.has(tradeId)) throw malformed(id, `fills[] repeats trade id ${tradeId}`);
      const first = feeFromJson(id, {
        amount: fr.feeAmount,
        asset: fr.feeAsset,
        ...(fr.feeKind !== undefined ? { kind: fr.feeKind } : {}),
      });
      if (fr.additionalFees !== undefined && !Array.isArray(fr.additionalFees))
        throw malformed(id, 'fills[].additionalFees');
      const fees = [
        first,
        ...((fr.additionalFees as unknown[] | undefined) ?? []).map((x) => feeFromJson(id, x)),
      ];
      const fill: InFlightOrderFill = {
        tradeId,
        price: decimal(id, 'fills[].price', fs('price'), false),
        baseAmount: decimal(id, 'fills[].baseAmount', fs('baseAmount'), false),
        quoteAmount: decimal(id, 'fills[].quoteAmount', fs('quoteAmount'), false),
        fee: first,
        fees,
        timestamp: fr.timestamp,
        isMaker: fr.isMaker,
      };
      order._fills.set(tradeId, fill);
      order.addToTotals(fill.baseAmount, fill.quoteAmount, fees);
    }
    return order;
  }

  private addToTotals(base: BigNumber, quote: BigNumber, fees: readonly TradeFee[]): void {
    this._executedBase = this._executedBase.plus(base);
    this._executedQuote = this._executedQuote.plus(quote);
    for (const fee of fees) this._fees.set(fee.asset, (this._fees.get(fee.asset) ?? ZERO).plus(fee.amount));
  }
}

/**
 * What a user sees of an in-flight order: every reading member and none of the
 * tracker's mutators. Markets hand orders out under this type; only core
 * ({@link InFlightOrderTracker}) changes them.
 */
export type ReadonlyInFlightOrder = Omit<
  InFlightOrder,
  | 'exchangeOrderId'
  | 'setPrepared'
  | 'applyTrade'
  | 'setState'
  | 'touch'
  | 'noteReportedExecutedAmount'
  | 'incrementNotFound'
  | 'resetNotFound'
  | 'markCreatedEventEmitted'
  | 'markTerminalEventEmitted'
  | 'markAwaitingFills'
> & {
  /** The exchange's id for the order, once it told us (or, on-chain, once the order was prepared). */
  readonly exchangeOrderId: string | undefined;
};

const FEE_KINDS: ReadonlySet<unknown> = new Set(['trading', 'protocol', 'gas']);

function copyFee(fee: TradeFee): TradeFee {
  return fee.kind === undefined
    ? { amount: fee.amount, asset: fee.asset }
    : { amount: fee.amount, asset: fee.asset, kind: fee.kind };
}

function feeToJson(fee: TradeFee): TradeFeeJson {
  const json: TradeFeeJson = { amount: fee.amount.toFixed(), asset: fee.asset };
  if (fee.kind !== undefined) json.kind = fee.kind;
  return json;
}

function feeFromJson(clientOrderId: string, value: unknown): TradeFee {
  if (typeof value !== 'object' || value === null) throw malformed(clientOrderId, 'fills[] fee');
  const r = value as Record<string, unknown>;
  if (typeof r.amount !== 'string') throw malformed(clientOrderId, 'fills[] fee amount');
  if (typeof r.asset !== 'string') throw malformed(clientOrderId, 'fills[] fee asset');
  if (r.kind !== undefined && !FEE_KINDS.has(r.kind)) throw malformed(clientOrderId, 'fills[] fee kind');
  const amount = decimal(clientOrderId, 'fills[] fee amount', r.amount, false);
  return r.kind === undefined
    ? { amount, asset: r.asset }
    : { amount, asset: r.asset, kind: r.kind as TradeFee['kind'] };
}

function preparedFromJson(clientOrderId: string, value: unknown): PreparedOrder {
  if (typeof value !== 'object' || value === null) throw malformed(clientOrderId, 'prepared');
  const r = value as Record<string, unknown>;
  const optString = (k: string): string | undefined => {
    if (r[k] !== undefined && typeof r[k] !== 'string') throw malformed(clientOrderId, `prepared.${k}`);
    return r[k] as string | undefined;
  };
  if (r.expiresAt !== undefined && (typeof r.expiresAt !== 'number' || !Number.isFinite(r.expiresAt)))
    throw malformed(clientOrderId, 'prepared.expiresAt');
  let payload: Record<string, string> | undefined;
  if (r.payload !== undefined) {
    if (typeof r.payload !== 'object' || r.payload === null)
      throw malformed(clientOrderId, 'prepared.payload');
    payload = {};
    for (const [k, v] of Object.entries(r.payload)) {
      if (typeof v !== 'string') throw malformed(clientOrderId, `prepared.payload.${k}`);
      payload[k] = v;
    }
  }
  const exchangeOrderId = optString('exchangeOrderId');
  const signature = optString('signature');
  return {
    ...(exchangeOrderId !== undefined ? { exchangeOrderId } : {}),
    ...(signature !== undefined ? { signature } : {}),
    ...(r.expiresAt !== undefined ? { expiresAt: r.expiresAt as number } : {}),
    ...(payload !== undefined ? { payload } : {}),
  };
}

function malformed(clientOrderId: string, field: string): HbError {
  return new HbError('malformed_message', `saved in-flight order ${clientOrderId}: bad or missing ${field}`, {
    retryable: false,
  });
}

function decimal(clientOrderId: string, field: string, text: string, nanAllowed: boolean): BigNumber {
  let v: BigNumber;
  try {
    v = new BigNumber(text);
  } catch {
    // BigNumber throws instead of returning NaN when its DEBUG mode is on.
    throw malformed(clientOrderId, field);
  }
  if (v.isNaN() && !(nanAllowed && text === 'NaN')) throw malformed(clientOrderId, field);
  return v;
}

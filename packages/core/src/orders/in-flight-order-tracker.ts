import { Subject, type Observable } from 'rxjs';
import { HbError } from '../errors/hb-error.js';
import type { MarketEvent } from '../market/market-events.js';
import { InFlightOrder, type ImpossibleUpdateError, type InFlightOrderJson } from './in-flight-order.js';
import {
  isTerminalState,
  type OrderState,
  type OrderUpdate,
  type PreparedOrder,
  type TradeUpdate,
} from './order-types.js';

/** Options of {@link InFlightOrderTracker}. */
export interface InFlightOrderTrackerOptions {
  /** Local clock, ms since epoch; stamps events. Default `Date.now`. */
  readonly now?: () => number;
  /** Consecutive "order not found" answers that fail an order. Default 3. */
  readonly notFoundLimit?: number;
  /** Finished orders kept (newest first) so late duplicates are still recognised. Default 1000. */
  readonly recentDoneLimit?: number;
  /**
   * How long a terminal event may wait for missing fills before
   * {@link InFlightOrderTracker.releaseOverdueOrders} emits it anyway. Default 5 minutes.
   */
  readonly fillWaitTimeoutMs?: number;
}

/** Counters of updates the tracker did not apply; useful in status output and tests. */
export interface InFlightOrderTrackerStats {
  /** Order updates that matched no tracked or recently finished order. */
  readonly unknownOrderUpdates: number;
  /** Trade updates that matched no tracked or recently finished order. */
  readonly unknownTradeUpdates: number;
  /** Trade updates whose trade id had been seen already. */
  readonly duplicateTradeUpdates: number;
  /** Order updates that could not move the order (terminal already, or older than its state). */
  readonly staleOrderUpdates: number;
  /** Updates whose exchange order id contradicts the one the order already has. */
  readonly conflictingUpdates: number;
  /** Fills and order updates refused as impossible (see {@link InFlightOrder.checkTrade}). */
  readonly refusedUpdates: number;
}

/** An update the tracker refused as impossible; the market reconciles the order by REST. */
export interface RefusedUpdate {
  readonly clientOrderId: string;
  readonly error: ImpossibleUpdateError;
}

type MutableStats = { -readonly [K in keyof InFlightOrderTrackerStats]: InFlightOrderTrackerStats[K] };

/**
 * Rank of the non-terminal states. Updates from the stream and from REST polls
 * arrive in any order, so a state only moves forward: an OPEN poll answer that
 * arrives after a PARTIALLY_FILLED stream event does not move the order back.
 */
const RANK: Readonly<Record<OrderState, number>> = {
  PENDING_CREATE: 0,
  OPEN: 1,
  PARTIALLY_FILLED: 2,
  PENDING_CANCEL: 3,
  FILLED: 4,
  CANCELED: 4,
  FAILED: 4,
  EXPIRED: 4,
};

/**
 * The one place that moves order state and emits market events.
 *
 * Connectors only parse what the exchange says into {@link OrderUpdate} and
 * {@link TradeUpdate}; the user stream and the REST polls both feed them here, as
 * often and in whatever order they come. The tracker guarantees, per order:
 * - `BuyOrderCreated`/`SellOrderCreated` at most once, before any `OrderFilled`;
 * - `OrderFilled` exactly once per exchange trade id (seen ids are saved with the order);
 * - exactly one terminal event (`*OrderCompleted`, `OrderCancelled`, `OrderExpired`,
 *   `OrderFailure`), held back while the exchange reports more executed amount
 *   than the fills we have seen (those orders are listed in {@link ordersAwaitingFills});
 * - terminal states never change; fills that come after one are still reported.
 *
 * Events of one call are emitted after all of its state changes, then
 * {@link changes$} emits the order so a market can persist it.
 */
export class InFlightOrderTracker {
  /** Every market event, in order. */
  readonly events$: Observable<MarketEvent>;
  /** An order, after any change to its saved state. */
  readonly changes$: Observable<InFlightOrder>;
  /** Updates refused as impossible: the order is unchanged and should be reconciled. */
  readonly refusals$: Observable<RefusedUpdate>;

  private readonly eventsSubject = new Subject<MarketEvent>();
  private readonly changesSubject = new Subject<InFlightOrder>();
  private readonly now: () => number;
  private readonly notFoundLimit: number;
  private readonly recentDoneLimit: number;
  private readonly fillWaitTimeoutMs: number;
  /** Orders not finished yet (active, or terminal with their terminal event pending). */
  private readonly tracked = new Map<string, InFlightOrder>();
  /** Finished orders, oldest first (Map insertion order), bounded by recentDoneLimit. */
  private readonly recentDone = new Map<string, InFlightOrder>();
  /** Exchange order id -> orders carrying it (ids are unique per pair only on some exchanges). */
  private readonly byExchangeId = new Map<string, InFlightOrder[]>();
  private readonly counters: MutableStats = {
    unknownOrderUpdates: 0,
    unknownTradeUpdates: 0,
    duplicateTradeUpdates: 0,
    staleOrderUpdates: 0,
    conflictingUpdates: 0,
    refusedUpdates: 0,
  };
  private readonly refusalsSubject = new Subject<RefusedUpdate>();

  constructor(options: InFlightOrderTrackerOptions = {}) {
    this.now = options.now ?? Date.now;
    this.notFoundLimit = options.notFoundLimit ?? 3;
    this.recentDoneLimit = options.recentDoneLimit ?? 1000;
    this.fillWaitTimeoutMs = options.fillWaitTimeoutMs ?? 5 * 60_000;
    this.events$ = this.eventsSubject.asObservable();
    this.changes$ = this.changesSubject.asObservable();
    this.refusals$ = this.refusalsSubject.asObservable();
  }

  /**
   * Why an update cannot be true of the order it names, or undefined when it can
   * (or names no known order). Lets a market refuse a whole frame before applying
   * any of it.
   */
  checkUpdate(
    update: { kind: 'trade'; update: TradeUpdate } | { kind: 'order'; update: OrderUpdate },
  ): ImpossibleUpdateError | undefined {
    const u = update.update;
    const order = this.find(u.clientOrderId, u.exchangeOrderId, u.tradingPair);
    if (!order) return undefined;
    if (update.kind === 'trade') return order.checkTrade(update.update);
    const cumulative = update.update.cumulativeFilledAmount;
    return cumulative === undefined ? undefined : order.checkReportedExecutedAmount(cumulative);
  }

  /** Counts a refusal and reports it on {@link refusals$}. */
  private refuse(error: ImpossibleUpdateError): void {
    this.counters.refusedUpdates += 1;
    this.refusalsSubject.next({ clientOrderId: error.clientOrderId, error });
  }

  /** A snapshot of the counters of updates that were not applied. */
  get stats(): InFlightOrderTrackerStats {
    return { ...this.counters };
  }

  /**
   * Starts tracking a new order, normally in PENDING_CREATE and before its request
   * is sent, so a crash mid-request still leaves it to be reconciled. Emits it on
   * {@link changes$}. A client order id already known to the tracker throws.
   */
  startTracking(order: InFlightOrder): void {
    if (this.tracked.has(order.clientOrderId) || this.recentDone.has(order.clientOrderId)) {
      throw new HbError('invalid_order', `client order id ${order.clientOrderId} is already tracked`, {
        retryable: false,
      });
    }
    this.tracked.set(order.clientOrderId, order);
    if (order.exchangeOrderId !== undefined) this.indexExchangeId(order);
    this.changesSubject.next(order);
  }

  /** Forgets an order entirely; later updates for it are counted as unknown. */
  stopTracking(clientOrderId: string): void {
    const order = this.get(clientOrderId);
    if (!order) return;
    this.tracked.delete(clientOrderId);
    this.recentDone.delete(clientOrderId);
    this.unindexExchangeId(order);
  }

  /** The order with this client id, tracked or recently finished. */
  get(clientOrderId: string): InFlightOrder | undefined {
    return this.tracked.get(clientOrderId) ?? this.recentDone.get(clientOrderId);
  }

  /**
   * The order with this exchange id. Some exchanges number orders per pair, so
   * pass `tradingPair` to tell such orders apart; without it the first match wins.
   */
  getByExchangeOrderId(id: string, tradingPair?: string): InFlightOrder | undefined {
    const list = this.byExchangeId.get(id);
    if (!list) return undefined;
    return tradingPair === undefined ? list[0] : list.find((o) => o.tradingPair === tradingPair);
  }

  /** Orders not in a terminal state (PENDING_CREATE, OPEN, PARTIALLY_FILLED, PENDING_CANCEL). */
  get activeOrders(): InFlightOrder[] {
    return [...this.tracked.values()].filter((o) => !o.isDone);
  }

  /** Every order the tracker knows: active, awaiting fills, and recently finished. */
  get allOrders(): InFlightOrder[] {
    return [...this.tracked.values(), ...this.recentDone.values()];
  }

  /**
   * Orders whose final state is known but whose fills are not all in yet; the
   * market fetches their trades. Their terminal event is emitted when the fills
   * add up, or by {@link releaseOverdueOrders} after the wait timeout.
   */
  get ordersAwaitingFills(): InFlightOrder[] {
    return [...this.tracked.values()].filter((o) => o.isAwaitingFills);
  }

  /** Applies what the exchange says about an order's state. Safe to call with duplicates and stale answers. */
  processOrderUpdate(update: OrderUpdate): void {
    const order = this.find(update.clientOrderId, update.exchangeOrderId, update.tradingPair);
    if (!order) {
      this.counters.unknownOrderUpdates += 1;
      return;
    }
    if (update.cumulativeFilledAmount !== undefined) {
      const refused = order.checkReportedExecutedAmount(update.cumulativeFilledAmount);
      if (refused) {
        this.refuse(refused);
        return;
      }
    }
    if (!this.acceptExchangeId(order, update.exchangeOrderId)) return;
    const events: MarketEvent[] = [];
    let changed = order.resetNotFound();
    const before = order.lastUpdateTimestamp;
    order.touch(update.timestamp);
    changed ||= order.lastUpdateTimestamp !== before;
    if (update.cumulativeFilledAmount !== undefined) {
      const prev = order.reportedExecutedAmount;
      order.noteReportedExecutedAmount(update.cumulativeFilledAmount);
      changed ||= order.reportedExecutedAmount !== prev;
    }
    // An exchange id learnt late still counts as a change.
    changed = this.indexExchangeId(order) || changed;

    const target = update.newState;
    if (order.isDone) {
      // Terminal states never change (a held event is settled by fills, not by updates).
      this.counters.staleOrderUpdates += 1;
    } else if (target === 'PENDING_CREATE') {
      // Says nothing we did not know.
    } else if (target === 'FAILED') {
      order.setState('FAILED');
      changed = true;
      const why = update.reason ?? 'no reason given';
      this.terminate(
        order,
        events,
        new HbError('invalid_order', `order ${order.clientOrderId} rejected by the exchange: ${why}`, {
          retryable: false,
        }),
      );
    } else {
      // Any other state means the exchange has the order.
      this.ensureCreated(order, events);
      if (isTerminalState(target)) {
        // Without a cumulative amount, FILLED means the whole order.
        if (target === 'FILLED')
          order.noteReportedExecutedAmount(update.cumulativeFilledAmount ?? order.amount);
        order.setState(target);
        changed = true;
        this.terminate(order, events);
      } else if (RANK[target] > RANK[order.state]) {
        order.setState(target);
        changed = true;
      } else if (RANK[target] < RANK[order.state]) {
        this.counters.staleOrderUpdates += 1;
      }
    }
    this.publish(order, events, changed);
  }

  /** Applies one fill. A trade id already seen changes nothing, so replays are harmless. */
  processTradeUpdate(update: TradeUpdate): void {
    const order = this.find(update.clientOrderId, update.exchangeOrderId, update.tradingPair);
    if (!order) {
      this.counters.unknownTradeUpdates += 1;
      return;
    }
    const refused = order.checkTrade(update);
    if (refused) {
      this.refuse(refused);
      return;
    }
    if (!this.acceptExchangeId(order, update.exchangeOrderId)) return;
    const events: MarketEvent[] = [];
    let changed = order.resetNotFound();
    changed = this.indexExchangeId(order) || changed;
    if (!order.applyTrade(update)) {
      this.counters.duplicateTradeUpdates += 1;
      this.publish(order, events, changed);
      return;
    }
    changed = true;
    // A fill proves the exchange accepted the order, whatever we heard before.
    this.ensureCreated(order, events);
    events.push({
      type: 'OrderFilled',
      timestamp: this.now(),
      clientOrderId: order.clientOrderId,
      tradingPair: order.tradingPair,
      exchangeOrderId: order.exchangeOrderId,
      tradeId: update.tradeId,
      side: order.side,
      orderType: order.orderType,
      price: update.fillPrice,
      amount: update.fillBaseAmount,
      fee: update.fee,
      fees: order.fills.get(update.tradeId)?.fees ?? [update.fee],
      isMaker: update.isMaker,
    });
    if (!order.isDone) {
      if (order.executedBaseAmount.gte(order.amount)) {
        // Fills cannot exceed the order, so the order is filled even if no update said so yet.
        order.noteReportedExecutedAmount(order.executedBaseAmount);
        order.setState('FILLED');
        this.terminate(order, events);
      } else if (RANK[order.state] < RANK.PARTIALLY_FILLED) {
        order.setState('PARTIALLY_FILLED');
      }
    } else {
      this.settleIfComplete(order, events);
    }
    this.publish(order, events, changed);
  }

  /**
   * Counts an exchange's "order not found" answer. Right after creation an
   * exchange may not know an order yet, so only `notFoundLimit` consecutive
   * answers fail it (`OrderFailure`, reason `order_not_found`); any real update
   * resets the count. An order the exchange acknowledged (OPEN, PARTIALLY_FILLED,
   * or PENDING_CANCEL with its exchange id) ends CANCELED instead: it existed, and
   * now it is gone. Only the market's own lookups should call this, never on a
   * network error.
   */
  processOrderNotFound(clientOrderId: string): void {
    const order = this.tracked.get(clientOrderId);
    if (!order || order.isDone) return;
    const events: MarketEvent[] = [];
    const count = order.incrementNotFound();
    const acknowledged =
      order.state === 'OPEN' ||
      order.state === 'PARTIALLY_FILLED' ||
      (order.state === 'PENDING_CANCEL' && order.exchangeOrderId !== undefined);
    if (count >= this.notFoundLimit && acknowledged) {
      // The exchange had the order; now it is gone. Exchanges purge cancelled
      // orders without fills (Coinbase answers 404), so that is what happened,
      // whoever cancelled it (we did, or self-trade prevention, or another
      // session, with the stream's word of it lost): its fills, if any, still
      // arrive by trade id.
      this.processOrderUpdate({
        clientOrderId,
        exchangeOrderId: order.exchangeOrderId,
        tradingPair: order.tradingPair,
        newState: 'CANCELED',
        timestamp: this.now(),
        reason:
          order.state === 'PENDING_CANCEL'
            ? 'not found after a cancel request'
            : 'no longer listed by the exchange',
      });
      return;
    }
    if (count >= this.notFoundLimit) {
      order.setState('FAILED');
      this.terminate(
        order,
        events,
        new HbError(
          'order_not_found',
          `order ${clientOrderId} was not found on the exchange ${count} times in a row`,
          {
            retryable: false,
          },
        ),
      );
    }
    this.publish(order, events, true);
  }

  /**
   * Fails an order: the exchange's definitive rejection, or a trading rule that
   * refused it before sending. Never call it for an unknown outcome (timeout, 5xx).
   * An order already in a terminal state is left alone.
   */
  failOrder(clientOrderId: string, error: HbError): void {
    const order = this.tracked.get(clientOrderId);
    if (!order || order.isDone) return;
    const events: MarketEvent[] = [];
    order.setState('FAILED');
    this.terminate(order, events, error);
    this.publish(order, events, true);
  }

  /**
   * Records what the connector's `prepareOrder` computed before sending (the
   * order hash becomes the exchange order id) and emits the order on
   * {@link changes$}, so it is saved before any request leaves. An order that
   * already has a different exchange order id throws `malformed_message`.
   */
  recordPrepared(clientOrderId: string, prepared: PreparedOrder): void {
    const order = this.tracked.get(clientOrderId);
    if (!order || order.isDone) return;
    order.setPrepared(prepared);
    this.indexExchangeId(order);
    this.publish(order, [], true);
  }

  /** Notes that we asked the exchange to cancel the order (no event; the exchange's answer settles it). */
  markPendingCancel(clientOrderId: string): void {
    const order = this.tracked.get(clientOrderId);
    if (!order || order.isDone || order.state === 'PENDING_CANCEL') return;
    order.setState('PENDING_CANCEL');
    this.publish(order, [], true);
  }

  /**
   * Emits the held terminal event of every order that has waited for its fills
   * longer than `fillWaitTimeoutMs`, with the fills seen so far, so no wait is
   * endless. Fills that come later are still emitted. The market calls it from its
   * poll loop. Returns the orders released.
   */
  releaseOverdueOrders(): InFlightOrder[] {
    const now = this.now();
    const released: InFlightOrder[] = [];
    for (const order of this.ordersAwaitingFills) {
      const since = order.awaitingFillsSince;
      if (since === undefined || now - since < this.fillWaitTimeoutMs) continue;
      const events: MarketEvent[] = [];
      this.emitTerminal(order, events);
      this.publish(order, events, true);
      released.push(order);
    }
    return released;
  }

  /** The saved state of every order the tracker knows, keyed by client order id. */
  toJSON(): Record<string, InFlightOrderJson> {
    const out: Record<string, InFlightOrderJson> = {};
    for (const o of this.allOrders) out[o.clientOrderId] = o.toJSON();
    return out;
  }

  /**
   * Loads saved orders (from {@link toJSON}) without emitting events: what was
   * emitted before the restart is recorded in each order. Orders the tracker
   * already knows are kept as they are, since the in-memory copy is newer.
   */
  restore(states: Record<string, InFlightOrderJson>): void {
    for (const json of Object.values(states)) {
      const order = InFlightOrder.fromJSON(json);
      if (this.get(order.clientOrderId)) continue;
      if (order.isDone && order.terminalEventEmitted) this.addRecentDone(order);
      else this.tracked.set(order.clientOrderId, order);
      this.indexExchangeId(order);
    }
  }

  // ------------------------------------------------------------------ internals

  private find(
    clientOrderId: string | undefined,
    exchangeOrderId: string | undefined,
    tradingPair: string,
  ): InFlightOrder | undefined {
    if (clientOrderId !== undefined) {
      const byClient = this.get(clientOrderId);
      if (byClient) return byClient;
    }
    if (exchangeOrderId === undefined) return undefined;
    const list = this.byExchangeId.get(exchangeOrderId);
    if (!list) return undefined;
    return list.length === 1 ? list[0] : list.find((o) => o.tradingPair === tradingPair);
  }

  /** Takes the update's exchange id if the order has none; refuses the update if it contradicts the order's. */
  private acceptExchangeId(order: InFlightOrder, id: string | undefined): boolean {
    if (id === undefined || order.exchangeOrderId === id) return true;
    if (order.exchangeOrderId !== undefined) {
      this.counters.conflictingUpdates += 1;
      return false;
    }
    order.exchangeOrderId = id;
    return true;
  }

  /** Adds the order to the exchange-id index; returns true when it was not there yet. */
  private indexExchangeId(order: InFlightOrder): boolean {
    const id = order.exchangeOrderId;
    if (id === undefined) return false;
    const list = this.byExchangeId.get(id);
    if (!list) {
      this.byExchangeId.set(id, [order]);
      return true;
    }
    if (list.includes(order)) return false;
    list.push(order);
    return true;
  }

  private unindexExchangeId(order: InFlightOrder): void {
    const id = order.exchangeOrderId;
    if (id === undefined) return;
    const list = this.byExchangeId.get(id)?.filter((o) => o !== order);
    if (!list || list.length === 0) this.byExchangeId.delete(id);
    else this.byExchangeId.set(id, list);
  }

  /**
   * Emits Created once. An order can only be created on the exchange if the
   * exchange gave it an id; when no update has carried one yet the event has an
   * empty `exchangeOrderId` rather than being withheld (a fill must not wait).
   */
  private ensureCreated(order: InFlightOrder, events: MarketEvent[]): void {
    if (order.createdEventEmitted) return;
    order.markCreatedEventEmitted();
    events.push({
      type: order.side === 'buy' ? 'BuyOrderCreated' : 'SellOrderCreated',
      timestamp: this.now(),
      clientOrderId: order.clientOrderId,
      tradingPair: order.tradingPair,
      exchangeOrderId: order.exchangeOrderId,
      orderType: order.orderType,
      amount: order.amount,
      price: order.price,
    });
  }

  /**
   * Called when the order has just become terminal: emits its terminal event now
   * if every fill the exchange reported is in, otherwise holds it (the order is
   * then listed in ordersAwaitingFills). A failure is never held: it is our
   * verdict, not the exchange's account of executed amounts.
   */
  private terminate(order: InFlightOrder, events: MarketEvent[], error?: HbError): void {
    if (order.state !== 'FAILED' && order.missingFillAmount.gt(0)) {
      order.markAwaitingFills(this.now());
      return;
    }
    this.emitTerminal(order, events, error);
  }

  /** For a terminal order awaiting fills: emits the held event once the fills add up. */
  private settleIfComplete(order: InFlightOrder, events: MarketEvent[]): boolean {
    if (!order.isAwaitingFills || order.missingFillAmount.gt(0)) return false;
    this.emitTerminal(order, events);
    return true;
  }

  private emitTerminal(order: InFlightOrder, events: MarketEvent[], error?: HbError): void {
    if (order.terminalEventEmitted) return;
    order.markTerminalEventEmitted();
    const base = {
      timestamp: this.now(),
      clientOrderId: order.clientOrderId,
      tradingPair: order.tradingPair,
    };
    switch (order.state) {
      case 'FILLED':
        events.push({
          ...base,
          type: order.side === 'buy' ? 'BuyOrderCompleted' : 'SellOrderCompleted',
          exchangeOrderId: order.exchangeOrderId,
          orderType: order.orderType,
          baseAsset: order.baseAsset,
          quoteAsset: order.quoteAsset,
          executedBaseAmount: order.executedBaseAmount,
          executedQuoteAmount: order.executedQuoteAmount,
          fees: order.feesPaid,
        });
        break;
      case 'CANCELED':
        events.push({ ...base, type: 'OrderCancelled', exchangeOrderId: order.exchangeOrderId });
        break;
      case 'EXPIRED':
        events.push({ ...base, type: 'OrderExpired', exchangeOrderId: order.exchangeOrderId });
        break;
      case 'FAILED':
        events.push({
          ...base,
          type: 'OrderFailure',
          orderType: order.orderType,
          error:
            error ??
            new HbError('invalid_order', `order ${order.clientOrderId} failed`, { retryable: false }),
        });
        break;
      default:
        // Only reachable for a non-terminal state, which never gets here.
        break;
    }
  }

  /** Emits the call's events, then the change; moves a finished order to the recent-done cache. */
  private publish(order: InFlightOrder, events: readonly MarketEvent[], changed: boolean): void {
    if (order.isDone && order.terminalEventEmitted && this.tracked.get(order.clientOrderId) === order) {
      this.tracked.delete(order.clientOrderId);
      this.addRecentDone(order);
    }
    for (const e of events) this.eventsSubject.next(e);
    if (changed || events.length > 0) this.changesSubject.next(order);
  }

  private addRecentDone(order: InFlightOrder): void {
    this.recentDone.set(order.clientOrderId, order);
    while (this.recentDone.size > this.recentDoneLimit) {
      const oldest = this.recentDone.values().next().value;
      if (oldest === undefined) break;
      this.recentDone.delete(oldest.clientOrderId);
      this.unindexExchangeId(oldest);
    }
  }
}

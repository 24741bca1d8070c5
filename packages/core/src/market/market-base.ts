import BigNumber from 'bignumber.js';
import { Subject, Subscription, filter, merge, takeUntil, type Observable } from 'rxjs';
import { HbError, NotSupportedError, OrderRuleError, isHbError } from '../errors/hb-error.js';
import type { TradeMessage } from '../order-book/order-book-message.js';
import { latestIterable, queueIterable } from '../util/async-iterables.js';
import type {
  CancelOrderOptions,
  Candle,
  CandleInterval,
  CandleQuery,
  MarketDataKind,
  MyTrade,
  MyTradesQuery,
  OrderBookView,
  OrderSnapshot,
  PlaceOrderRequest,
  PublicTrade,
  Ticker,
  WatchOrderBookOptions,
  WatchStreamOptions,
} from './market-api.js';
import type { OrderBook } from '../order-book/order-book.js';
import type { OrderBookTracker, OrderBookTrackerStats } from '../order-book/order-book-tracker.js';
import {
  InFlightOrder,
  type InFlightOrderJson,
  type ReadonlyInFlightOrder,
} from '../orders/in-flight-order.js';
import { InFlightOrderTracker } from '../orders/in-flight-order-tracker.js';
import {
  EXCHANGE_BALANCE_RULE,
  type BalanceRule,
  type BalanceSource,
  type BalanceUpdate,
  type OpenOrder,
  type OrderOptions,
  type OrderSide,
  type OrderType,
  type OrderUpdate,
  type PreparedOrder,
  type TradeUpdate,
  type UserStreamUpdate,
} from '../orders/order-types.js';
import type { UserStreamTracker } from '../user-stream/user-stream-tracker.js';
import type { UserStreamEvent } from '../user-stream/user-stream-tracker-data-source.js';
import type { ConnectorCapabilities } from './capabilities.js';
import {
  isFatalStreamError,
  liveState,
  type LiveState,
  type LiveStatusChange,
  type MarketLiveStatus,
  type StreamErrorEvent,
} from './live-status.js';
import type { MarketEvent } from './market-events.js';
import { ProtocolError } from '../errors/protocol-error.js';
import type {
  CancellationResult,
  Market,
  MarketNotice,
  MarketRefusalStats,
  MarketReadinessPart,
  MarketStatus,
  SourcedBalance,
  TradeFeeEstimate,
} from './market.js';
import type { TradingRule } from './trading-rule.js';
import type { ClientOrderIdPolicy } from '../kit/client-order-ids.js';
import type { ReconnectBounds } from '../kit/endpoints.js';
import type { SocketTiming } from '../kit/socket-timing.js';
import type { SkippedSymbol } from '../kit/symbol-map.js';
import { checkOrder, quantizeOrderAmount, quantizeOrderPrice } from './trading-rule-checks.js';

/** Settings shared by every market. */
export interface MarketBaseOptions extends ReconnectBounds {
  /** Pairs to track, as `BASE-QUOTE`. */
  readonly tradingPairs: readonly string[];
  /** Wall clock in ms (injectable for tests). */
  readonly now?: () => number;
  /** How often to poll order status and balances while the user stream is down or silent. Default 5 s. */
  readonly fastPollIntervalMs?: number;
  /** How often to reconcile by REST while the user stream is healthy. Default 60 s. */
  readonly slowPollIntervalMs?: number;
  /** The user stream counts as silent after this long without a message. Default 30 s. */
  readonly userStreamSilenceMs?: number;
  /** A placement or cancel request that takes longer than this has an unknown outcome. Default 10 s. */
  readonly requestTimeoutMs?: number;
  /** How many consecutive "order not found" answers fail an order. Default 3. */
  readonly notFoundLimit?: number;
  /** Maker and taker fee rates used by `getFee` until the connector knows the account's own. */
  readonly defaultFees?: { readonly maker: BigNumber.Value; readonly taker: BigNumber.Value };
  /** When false, the market trades without a user stream even if the connector has one. */
  readonly useUserStream?: boolean;
  /**
   * A book whose stream says nothing for this long (ms) is checked against the
   * exchange and turns `stale` if the exchange moved on. Connectors pass it to
   * their tracker (`silenceTimeoutMs`). Default: the tracker's (15 s).
   */
  readonly bookSilenceTimeoutMs?: number;
  /**
   * A socket with no frame and no pong for this long (ms) is dead: dropped and
   * reopened, its books `stale` at once. Connectors pass it to their sockets.
   * Default: the connector's (within 30 s).
   */
  readonly socketDeadAfterMs?: number;
  /** Client pings on the connector's sockets this often (ms), where the exchange allows them. */
  readonly socketPingIntervalMs?: number;
  /**
   * Timeouts per operation, ms; each overrides the connector's default (see
   * `MarketBase.defaultTimeouts`), which overrides `requestTimeoutMs`. An
   * on-chain placement can take minutes, a CEX cancel should not.
   */
  readonly timeouts?: Partial<OperationTimeouts>;
  /**
   * Saves an order before its request is sent, after `prepareOrder` (when the
   * connector has it) signed it. Awaited: when it throws, nothing is sent and the
   * order fails. `trackingStateChanges$` still emits every change.
   */
  readonly persistOrder?: (order: InFlightOrderJson) => void | Promise<void>;
}

/** The liveness settings a connector passes on to its trackers and sockets. */
export interface LivenessOptions {
  readonly bookSilenceTimeoutMs?: number;
  readonly socketDeadAfterMs?: number;
  readonly socketPingIntervalMs?: number;
}

/** Trading rules and the symbols that could not be read, as `fetchTradingRules` may return them. */
export interface TradingRulesResult {
  readonly rules: readonly TradingRule[];
  readonly skipped: readonly SkippedSymbol[];
}

/** The operations of a market that wait on the venue, each with its own timeout. */
export type MarketOperation =
  'prepareOrder' | 'sendOrder' | 'sendCancel' | 'fetchOrderStatus' | 'fetchOrderTrades' | 'fetchBalances';

/** A timeout per {@link MarketOperation}, ms. */
export type OperationTimeouts = Readonly<Record<MarketOperation, number>>;

/** What a connector's `sendOrder` returns when the exchange accepted the order. */
export interface PlaceOrderResult {
  readonly exchangeOrderId: string;
  /** Exchange time of acceptance, ms. */
  readonly timestamp?: number;
  /** The order's state in the same answer (an immediately filled order says FILLED). */
  readonly update?: OrderUpdate;
  /** Fills reported in the same answer (Binance's FULL response). */
  readonly trades?: readonly TradeUpdate[];
}

/** A balance of one asset in one source, as the market knows it. */
interface BalanceEntry {
  total: BigNumber;
  available: BigNumber;
  /** Local time of the snapshot, to know which in-flight orders it already accounts for. */
  at: number;
}

/**
 * The trading half of a connector. Core owns the whole order life cycle here —
 * rule checks, tracking before sending, unknown outcomes, reconciliation, events —
 * and a connector only implements the protected hooks that talk to its exchange
 * and parse its answers.
 *
 * `TEvent` is the connector's raw user-stream event type.
 */
export abstract class MarketBase<TEvent = unknown> implements Market {
  /** The exchange's name (`binance`). */
  abstract readonly name: string;
  /** What this connector supports. */
  abstract readonly capabilities: ConnectorCapabilities;

  /** Pairs this market trades. */
  readonly tradingPairs: readonly string[];

  protected readonly orders: InFlightOrderTracker;
  protected readonly now: () => number;
  /** Liveness settings for the connector's trackers and sockets (see {@link MarketBaseOptions}). */
  protected readonly liveness: LivenessOptions;
  /** The user's reconnect backoff bounds for the connector's sockets. */
  private readonly reconnectBounds: ReconnectBounds;
  private readonly options: Required<
    Omit<
      MarketBaseOptions,
      | 'defaultFees'
      | 'now'
      | 'tradingPairs'
      | keyof LivenessOptions
      | keyof ReconnectBounds
      | 'timeouts'
      | 'persistOrder'
    >
  >;
  private readonly defaultFees: { maker: BigNumber; taker: BigNumber };

  private readonly rules = new Map<string, TradingRule>();
  /** Asset -> source -> balance. */
  private readonly balances = new Map<string, Map<BalanceSource, BalanceEntry>>();
  private readonly timeoutOverrides: Partial<OperationTimeouts>;
  private readonly persistOrder: MarketBaseOptions['persistOrder'];
  private readonly noticesSubject = new Subject<MarketNotice>();
  private readonly liveStatusSubject = new Subject<LiveStatusChange>();
  private readonly streamErrorsSubject = new Subject<StreamErrorEvent>();
  /** The first error retrying cannot fix (a refused key or subscription): readiness fails with it. */
  private fatalError: HbError | undefined;
  private userStreamState: LiveState | undefined;
  /** Replaced on every stop: a closed Subscription would drop whatever a restart adds to it. */
  private subscriptions = new Subscription();
  private orderBookTracker: OrderBookTracker | undefined;
  /** Typed without TEvent so that every market is assignable to `MarketBase`. */
  private userStreamTracker:
    Pick<UserStreamTracker<unknown>, 'lastMessageTime' | 'start' | 'stop'> | undefined;
  private running = false;
  private balancesLoaded = false;
  private pollTimer: ReturnType<typeof setTimeout> | undefined;
  private pollInFlight: Promise<void> | undefined;
  private lastPollAt = 0;
  private forcePoll = true;
  private userStreamHealthy = false;
  /** Orders whose placement request ended without a definitive answer. */
  private readonly placementUnknown = new Set<string>();
  private readonly pendingRequests = new Set<Promise<unknown>>();
  private clientIdCounter = 0;
  private framesRefused = 0;
  private readonly skipped = new Map<string, SkippedSymbol>();
  private refusedCredentials: HbError | undefined;
  /**
   * The exchange's client-order-id policy (`prefixedClientOrderIds`,
   * `uuidClientOrderIds`); core's own time-and-counter ids when undefined.
   */
  protected readonly clientOrderIds: ClientOrderIdPolicy | undefined = undefined;
  /** What `placeOrder` callers asked for before rounding, per client order id (most recent only). */
  private readonly requestedValues = new Map<string, OrderSnapshot['requested']>();
  /** Watchers per pair the market did not track itself, added on demand by `watchOrderBook`/`watchTrades`. */
  private readonly extraPairWatchers = new Map<string, number>();
  /** Emits on `stop()`: every `watch*` iteration ends then (a pending pull resolves done). */
  private readonly stopped = new Subject<void>();

  constructor(options: MarketBaseOptions) {
    this.tradingPairs = [...options.tradingPairs];
    this.now = options.now ?? Date.now;
    this.reconnectBounds = {
      reconnectMinDelayMs: options.reconnectMinDelayMs,
      reconnectMaxDelayMs: options.reconnectMaxDelayMs,
    };
    this.liveness = {
      bookSilenceTimeoutMs: options.bookSilenceTimeoutMs,
      socketDeadAfterMs: options.socketDeadAfterMs,
      socketPingIntervalMs: options.socketPingIntervalMs,
    };
    this.options = {
      fastPollIntervalMs: options.fastPollIntervalMs ?? 5_000,
      slowPollIntervalMs: options.slowPollIntervalMs ?? 60_000,
      userStreamSilenceMs: options.userStreamSilenceMs ?? 30_000,
      requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
      notFoundLimit: options.notFoundLimit ?? 3,
      useUserStream: options.useUserStream ?? true,
    };
    this.defaultFees = {
      maker: new BigNumber(options.defaultFees?.maker ?? '0.001'),
      taker: new BigNumber(options.defaultFees?.taker ?? '0.001'),
    };
    this.timeoutOverrides = { ...options.timeouts };
    this.persistOrder = options.persistOrder;
    this.orders = new InFlightOrderTracker({ now: this.now, notFoundLimit: this.options.notFoundLimit });
    // An impossible fill or update leaves the order's truth unknown: ask the exchange.
    this.orders.refusals$.subscribe((r) => {
      this.noticesSubject.next({ kind: 'update_refused', clientOrderId: r.clientOrderId, error: r.error });
      this.reconcileSoon();
    });
  }

  /** What the market refused from the wire so far. */
  get refusals(): MarketRefusalStats {
    return { framesRefused: this.framesRefused, updatesRefused: this.orders.stats.refusedUpdates };
  }

  /**
   * For connectors: a frame was refused whole at the wire. Counts it, reports a
   * `protocol_error` notice, and (for private channels, `reconcile`) asks the
   * exchange for the true state of every active order by REST. Market-data
   * channels re-sync their book through the tracker instead.
   */
  protected reportProtocolError(error: ProtocolError, reconcile = false): void {
    this.framesRefused += 1;
    this.noticesSubject.next({ kind: 'protocol_error', error });
    if (reconcile) this.reconcileSoon();
  }

  /**
   * A full reconciliation pass soon: at once unless one is running (its end
   * schedules the next), and at most about once a second when refusals repeat,
   * so a stream of bad frames cannot turn into a stream of REST calls.
   */
  private reconcileSoon(): void {
    this.forcePoll = true;
    if (!this.pollInFlight) this.schedulePoll(Math.min(1_000, this.options.fastPollIntervalMs));
  }

  // ---------------------------------------------------------------- hooks

  /** Fetches the exchange's trading rules for (at least) the market's pairs. */
  /**
   * Fetches the exchange's trading rules for (at least) the market's pairs.
   * Return the symbols that could not be read as `skipped` (core's
   * `loadSymbolList` does that): each is reported once as a `symbol_skipped`
   * notice instead of vanishing.
   */
  protected abstract fetchTradingRules(): Promise<TradingRule[] | TradingRulesResult>;
  /** Orders the exchange lists as open (one pair, or all), whoever placed them. */
  abstract fetchOpenOrders(tradingPair?: string): Promise<OpenOrder[]>;
  /** Fetches every balance of the account (absolute values). */
  protected abstract fetchBalances(): Promise<BalanceUpdate[]>;
  /**
   * Sends a new order. Resolve only on the exchange's acceptance; throw an
   * `HbError` otherwise. A throw whose `outcomeUnknown` is true leaves the order
   * in flight to be looked up by client order id.
   */
  protected abstract sendOrder(order: InFlightOrder): Promise<PlaceOrderResult>;
  /**
   * Asks the exchange to cancel an order (by client order id where the exchange
   * allows it). May return the order's update from the same answer.
   */
  protected abstract sendCancel(order: InFlightOrder): Promise<OrderUpdate | undefined>;
  /** Looks an order up (by client order id where possible); throws `HbError('order_not_found')` when absent. */
  protected abstract fetchOrderStatus(order: InFlightOrder): Promise<OrderUpdate>;
  /** Every fill of an order so far. */
  protected abstract fetchOrderTrades(order: InFlightOrder): Promise<TradeUpdate[]>;
  /** The public order-book tracker for the market's pairs. */
  protected abstract createOrderBookTracker(): OrderBookTracker;
  /** The private user-stream tracker, or undefined when the exchange has none or no keys are set. */
  protected abstract createUserStreamTracker(): UserStreamTracker<TEvent> | undefined;
  /** Parses one raw user-stream event; throws `HbError('malformed_message')` on a bad one. */
  protected abstract parseUserStreamEvent(event: TEvent): UserStreamUpdate[];
  /**
   * Cancels every open order of a pair in one call, for exchanges whose
   * capabilities say `cancelAll: 'native'`. The default cancels one by one.
   */
  protected cancelAllOnExchange?(tradingPair: string): Promise<void>;

  /** 24-hour statistics of a pair by REST; connectors with `marketData` including `ticker` implement it. */
  protected fetchTicker?(tradingPair: string): Promise<Ticker>;
  /** The most recent public trades of a pair by REST, oldest first. */
  protected fetchRecentTrades?(tradingPair: string, limit: number | undefined): Promise<PublicTrade[]>;
  /** Candles of a pair by REST, oldest first. */
  protected fetchCandles?(
    tradingPair: string,
    interval: CandleInterval,
    query: CandleQuery,
  ): Promise<Candle[]>;
  /** The account's own fills on a pair by REST, oldest first (needs keys). */
  protected fetchMyTrades?(tradingPair: string, query: MyTradesQuery): Promise<MyTrade[]>;

  /**
   * An order's fills from an endpoint that lists them by exchange order id:
   * the id is the order's, or read from a lookup by client order id when the
   * placement's answer never came; there is none (and so no fill) before the
   * exchange has the order. Such rows carry no client order id: ours is added,
   * so core matches a fill before it knows the exchange id.
   */
  protected async tradesByExchangeOrderId(
    order: InFlightOrder,
    fetch: (exchangeOrderId: string) => Promise<TradeUpdate[]>,
  ): Promise<TradeUpdate[]> {
    const exchangeOrderId = order.exchangeOrderId ?? (await this.fetchOrderStatus(order)).exchangeOrderId;
    if (exchangeOrderId === undefined) return [];
    const trades = await fetch(exchangeOrderId);
    return trades.map((t) => ({ ...t, clientOrderId: order.clientOrderId }));
  }

  /**
   * Whether the market has keys, so that readiness waits for the account
   * (balances, user stream) too. Default true; connectors whose keys are
   * optional override it.
   */
  protected hasAccount(): boolean {
    return true;
  }

  /**
   * The keep-alive and reconnect timing every socket of the connector gets:
   * the user's liveness options and reconnect bounds (each socket fills the
   * gaps with its exchange's defaults, see `wsTiming`).
   */
  protected socketTiming(): SocketTiming {
    return {
      pingIntervalMs: this.liveness.socketPingIntervalMs,
      deadAfterMs: this.liveness.socketDeadAfterMs,
      ...this.reconnectBounds,
    };
  }

  /**
   * Prepares an order before it is sent, for venues whose orders are signed
   * messages: computes the order hash (its exchange order id), signs it, fixes
   * its expiry. Core records the result on the order and has it saved
   * (`persistOrder`, `trackingStateChanges$`) before `sendOrder` runs; a throw
   * fails the order, since nothing was sent. CEX connectors leave it out.
   */
  protected prepareOrder?(order: ReadonlyInFlightOrder): Promise<PreparedOrder>;

  /**
   * The connector's timeouts per operation (an on-chain venue waits minutes for
   * a transaction); the market's `timeouts` option overrides them, and
   * `requestTimeoutMs` fills the rest.
   */
  protected defaultTimeouts(): Partial<OperationTimeouts> {
    return {};
  }

  /**
   * How this venue's balance sources make the amount free for new orders. The
   * default is the CEX rule (one exchange account; open orders lock funds).
   */
  protected balanceRule(): BalanceRule {
    return EXCHANGE_BALANCE_RULE;
  }

  /**
   * Readiness checks the connector adds to core's parts (`allowances_checked`);
   * `ready` needs every one of them true, and `status.missing` names those that are not.
   */
  protected readinessChecks(): Record<string, boolean> {
    return {};
  }

  /**
   * How long after it was signed a placement request can still be accepted by
   * the exchange (Binance: its `recvWindow`). While an order with an unknown
   * placement outcome is younger than this, a "not found" answer proves nothing
   * (a delayed request may still arrive and be filled), so it is not counted.
   * 0: the venue has no such window; "not found" counts at once.
   */
  protected placementAcceptanceWindowMs(): number {
    return 0;
  }

  /** The timeout of one operation, ms. */
  protected timeoutFor(operation: MarketOperation): number {
    return (
      this.timeoutOverrides[operation] ?? this.defaultTimeouts()[operation] ?? this.options.requestTimeoutMs
    );
  }

  /**
   * A fresh client order id. Override when the exchange constrains the format
   * (Coinbase wants a UUIDv4; Binance at most 36 of `[A-Za-z0-9_-]`).
   */
  protected newClientOrderId(side: OrderSide, tradingPair: string): string {
    if (this.clientOrderIds !== undefined) return this.clientOrderIds.create(side, tradingPair);
    this.clientIdCounter = (this.clientIdCounter + 1) % 1_000_000;
    return `hb${side === 'buy' ? 'B' : 'S'}${this.now().toString(36)}${this.clientIdCounter.toString(36).padStart(4, '0')}`;
  }

  // ---------------------------------------------------------------- public surface

  /** Every order event, exactly once per order and once per fill. */
  get events$(): Observable<MarketEvent> {
    return this.orders.events$;
  }

  /** Recoverable problems, for logs. */
  get notices$(): Observable<MarketNotice> {
    return this.noticesSubject.asObservable();
  }

  /** Emits each time an in-flight order changes: persist `trackingStates` on it. */
  get trackingStateChanges$(): Observable<ReadonlyInFlightOrder> {
    return this.orders.changes$;
  }

  /**
   * Every change of a book's or the user stream's live status (`syncing`,
   * `live`, `stale`), with the reason and the error behind a `stale`. Hot;
   * subscribe before {@link start} to see the first ones.
   */
  get liveStatus$(): Observable<LiveStatusChange> {
    return this.liveStatusSubject.asObservable();
  }

  /**
   * Typed errors of the market's streams, delivered, never dropped: a refused
   * subscription, an authentication failure of the user stream, a lost socket.
   * `fatal` ones stop the retries (and make {@link waitUntilReady} fail).
   */
  get streamErrors$(): Observable<StreamErrorEvent> {
    return this.streamErrorsSubject.asObservable();
  }

  /** Every book's live status and the user stream's, now. */
  get liveStatus(): MarketLiveStatus {
    const orderBooks: Record<string, LiveState> = {};
    for (const pair of this.tradingPairs) orderBooks[pair] = this.getBookStatus(pair);
    return { orderBooks, userStream: this.userStreamState };
  }

  /** One pair's book status (`syncing` before the market starts). */
  getBookStatus(tradingPair: string): LiveState {
    return (
      this.orderBookTracker?.getPairStatus(tradingPair) ?? liveState('syncing', this.now(), 'not started')
    );
  }

  /** The error that stopped a stream for good (authentication, refused subscription), if any. */
  get fatalStreamError(): HbError | undefined {
    return this.fatalError;
  }

  /** Starts trackers, loads rules and balances, and begins reconciliation. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.refusedCredentials = undefined;
    this.orderBookTracker = this.createOrderBookTracker();
    this.subscriptions.add(
      this.orderBookTracker.status$.subscribe(({ pair, state }) =>
        this.liveStatusSubject.next({ source: 'order_book', pair, state }),
      ),
    );
    this.subscriptions.add(
      this.orderBookTracker.events$.subscribe((e) => {
        if (e.type !== 'error') return;
        const error = toHbError(e.error);
        const fatal = e.fatal === true;
        if (fatal) this.fatalError ??= error;
        this.streamErrorsSubject.next({ source: 'order_book', pair: e.pair, error, fatal });
      }),
    );
    this.orderBookTracker.start();
    const userStream = this.options.useUserStream ? this.createUserStreamTracker() : undefined;
    if (userStream) {
      this.userStreamTracker = userStream;
      this.subscriptions.add(userStream.events$.subscribe((e) => this.onUserStreamEvent(e)));
      this.subscriptions.add(userStream.status$.subscribe((state) => this.onUserStreamStatus(state)));
      userStream.start();
    }
    await Promise.all([
      this.refreshTradingRules(),
      this.refreshBalances().catch((e) => this.notePollFailure(e)),
    ]);
    this.schedulePoll(0);
  }

  /** Stops every stream and timer. In-flight orders stay tracked (see `trackingStates`). */
  async stop(): Promise<void> {
    this.running = false;
    this.stopped.next();
    if (this.pollTimer) clearTimeout(this.pollTimer);
    this.pollTimer = undefined;
    this.subscriptions.unsubscribe();
    this.subscriptions = new Subscription();
    this.orderBookTracker?.stop();
    this.userStreamTracker?.stop();
    await Promise.allSettled([...this.pendingRequests, this.pollInFlight]);
  }

  /** The order-book tracker's counters (diffs applied and dropped, re-syncs); undefined before `start`. */
  get orderBookStats(): OrderBookTrackerStats | undefined {
    return this.orderBookTracker?.stats;
  }

  /** Whether every part the user asked for is initialised (see {@link status}). */
  get ready(): boolean {
    return this.status.missing.length === 0;
  }

  /** The readiness of each part (core's and the connector's), and which parts `ready` still waits for. */
  get status(): MarketStatus {
    const accountRequired = this.hasAccount();
    const tradingRulesInitialized = this.rules.size > 0 && this.tradingPairs.every((p) => this.rules.has(p));
    const accountBalanceInitialized = accountRequired && (this.balancesLoaded || this.balances.size > 0);
    const orderBooksInitialized = this.orderBookTracker?.ready ?? false;
    const userStreamInitialized =
      !this.options.useUserStream || !this.userStreamTracker || this.userStreamHealthy;
    const missing: MarketReadinessPart[] = [];
    if (!tradingRulesInitialized) missing.push('trading_rules');
    if (accountRequired && !accountBalanceInitialized) missing.push('account_balance');
    if (!orderBooksInitialized) missing.push('order_books');
    if (accountRequired && !userStreamInitialized) missing.push('user_stream');
    const connectorChecks = { ...this.readinessChecks() };
    for (const [check, ok] of Object.entries(connectorChecks)) if (!ok) missing.push(check);
    return {
      tradingRulesInitialized,
      accountBalanceInitialized,
      orderBooksInitialized,
      userStreamInitialized,
      accountRequired,
      missing,
      connectorChecks,
    };
  }

  /**
   * Resolves when `ready`; rejects with `HbError('timeout')` after `timeoutMs`,
   * naming what is missing (and, for books, how many pairs are not live).
   */
  async waitUntilReady(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.ready) {
      // A refused key or subscription will not get better by waiting.
      if (this.fatalError !== undefined) throw this.fatalError;
      if (Date.now() > deadline) {
        throw new HbError(
          'timeout',
          `${this.name}: market not ready after ${timeoutMs} ms: ${this.describeMissing()}`,
        );
      }
      await sleep(20);
    }
  }

  /** What `ready` waits for, in words: `order books (3 of 1000 pairs not live: A-B, C-D, E-F), user stream`. */
  private describeMissing(): string {
    return this.status.missing
      .map((part) => {
        if (part !== 'order_books') return part.replace('_', ' ');
        const tracker = this.orderBookTracker;
        if (tracker === undefined) return 'order books (not started)';
        const pending = tracker.tradingPairs.filter((p) => !tracker.isPairReady(p));
        const shown = pending.slice(0, 5).join(', ') + (pending.length > 5 ? ', ...' : '');
        return `order books (${pending.length} of ${tracker.tradingPairs.length} pairs not live: ${shown})`;
      })
      .join(', ');
  }

  /** Places a buy order; returns the client order id at once (placement is asynchronous). */
  buy(
    tradingPair: string,
    amount: BigNumber.Value,
    orderType: OrderType = 'limit',
    price?: BigNumber.Value,
    options?: OrderOptions,
  ): string {
    return this.createOrder('buy', tradingPair, amount, orderType, price, options);
  }

  /** Places a sell order; returns the client order id at once (placement is asynchronous). */
  sell(
    tradingPair: string,
    amount: BigNumber.Value,
    orderType: OrderType = 'limit',
    price?: BigNumber.Value,
    options?: OrderOptions,
  ): string {
    return this.createOrder('sell', tradingPair, amount, orderType, price, options);
  }

  /**
   * Asks the exchange to cancel an order. Resolves when the request is answered;
   * the `OrderCancelled` event follows when the exchange confirms (or a fill wins
   * the race, and `OrderFilled`/`...Completed` come instead).
   */
  async cancel(tradingPair: string, clientOrderId: string): Promise<void> {
    const order = this.orders.get(clientOrderId);
    if (!order || order.tradingPair !== tradingPair) {
      throw new HbError(
        'order_not_found',
        `${this.name}: no tracked order ${clientOrderId} on ${tradingPair}`,
      );
    }
    if (order.isDone) return;
    this.orders.markPendingCancel(clientOrderId);
    try {
      const update = await this.track(withTimeout(this.sendCancel(order), this.timeoutFor('sendCancel')));
      if (update) this.orders.processOrderUpdate(update);
    } catch (e) {
      const error = toHbError(e);
      this.noticesSubject.next({ kind: 'cancel_failed', clientOrderId, error });
      // Not found may mean filled or already cancelled: ask for the order's state now.
      this.forcePoll = true;
      this.schedulePoll(0);
      if (error.reason !== 'order_not_found') throw error;
    }
  }

  /**
   * Cancels every active order and waits up to `timeoutMs` for each to end.
   * Uses the exchange's own cancel-all where it has one.
   */
  async cancelAll(timeoutMs: number): Promise<CancellationResult[]> {
    const active = this.orders.activeOrders;
    const deadline = this.now() + timeoutMs;
    if (this.capabilities.cancelAll === 'native' && this.cancelAllOnExchange) {
      const pairs = [...new Set(active.map((o) => o.tradingPair))];
      for (const o of active) this.orders.markPendingCancel(o.clientOrderId);
      await Promise.allSettled(pairs.map((p) => this.track(this.cancelAllOnExchange!(p))));
      this.forcePoll = true;
      this.schedulePoll(0);
    } else {
      await Promise.allSettled(active.map((o) => this.cancel(o.tradingPair, o.clientOrderId)));
    }
    while (this.now() < deadline && active.some((o) => !o.isDone)) {
      await sleep(Math.min(50, Math.max(1, deadline - this.now())));
      if (active.some((o) => !o.isDone) && !this.pollInFlight) void this.pollNow();
    }
    return active.map((o) => ({ clientOrderId: o.clientOrderId, success: o.state === 'CANCELED' }));
  }

  /** Every order still tracked (active and recently finished); read-only: only core changes orders. */
  get inFlightOrders(): ReadonlyMap<string, ReadonlyInFlightOrder> {
    return new Map(this.orders.allOrders.map((o) => [o.clientOrderId, o]));
  }

  /** Orders not yet in a final state. */
  get activeOrders(): readonly ReadonlyInFlightOrder[] {
    return this.orders.activeOrders;
  }

  /** A JSON-able copy of every active order, to save and restore across a restart. */
  get trackingStates(): Record<string, InFlightOrderJson> {
    return this.orders.toJSON();
  }

  /** Restores orders saved from `trackingStates`; they are reconciled on the next poll. */
  restoreTrackingStates(states: Record<string, InFlightOrderJson>): void {
    this.orders.restore(states);
    for (const o of this.orders.activeOrders)
      if (o.state === 'PENDING_CREATE') this.placementUnknown.add(o.clientOrderId);
    this.forcePoll = true;
    if (this.running) this.schedulePoll(0);
  }

  /** The live book of a tracked pair. */
  getOrderBook(tradingPair: string): OrderBook {
    if (!this.orderBookTracker) throw new HbError('unavailable', `${this.name}: market not started`);
    return this.orderBookTracker.getOrderBook(tradingPair);
  }

  /** The trading rules known for each pair. */
  get tradingRules(): ReadonlyMap<string, TradingRule> {
    return this.rules;
  }

  /**
   * Total balance of an asset (0 when unknown): the venue's holding (the first
   * source of its balance rule: the exchange account, or the wallet on 0x
   * relayers), or the given source's.
   */
  getBalance(asset: string, source?: BalanceSource): BigNumber {
    const from = source ?? this.balanceRule().spendable[0];
    return this.balances.get(asset)?.get(from)?.total ?? new BigNumber(0);
  }

  /** What the market knows of an asset in each source (exchange, wallet, allowance, contract). */
  getBalanceSources(asset: string): ReadonlyMap<BalanceSource, SourcedBalance> {
    const out = new Map<BalanceSource, SourcedBalance>();
    for (const [source, e] of this.balances.get(asset) ?? [])
      out.set(source, { total: e.total, available: e.available });
    return out;
  }

  /**
   * Balance free for new orders, by the venue's balance rule: the least of the
   * spendable sources' available amounts (a wallet is capped by its allowance),
   * less, where open orders lock funds, what our orders placed since the oldest
   * of those snapshots will lock (the exchange has not told us yet).
   */
  getAvailableBalance(asset: string): BigNumber {
    const rule = this.balanceRule();
    const sources = this.balances.get(asset);
    if (!sources) return new BigNumber(0);
    let available: BigNumber | undefined;
    let at = Infinity;
    for (const source of rule.spendable) {
      const entry = sources.get(source);
      // A spendable source not known yet (allowance not read) frees nothing.
      if (!entry) return new BigNumber(0);
      available = available === undefined ? entry.available : BigNumber.min(available, entry.available);
      at = Math.min(at, entry.at);
    }
    if (available === undefined) return new BigNumber(0);
    if (!rule.openOrdersLock) return BigNumber.max(available, 0);
    for (const o of this.orders.activeOrders) {
      if (o.creationTimestamp < at) continue;
      if (o.side === 'sell' && o.baseAsset === asset) available = available.minus(o.remainingAmount);
      if (o.side === 'buy' && o.quoteAsset === asset && o.price.isFinite()) {
        available = available.minus(o.remainingAmount.times(o.price));
      }
    }
    return BigNumber.max(available, 0);
  }

  /** Every known balance, total and available. */
  getAllBalances(): Map<string, { total: BigNumber; available: BigNumber }> {
    const holding = this.balanceRule().spendable[0];
    return new Map(
      [...this.balances]
        .filter(([, sources]) => sources.has(holding))
        .map(([a]) => [a, { total: this.getBalance(a), available: this.getAvailableBalance(a) }]),
    );
  }

  /** Floors an amount to the pair's size step (0 when below the minimum size). */
  quantizeOrderAmount(tradingPair: string, amount: BigNumber.Value): BigNumber {
    return quantizeOrderAmount(this.requireRule(tradingPair), new BigNumber(amount));
  }

  /** Rounds a price to the pair's tick. */
  quantizeOrderPrice(tradingPair: string, price: BigNumber.Value): BigNumber {
    return quantizeOrderPrice(this.requireRule(tradingPair), new BigNumber(price));
  }

  /**
   * Estimated fee for an order: maker rate for a post-only order, taker rate for
   * a market order, and for a limit order maker unless its price crosses the book.
   */
  getFee(
    tradingPair: string,
    orderType: OrderType,
    side: OrderSide,
    price?: BigNumber.Value,
  ): TradeFeeEstimate {
    const rates = this.feeRates(tradingPair);
    let isMaker = orderType === 'limit_maker';
    if (orderType === 'limit' && price !== undefined && this.orderBookTracker) {
      const book = this.orderBookTracker.orderBooks.get(tradingPair);
      const p = new BigNumber(price).toNumber();
      isMaker = !book || (side === 'buy' ? !(p >= book.bestAsk) : !(p <= book.bestBid));
    }
    return { percent: isMaker ? rates.maker : rates.taker, isMaker };
  }

  /** The account's fee rates for a pair; connectors override once they know them. */
  protected feeRates(_tradingPair: string): { maker: BigNumber; taker: BigNumber } {
    return this.defaultFees;
  }

  /** Forces an immediate reconciliation by REST; resolves when it is done. */
  async pollNow(): Promise<void> {
    this.forcePoll = true;
    if (this.pollInFlight) await this.pollInFlight;
    await this.poll();
  }

  // ---------------------------------------------------------------- awaitable orders

  /**
   * Places an order and resolves once the exchange has accepted it (open, or
   * already filled), with the order's snapshot. Rejects with the typed error of a
   * definitive refusal: `InvalidOrderError` (an `OrderRuleError` when a trading rule
   * refused it before sending), `InsufficientFundsError`, `AuthenticationError`, ...
   * When the outcome is unknown (timeout, 5xx, dropped connection) the order stays
   * tracked and the promise settles when reconciliation learns the outcome.
   * Events still go to `events$` as for `buy`/`sell`.
   */
  placeOrder(request: PlaceOrderRequest): Promise<OrderSnapshot> {
    const { tradingPair, side } = request;
    const type = request.type ?? 'limit';
    const requested = {
      amount: new BigNumber(request.amount),
      price: request.price === undefined ? undefined : new BigNumber(request.price),
    };
    let amount = requested.amount;
    let price = requested.price;
    const rule = this.rules.get(tradingPair);
    if (request.round === true && rule !== undefined) {
      amount = quantizeOrderAmount(rule, amount);
      if (price !== undefined && type !== 'market') price = quantizeOrderPrice(rule, price, side);
    }
    return new Promise<OrderSnapshot>((resolve, reject) => {
      // Subscribed before the order exists: a refusal is emitted right after the id is known.
      let id: string | undefined;
      const early: MarketEvent[] = [];
      const settle = (e: MarketEvent): boolean => {
        if (e.clientOrderId !== id) return false;
        if (e.type === 'OrderFailure') reject(e.error);
        else resolve(this.snapshotOf(e.clientOrderId));
        return true;
      };
      const sub = this.orders.events$.subscribe((e) => {
        if (id === undefined) early.push(e);
        else if (settle(e)) sub.unsubscribe();
      });
      try {
        id = this.createOrder(
          side,
          tradingPair,
          amount,
          type,
          price,
          request.expiresAt === undefined ? undefined : { expiresAt: request.expiresAt },
        );
      } catch (e) {
        sub.unsubscribe();
        reject(toHbError(e));
        return;
      }
      this.rememberRequested(id, requested);
      if (early.some((e) => settle(e))) sub.unsubscribe();
    });
  }

  /**
   * Asks the exchange to cancel an order and resolves with its snapshot once the
   * order has ended: `CANCELED` normally, `FILLED` when a fill won the race.
   * Resolves at once for an order already ended. Rejects with an
   * `OrderNotFoundError` for an order this market does not track, with the
   * request's own error when the exchange refused it, or with a `TimeoutError`
   * after `timeoutMs` (the order stays tracked).
   */
  async cancelOrder(
    tradingPair: string,
    clientOrderId: string,
    options: CancelOrderOptions = {},
  ): Promise<OrderSnapshot> {
    const order = this.orders.get(clientOrderId);
    if (!order || order.tradingPair !== tradingPair) {
      throw new HbError(
        'order_not_found',
        `${this.name}: no tracked order ${clientOrderId} on ${tradingPair}`,
      );
    }
    if (order.isDone) return this.snapshotOf(clientOrderId);
    const timeoutMs = options.timeoutMs ?? 30_000;
    let sub: Subscription | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ended = new Promise<OrderSnapshot>((resolve, reject) => {
      sub = this.orders.events$.subscribe((e) => {
        if (e.clientOrderId === clientOrderId && TERMINAL_EVENTS.has(e.type)) {
          resolve(this.snapshotOf(clientOrderId));
        }
      });
      timer = setTimeout(
        () =>
          reject(
            new HbError(
              'timeout',
              `${this.name}: cancel of ${clientOrderId} not confirmed within ${timeoutMs} ms`,
            ),
          ),
        timeoutMs,
      );
    });
    try {
      await Promise.race([this.cancel(tradingPair, clientOrderId).then(() => ended), ended]);
      return await ended;
    } finally {
      sub?.unsubscribe();
      if (timer !== undefined) clearTimeout(timer);
    }
  }

  /** The current state of a tracked order as plain values; throws `OrderNotFoundError` when it is not tracked. */
  getOrderSnapshot(clientOrderId: string): OrderSnapshot {
    return this.snapshotOf(clientOrderId);
  }

  // ---------------------------------------------------------------- async iterators

  /**
   * Yields a read-only view of a pair's book at once, then on each change. A
   * consumer slower than the feed gets the latest view, not a backlog (changes
   * are coalesced). `break` (or `return()`) unsubscribes. A pair the market does
   * not track is added for as long as someone watches it. The market must be
   * started; `stop()` ends the iteration.
   */
  watchOrderBook(
    tradingPair: string,
    options: WatchOrderBookOptions = {},
  ): AsyncIterableIterator<OrderBookView> {
    const tracker = this.requireTracker();
    const depth = Math.max(1, Math.floor(options.depth ?? 20));
    const release = this.retainPair(tradingPair);
    const book = tracker.getOrderBook(tradingPair);
    const changes$ = merge(
      tracker.updates$.pipe(filter((p) => p === tradingPair)),
      // A live-status change (syncing, live, stale) changes the view even when no level moved.
      tracker.status$.pipe(filter((e) => e.pair === tradingPair)),
    ).pipe(takeUntil(this.stopped));
    return latestIterable<OrderBookView>({
      changes$,
      read: () => ({
        tradingPair,
        bids: Object.freeze([...book.bidEntries(depth)].map((l) => Object.freeze(l))),
        asks: Object.freeze([...book.askEntries(depth)].map((l) => Object.freeze(l))),
        updateId: book.lastUpdateId,
        ...this.bookLiveness(tradingPair),
        timestamp: this.now(),
      }),
      onClose: release,
    });
  }

  /**
   * Yields every public trade of a pair from the stream, in order, from the call
   * on (trades that arrive before the first pull are kept). Trades are never coalesced; a consumer more than `maxBuffered` trades behind ends the
   * iteration with an `ExchangeUnavailableError` after the buffered ones.
   */
  watchTrades(tradingPair: string, options: WatchStreamOptions = {}): AsyncIterableIterator<TradeMessage> {
    const tracker = this.requireTracker();
    const release = this.retainPair(tradingPair);
    return queueIterable(tracker.getOrderBook(tradingPair).trades$.pipe(takeUntil(this.stopped)), {
      maxBuffered: options.maxBuffered,
      label: `${this.name}: trades of ${tradingPair}`,
      onClose: release,
      subscribe: 'now',
    });
  }

  /**
   * Yields every market event (`events$`) from the call on, in order, never
   * coalesced: events of an order placed before the first pull are kept.
   */
  watchOrders(options: WatchStreamOptions = {}): AsyncIterableIterator<MarketEvent> {
    return queueIterable(this.orders.events$.pipe(takeUntil(this.stopped)), {
      maxBuffered: options.maxBuffered,
      label: `${this.name}: order events`,
      subscribe: 'now',
    });
  }

  /** A pair's live status for a book view: `live` only when in sync on a live, acknowledged stream. */
  private bookLiveness(tradingPair: string): Pick<OrderBookView, 'live' | 'status'> {
    const status = this.getBookStatus(tradingPair).status;
    return { live: status === 'live', status };
  }

  // ---------------------------------------------------------------- REST market data

  /** Which REST market data this connector serves. */
  get marketData(): readonly MarketDataKind[] {
    return this.capabilities.marketData ?? [];
  }

  /** 24-hour statistics and top of book of a pair, by REST. */
  getTicker(tradingPair: string): Promise<Ticker> {
    const hook = this.fetchTicker;
    if (hook === undefined) return this.unsupported('ticker');
    return hook.call(this, tradingPair);
  }

  /** The most recent public trades of a pair by REST, oldest first. */
  getRecentTrades(tradingPair: string, options: { readonly limit?: number } = {}): Promise<PublicTrade[]> {
    const hook = this.fetchRecentTrades;
    if (hook === undefined) return this.unsupported('recent trades');
    return hook.call(this, tradingPair, options.limit);
  }

  /** Candles of a pair by REST, oldest first. */
  getCandles(tradingPair: string, interval: CandleInterval, query: CandleQuery = {}): Promise<Candle[]> {
    const hook = this.fetchCandles;
    if (hook === undefined) return this.unsupported('candles');
    return hook.call(this, tradingPair, interval, query);
  }

  /** The account's own fills on a pair by REST, oldest first (needs keys). */
  getMyTrades(tradingPair: string, query: MyTradesQuery = {}): Promise<MyTrade[]> {
    const hook = this.fetchMyTrades;
    if (hook === undefined) return this.unsupported('own trade history');
    if (!this.hasAccount())
      return Promise.reject(new HbError('authentication', `${this.name}: own trades need API keys`));
    return hook.call(this, tradingPair, query);
  }

  private unsupported<T>(what: string): Promise<T> {
    return Promise.reject(new NotSupportedError(`${this.name} does not serve ${what} by REST`));
  }

  private requireTracker(): OrderBookTracker {
    if (!this.orderBookTracker) throw new HbError('unavailable', `${this.name}: market not started`);
    return this.orderBookTracker;
  }

  /** Counts a watcher of a pair, adding the pair to the tracker if the market does not track it; returns the release. */
  private retainPair(tradingPair: string): () => void {
    const tracker = this.requireTracker();
    if (this.tradingPairs.includes(tradingPair)) return () => undefined;
    const n = this.extraPairWatchers.get(tradingPair) ?? 0;
    this.extraPairWatchers.set(tradingPair, n + 1);
    if (n === 0) tracker.addTradingPair(tradingPair);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.extraPairWatchers.get(tradingPair) ?? 1) - 1;
      if (left > 0) {
        this.extraPairWatchers.set(tradingPair, left);
        return;
      }
      this.extraPairWatchers.delete(tradingPair);
      tracker.removeTradingPair(tradingPair);
    };
  }

  private rememberRequested(clientOrderId: string, requested: OrderSnapshot['requested']): void {
    this.requestedValues.set(clientOrderId, requested);
    // Bounded: only recent orders are ever asked about; older ones fall back to the sent values.
    if (this.requestedValues.size > 1000) {
      const oldest = this.requestedValues.keys().next().value;
      if (oldest !== undefined) this.requestedValues.delete(oldest);
    }
  }

  private snapshotOf(clientOrderId: string): OrderSnapshot {
    const o = this.orders.get(clientOrderId);
    if (!o) throw new HbError('order_not_found', `${this.name}: no tracked order ${clientOrderId}`);
    const price = o.price.isFinite() ? o.price : undefined;
    const avg = o.averageExecutedPrice;
    return {
      clientOrderId: o.clientOrderId,
      exchangeOrderId: o.exchangeOrderId,
      tradingPair: o.tradingPair,
      side: o.side,
      type: o.orderType,
      amount: o.amount,
      price,
      requested: this.requestedValues.get(clientOrderId) ?? { amount: o.amount, price },
      state: o.state,
      executedAmount: o.executedBaseAmount,
      executedQuoteAmount: o.executedQuoteAmount,
      averagePrice: avg.isFinite() ? avg : undefined,
      fees: o.feesPaid,
      createdAt: o.creationTimestamp,
      updatedAt: o.lastUpdateTimestamp,
    };
  }

  // ---------------------------------------------------------------- order path

  private createOrder(
    side: OrderSide,
    tradingPair: string,
    amountValue: BigNumber.Value,
    orderType: OrderType,
    priceValue: BigNumber.Value | undefined,
    orderOptions: OrderOptions | undefined,
  ): string {
    const clientOrderId = this.newClientOrderId(side, tradingPair);
    const expiresAt = orderOptions?.expiresAt;
    const amount = new BigNumber(amountValue);
    const price = priceValue === undefined ? new BigNumber(NaN) : new BigNumber(priceValue);
    const order = new InFlightOrder({
      clientOrderId,
      tradingPair,
      side,
      orderType,
      amount,
      price,
      creationTimestamp: this.now(),
      expiresAt,
    });
    // Tracked (and persisted by whoever listens to changes$) before anything is sent.
    this.orders.startTracking(order);
    const ruleError =
      checkOrder(this.rules.get(tradingPair), {
        tradingPair,
        side,
        orderType,
        amount,
        price: priceValue === undefined ? undefined : price,
      }) ?? this.checkExpiry(expiresAt);
    if (!this.capabilities.orderTypes.includes(orderType) && !ruleError) {
      queueMicrotask(() =>
        this.orders.failOrder(
          clientOrderId,
          new OrderRuleError('order_type', `${this.name} does not support ${orderType} orders`),
        ),
      );
      return clientOrderId;
    }
    if (ruleError) {
      // Emitted after buy()/sell() returns, so the caller knows the id it refers to.
      queueMicrotask(() => this.orders.failOrder(clientOrderId, ruleError));
      return clientOrderId;
    }
    void this.track(this.submit(order));
    return clientOrderId;
  }

  /** An expiry the venue cannot carry, or one already past, is refused before sending. */
  private checkExpiry(expiresAt: number | undefined): OrderRuleError | undefined {
    if (expiresAt === undefined) return undefined;
    if (this.capabilities.orderExpiry !== true)
      return new OrderRuleError('expiry', `${this.name} orders do not take an expiry`);
    if (!Number.isFinite(expiresAt) || expiresAt <= this.now())
      return new OrderRuleError('expiry', `expiry ${expiresAt} is not in the future`);
    return undefined;
  }

  /**
   * Prepares (signs) and saves the order when the connector has that step, so a
   * crash between signing and sending loses nothing. Anything failing here fails
   * the order: nothing has been sent.
   */
  private async prepareAndPersist(order: InFlightOrder): Promise<boolean> {
    try {
      if (this.prepareOrder) {
        const prepared = await withTimeout(
          this.prepareOrder(order),
          this.timeoutFor('prepareOrder'),
          'preparing the order',
        );
        this.orders.recordPrepared(order.clientOrderId, prepared);
      }
      if (this.persistOrder) await this.persistOrder(order.toJSON());
      return true;
    } catch (e) {
      const error = toHbError(e);
      this.orders.failOrder(
        order.clientOrderId,
        new HbError(error.reason, `order not sent: ${error.message}`, {
          cause: error,
          retryable: error.retryable,
        }),
      );
      return false;
    }
  }

  private async submit(order: InFlightOrder): Promise<void> {
    if (!(await this.prepareAndPersist(order))) return;
    try {
      const result = await withTimeout(this.sendOrder(order), this.timeoutFor('sendOrder'));
      this.orders.processOrderUpdate({
        clientOrderId: order.clientOrderId,
        exchangeOrderId: result.exchangeOrderId,
        tradingPair: order.tradingPair,
        newState: 'OPEN',
        timestamp: result.timestamp ?? this.now(),
      });
      for (const t of result.trades ?? []) this.orders.processTradeUpdate(t);
      if (result.update) this.orders.processOrderUpdate(result.update);
    } catch (e) {
      const error = toHbError(e);
      // A garbled 200 also leaves the outcome unknown: the order was probably placed.
      if (error.outcomeUnknown || error.reason === 'malformed_message') {
        // The request may have reached the exchange: find the order by its client id.
        this.placementUnknown.add(order.clientOrderId);
        this.noticesSubject.next({ kind: 'placement_unknown', clientOrderId: order.clientOrderId, error });
        this.forcePoll = true;
        this.schedulePoll(Math.min(1_000, this.options.fastPollIntervalMs));
      } else {
        this.orders.failOrder(order.clientOrderId, error);
      }
    }
  }

  // ---------------------------------------------------------------- user stream

  /** The user stream's health flag follows its live status; its errors reach the user. */
  private onUserStreamStatus(state: LiveState): void {
    const wasHealthy = this.userStreamHealthy;
    this.userStreamState = state;
    this.userStreamHealthy = state.status === 'live';
    this.liveStatusSubject.next({ source: 'user_stream', state });
    if (state.error !== undefined) {
      const fatal = isFatalStreamError(state.error);
      if (fatal) this.fatalError ??= state.error;
      this.streamErrorsSubject.next({ source: 'user_stream', error: state.error, fatal });
    }
    // The stream was lost: poll at the fast pace from now, not after the slow wait.
    if (wasHealthy && !this.userStreamHealthy) this.schedulePoll(0);
    // Fills of the orders active now may be lost with it (see markGapSuspects).
    if (!this.userStreamHealthy) this.markGapSuspects();
  }

  private onUserStreamEvent(e: UserStreamEvent<TEvent>): void {
    if (e.kind === 'connected') return;
    // Any gap in the private stream (lost socket, refused or unparsable frame) may
    // have eaten a fill of an order active now; see markGapSuspects.
    if (e.kind !== 'event') this.markGapSuspects();
    if (e.kind === 'disconnected') return;
    if (e.kind === 'reconnected') {
      // Private events sent while the socket was down are gone: reconcile by REST.
      this.noticesSubject.next({ kind: 'user_stream_reconnected', reason: e.reason });
      this.forcePoll = true;
      this.schedulePoll(0);
      return;
    }
    if (e.kind === 'refused') {
      this.framesRefused += 1;
      this.noticesSubject.next({ kind: 'unparsable_user_event', error: e.error });
      this.reconcileSoon();
      return;
    }
    let updates: UserStreamUpdate[];
    try {
      updates = this.parseUserStreamEvent(e.event);
    } catch (err) {
      // Refused whole: whatever it said about orders is unknown, so ask the exchange.
      this.framesRefused += 1;
      this.markGapSuspects();
      const error =
        isHbError(err) && err.reason !== 'malformed_message'
          ? err
          : new ProtocolError(this.name, 'user stream', e.event, err);
      this.noticesSubject.next({ kind: 'unparsable_user_event', error });
      this.reconcileSoon();
      return;
    }
    this.applyUpdates(updates);
  }

  /**
   * Applies parsed updates: trades before order states, so a FILLED order's fills
   * are known first. One frame's updates go in whole or not at all: if core
   * would refuse any fill or cumulative amount in it (see
   * {@link InFlightOrder.checkTrade}), none is applied, the frame is reported,
   * and the orders are reconciled by REST.
   */
  protected applyUpdates(updates: readonly UserStreamUpdate[]): void {
    for (const u of updates) {
      if (u.kind === 'balance') continue;
      const refused = this.orders.checkUpdate(u);
      if (refused) {
        this.framesRefused += 1;
        this.noticesSubject.next({
          kind: 'update_refused',
          clientOrderId: refused.clientOrderId,
          error: refused,
        });
        this.reconcileSoon();
        return;
      }
    }
    for (const u of updates) if (u.kind === 'trade') this.orders.processTradeUpdate(u.update);
    for (const u of updates) {
      if (u.kind !== 'order') continue;
      const suspect = this.gapSuspectOf(u.update);
      if (suspect) void this.track(this.settleSuspect(suspect, u.update, 1));
      else this.orders.processOrderUpdate(u.update);
    }
    for (const u of updates) if (u.kind === 'balance') this.setBalance(u.update);
    if (
      this.balancesFollowFillsByRest &&
      updates.some((u) => u.kind === 'trade') &&
      !updates.some((u) => u.kind === 'balance')
    ) {
      this.refreshBalancesSoon();
    }
  }

  /**
   * True for exchanges whose user stream reports fills but no balances
   * (Coinbase's `user` channel): each fill then refreshes the balances by REST
   * (debounced), so base and quote follow the fill instead of waiting for the
   * next slow reconciliation.
   */
  protected readonly balancesFollowFillsByRest: boolean = false;
  private balanceRefreshTimer: ReturnType<typeof setTimeout> | undefined;

  private refreshBalancesSoon(): void {
    if (this.balanceRefreshTimer !== undefined || !this.running) return;
    // A burst of fills (one taker across many levels) costs one request.
    this.balanceRefreshTimer = setTimeout(() => {
      this.balanceRefreshTimer = undefined;
      if (this.running) void this.refreshBalances().catch((e) => this.notePollFailure(e));
    }, 100);
    this.balanceRefreshTimer.unref?.();
  }

  /**
   * Orders that were active when the private stream had a gap: a fill of theirs
   * may have been lost with it, until a reconciliation has fetched their fills.
   */
  private readonly gapSuspects = new Set<string>();

  private markGapSuspects(): void {
    for (const id of this.gapSuspects) if (this.orders.get(id)?.isDone !== false) this.gapSuspects.delete(id);
    for (const o of this.orders.activeOrders) this.gapSuspects.add(o.clientOrderId);
  }

  /**
   * The suspect order a stream update would end without saying how much was
   * executed (Coinbase's `done` carries no filled size), or undefined. Ending it
   * on such an update would emit its terminal event, and no later poll would look
   * at it again: a fill lost in the gap would be lost for good.
   */
  private gapSuspectOf(update: OrderUpdate): InFlightOrder | undefined {
    if (this.gapSuspects.size === 0 || update.cumulativeFilledAmount !== undefined) return undefined;
    if (update.newState !== 'CANCELED' && update.newState !== 'EXPIRED') return undefined;
    const order =
      (update.clientOrderId !== undefined ? this.orders.get(update.clientOrderId) : undefined) ??
      (update.exchangeOrderId !== undefined
        ? this.orders.getByExchangeOrderId(update.exchangeOrderId, update.tradingPair)
        : undefined);
    return order !== undefined && !order.isDone && this.gapSuspects.has(order.clientOrderId)
      ? order
      : undefined;
  }

  /**
   * Fetches a suspect order's fills (and its state) before applying the stream's
   * ending update, so its terminal event comes after every fill. Retried a few
   * times at the poll pace when the exchange does not answer; after that the
   * update is applied anyway (an order must end) and the fill wait of the
   * reconciliation is the last net.
   */
  private async settleSuspect(order: InFlightOrder, update: OrderUpdate, attempt: number): Promise<void> {
    try {
      const trades = await this.fetchOrderTrades(order);
      for (const t of trades) this.orders.processTradeUpdate(t);
      this.gapSuspects.delete(order.clientOrderId);
      this.orders.processOrderUpdate(update);
    } catch (e) {
      this.notePollFailure(e);
      if (attempt >= 5 || !this.running) {
        this.gapSuspects.delete(order.clientOrderId);
        this.orders.processOrderUpdate(update);
        return;
      }
      await sleep(this.options.fastPollIntervalMs);
      await this.settleSuspect(order, update, attempt + 1);
    }
  }

  private setBalance(b: BalanceUpdate): void {
    let sources = this.balances.get(b.asset);
    if (!sources) this.balances.set(b.asset, (sources = new Map()));
    sources.set(b.source ?? 'exchange', { total: b.total, available: b.available, at: this.now() });
  }

  // ---------------------------------------------------------------- reconciliation

  private schedulePoll(delayMs: number): void {
    // Retrying cannot fix refused credentials: the loop stops until a restart.
    if (!this.running || this.refusedCredentials !== undefined) return;
    if (this.pollTimer) clearTimeout(this.pollTimer);
    this.pollTimer = setTimeout(() => {
      this.pollTimer = undefined;
      void this.poll().finally(() => this.schedulePoll(this.nextPollDelay()));
    }, delayMs);
    this.pollTimer.unref?.();
  }

  /**
   * Fast while the user stream is down or silent (polling is then the only
   * source of fills) or while an order's placement outcome or fills are still
   * unknown; slow while the stream is live and nothing is pending. (It used to
   * be the other way round: a live stream polled every second.)
   */
  private nextPollDelay(): number {
    if (!this.userStreamIsLive()) return this.options.fastPollIntervalMs;
    if (this.placementUnknown.size > 0 || this.orders.ordersAwaitingFills.length > 0)
      return this.options.fastPollIntervalMs;
    return this.options.slowPollIntervalMs;
  }

  private userStreamIsLive(): boolean {
    const t = this.userStreamTracker;
    if (!t || !this.userStreamHealthy) return false;
    return this.now() - t.lastMessageTime < this.options.userStreamSilenceMs;
  }

  private poll(): Promise<void> {
    if (this.pollInFlight) return this.pollInFlight;
    // A connector hook that throws must not end the polling loop.
    this.pollInFlight = this.reconcile()
      .catch((e: unknown) => this.notePollFailure(e))
      .finally(() => {
        this.pollInFlight = undefined;
      });
    return this.pollInFlight;
  }

  /**
   * The reconciliation pass. Cheap when the user stream is live (only orders
   * with unknown placement or missing fills are asked for); a full pass over every
   * active order and the balances when the stream is down, silent, or reconnected.
   */
  private async reconcile(): Promise<void> {
    const full =
      this.forcePoll ||
      !this.userStreamIsLive() ||
      this.now() - this.lastPollAt >= this.options.slowPollIntervalMs;
    this.forcePoll = false;
    const candidates = full
      ? this.orders.activeOrders
      : this.orders.activeOrders.filter((o) => this.placementUnknown.has(o.clientOrderId));
    // Terminal events held for fills that never came are released after a timeout.
    this.orders.releaseOverdueOrders();
    const awaiting = this.orders.ordersAwaitingFills;
    const todo = [...new Set([...candidates, ...awaiting])];
    for (const order of todo) {
      if (!this.running) return;
      await this.reconcileOrder(order, full || awaiting.includes(order));
    }
    if (full) {
      this.lastPollAt = this.now();
      await this.refreshBalances().catch((e) => this.notePollFailure(e));
    }
  }

  private async reconcileOrder(order: InFlightOrder, fetchTrades: boolean): Promise<void> {
    let update: OrderUpdate | undefined;
    try {
      update = await withTimeout(this.fetchOrderStatus(order), this.timeoutFor('fetchOrderStatus'));
    } catch (e) {
      const error = toHbError(e);
      if (error.reason === 'order_not_found') {
        // A placement still inside the exchange's acceptance window may yet arrive
        // (and an order just acknowledged may not be readable yet).
        const inWindow = this.now() - order.creationTimestamp < this.placementAcceptanceWindowMs();
        // Right after creation an exchange may not know the order yet: count, don't fail.
        // An acknowledged order (OPEN, PARTIALLY_FILLED) is counted too: an exchange
        // purges an order cancelled without fills (Coinbase answers 404), so one
        // cancelled by someone else (self-trade prevention, another session) whose
        // stream message was lost would otherwise stay open here for ever.
        if (order.state === 'PENDING_CANCEL' || !inWindow) {
          this.orders.processOrderNotFound(order.clientOrderId);
        }
      } else {
        this.notePollFailure(error);
      }
      // A finished order still missing fills: the exchange may no longer list the
      // order (purged, archived) while its trades stay queryable. Without this the
      // fills were never fetched and the held event went out without them.
      if (order.isAwaitingFills) await this.fetchTradesOf(order);
      return;
    }
    this.placementUnknown.delete(order.clientOrderId);
    const executed = order.executedBaseAmount;
    const needTrades =
      fetchTrades ||
      (update.cumulativeFilledAmount !== undefined && update.cumulativeFilledAmount.gt(executed));
    if (needTrades) await this.fetchTradesOf(order);
    this.orders.processOrderUpdate(update);
  }

  /** Fetches and applies every fill of an order; a failure is a poll failure (the next pass retries). */
  private async fetchTradesOf(order: InFlightOrder): Promise<void> {
    try {
      const trades = await withTimeout(this.fetchOrderTrades(order), this.timeoutFor('fetchOrderTrades'));
      for (const t of trades) this.orders.processTradeUpdate(t);
      // Every fill up to now is known: a gap before this no longer hides one.
      this.gapSuspects.delete(order.clientOrderId);
    } catch (e) {
      this.notePollFailure(e);
    }
  }

  private async refreshTradingRules(): Promise<void> {
    const fetched = await this.fetchTradingRules();
    const { rules, skipped } = Array.isArray(fetched) ? { rules: fetched, skipped: [] } : fetched;
    for (const r of rules) this.rules.set(r.tradingPair, r);
    for (const s of skipped) {
      if (this.skipped.has(s.symbol)) continue;
      this.skipped.set(s.symbol, s);
      this.noticesSubject.next({ kind: 'symbol_skipped', symbol: s.symbol, error: s.error });
    }
  }

  /** Exchange symbols whose trading rules could not be read, and why (no order on them is possible). */
  get skippedSymbols(): readonly SkippedSymbol[] {
    return [...this.skipped.values()];
  }

  private async refreshBalances(): Promise<void> {
    const balances = await withTimeout(this.fetchBalances(), this.timeoutFor('fetchBalances'));
    for (const b of balances) this.setBalance(b);
    // An account with no balance at all is loaded too.
    this.balancesLoaded = this.hasAccount();
  }

  private notePollFailure(e: unknown): void {
    const error = toHbError(e);
    this.noticesSubject.next({ kind: 'poll_failed', error });
    if (error.reason === 'authentication' && !error.retryable && this.refusedCredentials === undefined) {
      this.refusedCredentials = error;
      this.noticesSubject.next({ kind: 'credentials_refused', error });
    }
  }

  /**
   * The exchange's refusal of the market's keys (a non-retryable authentication
   * error from a poll), or undefined. Once set, polling stops: retrying cannot
   * fix a wrong key; orders fail with the exchange's own authentication error.
   */
  get credentialsRefused(): HbError | undefined {
    return this.refusedCredentials;
  }

  private requireRule(tradingPair: string): TradingRule {
    const rule = this.rules.get(tradingPair);
    if (!rule) throw new OrderRuleError('unknown_pair', `${this.name}: no trading rule for ${tradingPair}`);
    return rule;
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.pendingRequests.add(p);
    void p.then(
      () => this.pendingRequests.delete(p),
      () => this.pendingRequests.delete(p),
    );
    return p;
  }
}

/** Events after which nothing more happens to an order. */
const TERMINAL_EVENTS: ReadonlySet<MarketEvent['type']> = new Set<MarketEvent['type']>([
  'BuyOrderCompleted',
  'SellOrderCompleted',
  'OrderCancelled',
  'OrderFailure',
  'OrderExpired',
]);

function toHbError(e: unknown, fallback: 'unknown' | 'malformed_message' = 'unknown'): HbError {
  if (isHbError(e)) return e;
  return new HbError(fallback, e instanceof Error ? e.message : String(e), { cause: e });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Every wait has a timeout and a defined outcome: here, an unknown-outcome `timeout` error. */
function withTimeout<T>(p: Promise<T>, ms: number, what = 'request'): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new HbError('timeout', `${what} timed out after ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

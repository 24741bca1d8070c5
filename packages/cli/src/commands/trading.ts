// `hb balance`, `hb order`, `hb orders`, `hb cancel`, `hb cancel-all`: private
// commands, keys required (or the sandbox's demo account).
import type { MarketEvent } from '@hb/core';
import BigNumber from 'bignumber.js';
import type { Subscription } from 'rxjs';
import type { ParsedCommand } from '../args.js';
import { ensureAllowances, hasAllowances } from '../approvals.js';
import type { CliMarket, OpenOrder, TrackingState } from '../contracts.js';
import { CliError, EXIT_FAILURE, EXIT_INTERRUPTED, exitCodeFor, formatErrorLine } from '../errors.js';
import {
  balanceRecord,
  describeEvent,
  eventRecord,
  fmtNum,
  formatTable,
  openOrderRecord,
} from '../format.js';
import {
  asCliError,
  assertKnownPair,
  connect,
  findConnector,
  openMarket,
  raceInterrupt,
  waitForAccount,
  type CliContext,
  type OpenMarket,
} from '../session.js';

type Cmd<K extends ParsedCommand['command']> = Extract<ParsedCommand, { command: K }>;

/** `hb balance`: total and available per asset. */
export async function runBalance(ctx: CliContext, cmd: Cmd<'balance'>): Promise<number> {
  const connector = await findConnector(ctx, cmd.exchange);
  const connection = await connect(ctx, connector, cmd.options, true);
  const m = await openMarket(ctx, connector, connection, [], true);
  await waitForAccount(ctx, m);
  const balances = [...m.market.getAllBalances()].sort(([a], [b]) => a.localeCompare(b));
  if (cmd.options.json) {
    for (const [asset, b] of balances) ctx.out.record(balanceRecord(m.exchange, asset, b));
  } else if (balances.length === 0) {
    ctx.out.line(`${m.exchange}: no balances`);
  } else {
    const rows = balances.map(([asset, b]) => [asset, fmtNum(b.total), fmtNum(b.available)]);
    for (const l of formatTable(['ASSET', 'TOTAL', 'AVAILABLE'], rows)) ctx.out.line(l);
  }
  return 0;
}

/** Collects a market's events so none is missed between subscribing and reading. */
class EventQueue {
  private readonly queue: MarketEvent[] = [];
  private wake: (() => void) | undefined;
  private readonly sub: Subscription;

  constructor(market: CliMarket) {
    this.sub = market.events$.subscribe((e) => {
      this.queue.push(e);
      this.wake?.();
    });
  }

  /** The next event, or undefined after `timeoutMs` or when `stop` resolves first. */
  async next(timeoutMs: number, stop: Promise<void>): Promise<MarketEvent | undefined> {
    const ready = this.queue.shift();
    if (ready !== undefined) return ready;
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      new Promise<void>((r) => {
        this.wake = r;
        timer = setTimeout(r, timeoutMs);
      }),
      stop,
    ]);
    if (timer !== undefined) clearTimeout(timer);
    this.wake = undefined;
    return this.queue.shift();
  }

  close(): void {
    this.sub.unsubscribe();
  }
}

/** How long `order` waits for events that arrive right after the one that ends it (fills in the same answer). */
const SETTLE_MS = 150;
/** No event for this long while following an order: keep waiting, it is the exchange's pace (Ctrl-C ends). */
const IDLE_WAIT_MS = 60_000;

/**
 * `hb order`: places the order and prints each of its events until it is open
 * (with `--wait-open`, the default for limit orders), filled, cancelled or failed.
 */
export async function runOrder(ctx: CliContext, cmd: Cmd<'order'>): Promise<number> {
  const connector = await findConnector(ctx, cmd.exchange);
  const connection = await connect(ctx, connector, cmd.options, true);
  const m = await openMarket(ctx, connector, connection, [cmd.pair], true);
  await waitForAccount(ctx, m);
  const [base, quote] = cmd.pair.split('-') as [string, string];
  try {
    await ensureAllowances(
      ctx,
      m,
      [cmd.side === 'buy' ? quote : base],
      cmd.options.approve,
      cmd.options.json,
    );
  } catch (e) {
    throw asCliError(e, { exchange: m.exchange, operation: 'approving allowances', url: m.restUrl });
  }
  // On-chain venues: the wallet before the order, to show what the fill and its fees moved.
  let wallet: Map<string, BigNumber> | undefined;
  if (hasAllowances(m.market)) {
    // Read now: approvals above spent gas since the market's last balance poll.
    await raceInterrupt(ctx, m.market.pollNow()).catch(() => undefined); // the wallet line is informational: a failed poll keeps the last balances, the order path reports its own errors
    wallet = walletSnapshot(m.market, [base, quote, 'ETH']);
  }
  const queue = new EventQueue(m.market);
  ctx.onCleanup(() => queue.close());
  const place = cmd.side === 'buy' ? m.market.buy.bind(m.market) : m.market.sell.bind(m.market);
  let amount = cmd.amount;
  let price = cmd.price;
  const rule = m.market.tradingRules.get(cmd.pair);
  if (cmd.round && rule !== undefined) {
    // As placeOrder's `round`: amount floored to the step, price to the tick on the passive side.
    amount = m.market.quantizeOrderAmount(cmd.pair, amount).toFixed();
    if (price !== undefined) price = passivePrice(price, rule.minPriceIncrement.toFixed(), cmd.side);
    if (amount !== cmd.amount || price !== cmd.price)
      ctx.out.note(
        `hb: ${m.exchange}: rounded to amount ${amount}${price === undefined ? '' : ` @ ${price}`}`,
      );
  }
  let id: string;
  try {
    id = place(cmd.pair, amount, cmd.orderType, price);
  } catch (e) {
    throw asCliError(e, { exchange: m.exchange, operation: 'placing the order' });
  }
  const at = price === undefined ? '' : ` @ ${price}`;
  ctx.out.line(
    `placing ${cmd.orderType} ${cmd.side} ${amount} ${cmd.pair}${at} on ${m.exchange} as order ${id}`,
  );
  ctx.out.status(`waiting for ${m.exchange} to accept order ${id}…`);
  let settleUntil: number | undefined;
  for (;;) {
    const wait = settleUntil === undefined ? IDLE_WAIT_MS : Math.max(0, settleUntil - Date.now());
    const e = await queue.next(wait, ctx.interrupted);
    if (e === undefined) {
      if (settleUntil !== undefined && Date.now() >= settleUntil) return 0;
      if (ctx.isInterrupted()) {
        ctx.out.note(
          `hb: ${m.exchange}: interrupted: order ${id} is left as it is on the exchange (hb cancels nothing)`,
        );
        return EXIT_INTERRUPTED;
      }
      continue;
    }
    if (e.clientOrderId !== id) continue;
    if (cmd.options.json) ctx.out.record(eventRecord(m.exchange, e));
    else if (e.type !== 'OrderFailure') ctx.out.line(describeEvent(m.exchange, e));
    switch (e.type) {
      case 'OrderFailure':
        ctx.out.error(
          formatErrorLine(e.error, { exchange: m.exchange, operation: 'placing the order', url: m.restUrl }),
        );
        return exitCodeFor(e.error);
      case 'BuyOrderCompleted':
      case 'SellOrderCompleted':
        if (wallet !== undefined) await printWalletChange(ctx, m, wallet, cmd.options.json);
        return 0;
      case 'OrderCancelled':
      case 'OrderExpired':
        return 0;
      case 'BuyOrderCreated':
      case 'SellOrderCreated':
        ctx.out.status(`order ${id} is open; waiting for fills…`);
        // Open is enough with --wait-open; still print fills that came in the same answer.
        if (cmd.waitOpen) settleUntil = Date.now() + SETTLE_MS;
        break;
      case 'OrderFilled':
        break;
    }
  }
}

/** Wallet balances (source `wallet`) of some assets, as decimal strings. */
function walletSnapshot(market: CliMarket, assets: readonly string[]): Map<string, BigNumber> {
  return new Map(assets.map((a) => [a, market.getBalance(a, 'wallet')]));
}

/**
 * After a fill on an on-chain venue: re-reads the wallet and prints each asset's
 * change (the fill, and the gas and protocol fees paid in ETH).
 */
async function printWalletChange(
  ctx: CliContext,
  m: OpenMarket,
  before: Map<string, BigNumber>,
  json: boolean,
): Promise<void> {
  try {
    await raceInterrupt(ctx, m.market.pollNow());
  } catch {
    return; // the order's outcome is known; a failed balance read only loses the summary
  }
  for (const [asset, was] of before) {
    const now = m.market.getBalance(asset, 'wallet');
    const change = now.minus(was);
    if (json) {
      ctx.out.record({
        type: 'wallet',
        exchange: m.exchange,
        asset,
        before: was.toFixed(),
        after: now.toFixed(),
        change: change.toFixed(),
      });
    } else {
      ctx.out.line(
        `${m.exchange}: wallet ${asset} ${fmtNum(was)} -> ${fmtNum(now)} (${change.gte(0) ? '+' : ''}${change.toFixed()})`,
      );
    }
  }
}

/** The open orders of the exchange, through the market's `fetchOpenOrders` (a proposed contract). */
async function fetchOpenOrders(
  ctx: CliContext,
  m: OpenMarket,
  pair: string | undefined,
): Promise<OpenOrder[]> {
  const fetch = m.market.fetchOpenOrders;
  if (typeof fetch !== 'function') {
    throw new CliError({
      exchange: m.exchange,
      what: 'listing open orders is not supported',
      detail: 'this connector version has no fetchOpenOrders',
    });
  }
  ctx.out.status(`fetching open orders from ${m.exchange}…`);
  try {
    return await raceInterrupt(ctx, fetch.call(m.market, pair));
  } catch (e) {
    throw asCliError(e, { exchange: m.exchange, operation: 'listing open orders', url: m.restUrl });
  } finally {
    ctx.out.clearStatus();
  }
}

/** Opens a market for order management: no book needed; the pair (if any) must exist. */
async function openAccountMarket(
  ctx: CliContext,
  cmd: { exchange: string; options: Cmd<'orders'>['options'] },
  pair: string | undefined,
): Promise<OpenMarket> {
  const connector = await findConnector(ctx, cmd.exchange);
  const connection = await connect(ctx, connector, cmd.options, true);
  const m = await openMarket(ctx, connector, connection, [], true);
  if (pair !== undefined) assertKnownPair(m.exchange, m.market, pair);
  return m;
}

/** `hb orders`: what the exchange lists as open, whoever placed it. */
export async function runOrders(ctx: CliContext, cmd: Cmd<'orders'>): Promise<number> {
  const m = await openAccountMarket(ctx, cmd, cmd.pair);
  const orders = (await fetchOpenOrders(ctx, m, cmd.pair)).sort((a, b) => a.timestamp - b.timestamp);
  if (cmd.options.json) {
    for (const o of orders) ctx.out.record(openOrderRecord(m.exchange, o));
  } else if (orders.length === 0) {
    ctx.out.line(`${m.exchange}: no open orders${cmd.pair === undefined ? '' : ` on ${cmd.pair}`}`);
  } else {
    const rows = orders.map((o) => [
      o.tradingPair,
      o.clientOrderId ?? '-',
      o.side,
      o.orderType,
      fmtNum(o.price),
      fmtNum(o.amount),
      fmtNum(o.filledAmount),
      o.state,
      new Date(o.timestamp).toISOString().replace('T', ' ').slice(0, 19),
    ]);
    for (const l of formatTable(
      ['PAIR', 'CLIENT ORDER ID', 'SIDE', 'TYPE', 'PRICE', 'AMOUNT', 'FILLED', 'STATE', 'CREATED (UTC)'],
      rows,
    )) {
      ctx.out.line(l);
    }
  }
  return 0;
}

/**
 * The tracking state of an order the exchange lists, so the market can follow
 * and cancel an order this process did not place. Fills so far are not replayed:
 * the market fetches them if the exchange reports more executed than it knows.
 */
export function trackingStateOf(o: OpenOrder & { clientOrderId: string }, now: number): TrackingState {
  const [baseAsset = '', quoteAsset = ''] = o.tradingPair.split('-');
  const state: TrackingState = {
    clientOrderId: o.clientOrderId,
    exchangeOrderId: o.exchangeOrderId,
    tradingPair: o.tradingPair,
    baseAsset,
    quoteAsset,
    side: o.side,
    orderType: o.orderType,
    price: o.price.toFixed(),
    amount: o.amount.toFixed(),
    creationTimestamp: o.timestamp,
    state: o.state,
    lastUpdateTimestamp: now,
    notFoundCount: 0,
    fills: [],
    // Already announced by whoever placed it: no BuyOrderCreated now.
    createdEventEmitted: true,
    terminalEventEmitted: false,
  };
  return state;
}

/** How long cancels may take to be confirmed, ms. */
const CANCEL_TIMEOUT_MS = 10_000;

/** `hb cancel`: cancels one open order by client order id and waits for the confirmation. */
export async function runCancel(ctx: CliContext, cmd: Cmd<'cancel'>): Promise<number> {
  const m = await openAccountMarket(ctx, cmd, cmd.pair);
  const open = await fetchOpenOrders(ctx, m, cmd.pair);
  // The id may be our client order id or, for an order the exchange lists without
  // one (a 0x relayer knows orders by hash only), its exchange order id.
  const order =
    open.find((o) => o.clientOrderId === cmd.clientOrderId) ??
    open.find((o) => o.clientOrderId === undefined && o.exchangeOrderId === cmd.clientOrderId);
  if (order === undefined) {
    throw new CliError({
      exchange: m.exchange,
      what: 'order not found',
      detail: `no open order ${cmd.clientOrderId} on ${cmd.pair}`,
    });
  }
  return cancelOrders(
    ctx,
    m,
    [{ ...order, clientOrderId: order.clientOrderId ?? order.exchangeOrderId }],
    cmd.options.json,
  );
}

/** `hb cancel-all`: cancels every order the exchange lists as open. */
export async function runCancelAll(ctx: CliContext, cmd: Cmd<'cancel-all'>): Promise<number> {
  const m = await openAccountMarket(ctx, cmd, undefined);
  const open = (await fetchOpenOrders(ctx, m, undefined)).filter(
    (o): o is OpenOrder & { clientOrderId: string } => o.clientOrderId !== undefined,
  );
  if (open.length === 0) {
    ctx.out.line(`${m.exchange}: no open orders to cancel`);
    return 0;
  }
  return cancelOrders(ctx, m, open, cmd.options.json);
}

async function cancelOrders(
  ctx: CliContext,
  m: OpenMarket,
  orders: readonly (OpenOrder & { clientOrderId: string })[],
  json: boolean,
): Promise<number> {
  const now = Date.now();
  m.market.restoreTrackingStates(
    Object.fromEntries(orders.map((o) => [o.clientOrderId, trackingStateOf(o, now)])),
  );
  const queue = new EventQueue(m.market);
  ctx.onCleanup(() => queue.close());
  const pending = new Set(orders.map((o) => o.clientOrderId));
  const notCancelled: string[] = [];
  ctx.out.status(`cancelling ${orders.length} order${orders.length === 1 ? '' : 's'} on ${m.exchange}…`);
  const requests = orders.map((o) =>
    m.market.cancel(o.tradingPair, o.clientOrderId).catch((e: unknown) => {
      ctx.out.error(
        formatErrorLine(e, {
          exchange: m.exchange,
          operation: `cancelling ${o.clientOrderId}`,
          url: m.restUrl,
        }),
      );
    }),
  );
  void Promise.allSettled(requests);
  const deadline = Date.now() + CANCEL_TIMEOUT_MS;
  while (pending.size > 0 && Date.now() < deadline && !ctx.isInterrupted()) {
    const e = await queue.next(deadline - Date.now(), ctx.interrupted);
    if (e === undefined || !pending.has(e.clientOrderId)) continue;
    // Fills reported while following an order placed earlier are history, not news.
    if (e.type === 'OrderFilled') continue;
    if (json) ctx.out.record(eventRecord(m.exchange, e));
    else ctx.out.line(describeEvent(m.exchange, e));
    if (e.type === 'OrderCancelled') pending.delete(e.clientOrderId);
    else if (e.type !== 'BuyOrderCreated' && e.type !== 'SellOrderCreated') {
      pending.delete(e.clientOrderId);
      notCancelled.push(e.clientOrderId);
    }
  }
  if (ctx.isInterrupted()) return EXIT_INTERRUPTED;
  notCancelled.push(...pending);
  if (notCancelled.length > 0) {
    ctx.out.error(
      formatErrorLine(
        new CliError({
          exchange: m.exchange,
          what: 'cancel not confirmed',
          detail: `${notCancelled.length} of ${orders.length} orders not confirmed cancelled: ${notCancelled.join(', ')}`,
        }),
      ),
    );
    return EXIT_FAILURE;
  }
  return 0;
}

/**
 * A price on the tick grid, never more aggressive than asked: a buy rounds down,
 * a sell up (what core's `placeOrder({ round: true })` does). Computed here from
 * the rule's tick so the CLI needs no runtime copy of core.
 */
export function passivePrice(price: string, tick: string, side: 'buy' | 'sell'): string {
  const p = new BigNumber(price);
  const t = new BigNumber(tick);
  if (!t.isFinite() || t.lte(0)) return price;
  const rest = p.mod(t);
  if (rest.isZero()) return p.toFixed();
  const down = p.minus(rest);
  return (side === 'buy' ? down : down.plus(t)).toFixed();
}

// The simulator's v2 account and order stream (`/ws/v2`, huobi.md §8): plain-text
// frames, `{"action":"ping"}` every 20 s (closed after two unanswered), a v2.1
// `auth` request verified like REST signatures, then `orders#`, `trade.clearing#`
// and `accounts.update#` pushes driven by the engines and the ledger.
import { type BalanceChange, type EngineEvent, type SimClock, type WsConnection } from '@hb/testing';
import { verifyWsV2Auth } from './huobi-sim-auth.js';
import {
  huobiState,
  type HuobiSimExchange,
  type HuobiSimMarket,
  type HuobiSimOrderMeta,
} from './huobi-sim-exchange.js';
import type { EngineOrder } from '@hb/testing';

/** Options of {@link HuobiSimAccountSockets}. */
export interface HuobiSimAccountSocketsOptions {
  readonly exchange: HuobiSimExchange;
  readonly clock: SimClock;
  readonly pingIntervalMs: () => number;
  readonly maxMissedPings: () => number;
  readonly toleranceMs: () => number;
}

interface Session {
  readonly conn: WsConnection;
  apiKey: string | undefined;
  readonly channels: Set<string>;
}

const CHANNEL = /^(orders#([a-z0-9]+|\*)|trade\.clearing#([a-z0-9]+|\*)#[01]|accounts\.update(#[012])?)$/;

/** The `/ws/v2` endpoint of the simulator. */
export class HuobiSimAccountSockets {
  private readonly sessions = new Set<Session>();
  private refusing = false;
  private logins = 0;
  private readonly pongs = new WeakMap<WsConnection, number>();

  constructor(private readonly options: HuobiSimAccountSocketsOptions) {
    for (const m of options.exchange.markets) m.engine.events$.subscribe((ev) => this.onEngineEvent(m, ev));
    options.exchange.ledger.changes$.subscribe((c) => this.onBalanceChange(c));
    options.exchange.onCancelledAtEntry = (meta, order) => {
      this.pushOrder(meta, {
        eventType: 'creation',
        ...this.orderBase(meta),
        orderStatus: 'submitted',
        orderCreateTime: meta.createdAt,
      });
      this.pushOrder(meta, {
        eventType: 'cancellation',
        ...this.orderBase(meta),
        orderStatus: 'canceled',
        remainAmt: meta.amount,
        execAmt: '0',
        lastActTime: order.updatedAt,
      });
    };
  }

  /** While on, account connections are accepted and dropped at once. */
  setRefusing(on: boolean): void {
    this.refusing = on;
  }

  /** Drops every account socket (of `apiKey` when given); returns how many. */
  dropAll(apiKey?: string): number {
    let n = 0;
    for (const s of [...this.sessions]) {
      if (apiKey !== undefined && s.apiKey !== apiKey) continue;
      s.conn.terminate();
      n++;
    }
    return n;
  }

  /** `auth` requests received so far, accepted or refused (a client retrying a refused key shows here). */
  get loginAttempts(): number {
    return this.logins;
  }

  /** `{"action":"pong"}` answers received on a connection so far. */
  pongsOf(conn: WsConnection): number {
    return this.pongs.get(conn) ?? 0;
  }

  /** The channels subscribed on the open connections, one entry per connection and channel. */
  subscriptions(): { readonly apiKey: string | undefined; readonly channel: string }[] {
    return [...this.sessions]
      .filter((s) => s.conn.isOpen)
      .flatMap((s) => [...s.channels].map((channel) => ({ apiKey: s.apiKey, channel })));
  }

  /** Open account connections. */
  connections(): WsConnection[] {
    return [...this.sessions].map((s) => s.conn).filter((c) => c.isOpen);
  }

  /** Handles a new `/ws/v2` connection. */
  accept(conn: WsConnection): void {
    if (this.refusing) {
      conn.terminate();
      return;
    }
    const session: Session = { conn, apiKey: undefined, channels: new Set() };
    this.sessions.add(session);
    let missed = 0;
    const timer = setInterval(() => {
      // A silenced connection is a dead route (FaultInjector.silenceSocket): no
      // ping reaches the client and no close would either, so the client must
      // find out by itself.
      if (conn.isSilenced) return;
      if (missed >= this.options.maxMissedPings()) {
        conn.close(1000, 'ping timeout');
        return;
      }
      missed++;
      conn.sendRaw(JSON.stringify({ action: 'ping', data: { ts: this.options.clock.now() } }));
    }, this.options.pingIntervalMs());
    timer.unref();
    conn.onClose(() => {
      clearInterval(timer);
      this.sessions.delete(session);
    });
    const send = (frame: unknown): void => conn.sendRaw(JSON.stringify(frame));
    conn.onMessage((text) => {
      let msg: Record<string, unknown>;
      try {
        const v: unknown = JSON.parse(text);
        if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not an object');
        msg = v as Record<string, unknown>;
      } catch {
        send({ action: 'req', code: 2001, message: 'invalid.json' });
        return;
      }
      const action = msg['action'];
      const ch = typeof msg['ch'] === 'string' ? msg['ch'] : '';
      if (action === 'pong') {
        missed = 0;
        this.pongs.set(conn, this.pongsOf(conn) + 1);
        return;
      }
      if (action === 'req' && ch === 'auth') {
        this.logins += 1;
        const host = conn.headers['host'];
        const apiKey = verifyWsV2Auth({
          params: msg['params'],
          host: Array.isArray(host) ? host[0] : host,
          path: conn.path,
          secretOf: this.options.exchange.secretOf,
          now: this.options.clock.now(),
          toleranceMs: this.options.toleranceMs(),
        });
        if (apiKey === undefined) {
          send({ action: 'req', code: 2002, ch: 'auth', message: 'auth.fail' });
          return;
        }
        session.apiKey = apiKey;
        send({ action: 'req', code: 200, ch: 'auth', data: {} });
        return;
      }
      if (action === 'sub' || action === 'unsub') {
        if (session.apiKey === undefined) {
          send({ action, code: 2002, ch, message: 'invalid.auth.state' });
          return;
        }
        if (!CHANNEL.test(ch)) {
          send({ action, code: 2001, ch, message: 'invalid.ch' });
          return;
        }
        if (action === 'unsub') {
          session.channels.delete(ch);
          send({ action, code: 200, ch, data: {} });
          return;
        }
        session.channels.add(ch);
        send({ action, code: 200, ch, data: {} });
        if (ch.startsWith('accounts.update')) this.pushInitialBalances(session, ch);
        return;
      }
      send({
        action: typeof action === 'string' ? action : 'req',
        code: 2001,
        ch,
        message: 'invalid.action',
      });
    });
  }

  // ------------------------------------------------------------- pushes

  private matching(apiKey: string, test: (ch: string) => boolean): { session: Session; ch: string }[] {
    const out: { session: Session; ch: string }[] = [];
    for (const s of this.sessions) {
      if (s.apiKey !== apiKey || !s.conn.isOpen) continue;
      for (const ch of s.channels) if (test(ch)) out.push({ session: s, ch });
    }
    return out;
  }

  private orderBase(meta: HuobiSimOrderMeta): Record<string, unknown> {
    const quoteSized = meta.type === 'buy-market';
    return {
      symbol: meta.market.info.symbol,
      accountId: meta.accountId,
      orderId: Number(meta.orderId),
      clientOrderId: meta.clientOrderId,
      orderSource: 'spot-api',
      type: meta.type,
      ...(meta.price === undefined ? {} : { orderPrice: meta.price }),
      ...(quoteSized ? { orderValue: meta.amount } : { orderSize: meta.amount }),
    };
  }

  private pushOrder(meta: HuobiSimOrderMeta, data: Record<string, unknown>): void {
    const symbol = meta.market.info.symbol;
    for (const { session, ch } of this.matching(
      meta.apiKey,
      (c) => c === `orders#${symbol}` || c === 'orders#*',
    ))
      session.conn.send({ action: 'push', ch, data }, { stream: `orders:${symbol}` });
  }

  private pushClearing(meta: HuobiSimOrderMeta, data: Record<string, unknown>, isCancel: boolean): void {
    const symbol = meta.market.info.symbol;
    const wanted = (c: string): boolean => {
      const m = /^trade\.clearing#([a-z0-9]+|\*)#([01])$/.exec(c);
      return m !== null && (m[1] === symbol || m[1] === '*') && (!isCancel || m[2] === '1');
    };
    for (const { session, ch } of this.matching(meta.apiKey, wanted))
      session.conn.send({ action: 'push', ch, data }, { stream: `clearing:${symbol}` });
  }

  private amounts(meta: HuobiSimOrderMeta, order: EngineOrder): { remainAmt: string; execAmt: string } {
    if (meta.type === 'buy-market') {
      const total = Number(meta.amount);
      return {
        remainAmt: String(Math.max(0, total - order.filledQuote.toNumber())),
        execAmt: order.filledQuote.toFixed(),
      };
    }
    return { remainAmt: order.remaining.toFixed(), execAmt: order.filledAmount.toFixed() };
  }

  private onEngineEvent(m: HuobiSimMarket, ev: EngineEvent): void {
    if (ev.type === 'order_accepted') {
      const meta = this.options.exchange.meta(ev.order.orderId);
      if (meta === undefined) return;
      this.pushOrder(meta, {
        eventType: 'creation',
        ...this.orderBase(meta),
        orderStatus: 'submitted',
        orderCreateTime: meta.createdAt,
      });
      return;
    }
    if (ev.type === 'order_partially_filled' || ev.type === 'order_filled') {
      const meta = this.options.exchange.meta(ev.order.orderId);
      if (meta === undefined) return;
      const t = ev.trade;
      const fee = ev.isMaker ? t.makerFee : t.takerFee;
      const state = huobiState(ev.order, meta);
      this.pushOrder(meta, {
        eventType: 'trade',
        ...this.orderBase(meta),
        tradePrice: t.price.toFixed(),
        tradeVolume: t.amount.toFixed(),
        tradeId: t.tradeId,
        tradeTime: t.timestamp,
        aggressor: !ev.isMaker,
        ...this.amounts(meta, ev.order),
        orderStatus: state,
      });
      this.pushClearing(
        meta,
        {
          eventType: 'trade',
          symbol: m.info.symbol,
          orderId: Number(meta.orderId),
          clientOrderId: meta.clientOrderId,
          orderSide: ev.order.side,
          orderType: meta.type,
          tradePrice: t.price.toFixed(),
          tradeVolume: t.amount.toFixed(),
          aggressor: !ev.isMaker,
          tradeId: t.tradeId,
          tradeTime: t.timestamp,
          transactFee: fee.amount.toFixed(),
          feeCurrency: fee.asset.toLowerCase(),
          feeDeduct: '0',
          feeDeductType: '',
          accountId: meta.accountId,
          source: 'spot-api',
          ...(meta.price === undefined ? {} : { orderPrice: meta.price }),
          orderSize: meta.amount,
          orderCreateTime: meta.createdAt,
          orderStatus: state,
        },
        false,
      );
      return;
    }
    if (ev.type === 'order_cancelled' || ev.type === 'order_expired') {
      const meta = this.options.exchange.meta(ev.order.orderId);
      if (meta === undefined) return;
      const state = huobiState(ev.order, meta);
      // A market order whose remainder expired after filling is `filled` on Huobi's books: no cancellation push.
      if (meta.type.endsWith('market') && ev.order.filledAmount.gt(0) && ev.type === 'order_expired') return;
      this.pushOrder(meta, {
        eventType: 'cancellation',
        ...this.orderBase(meta),
        orderStatus: state,
        ...this.amounts(meta, ev.order),
        lastActTime: ev.order.updatedAt,
      });
    }
  }

  private balanceFrame(
    apiKey: string,
    currency: string,
    free: string,
    total: string,
    changeType: string | null,
    changeTime: number | null,
  ): Record<string, unknown> {
    return {
      currency,
      accountId: this.options.exchange.spotAccountId(apiKey),
      balance: total,
      available: free,
      changeType,
      accountType: 'trade',
      changeTime,
    };
  }

  private pushInitialBalances(session: Session, ch: string): void {
    const apiKey = session.apiKey as string;
    const balances = this.options.exchange.ledger.balances(apiKey);
    for (const [asset, b] of Object.entries(balances)) {
      session.conn.send({
        action: 'push',
        ch,
        data: this.balanceFrame(apiKey, asset.toLowerCase(), b.free.toFixed(), b.total.toFixed(), null, null),
      });
    }
  }

  private onBalanceChange(c: BalanceChange): void {
    if (!this.options.exchange.isApiKey(c.account)) return;
    const changeType =
      c.cause === 'hold'
        ? 'order.place'
        : c.cause === 'trade'
          ? 'order.match'
          : c.cause === 'release'
            ? 'order.cancel'
            : c.cause;
    const total = c.free.plus(c.locked).toFixed();
    const now = this.options.clock.now();
    for (const { session, ch } of this.matching(c.account, (x) => x.startsWith('accounts.update'))) {
      const mode = ch.endsWith('#2') ? 2 : ch.endsWith('#1') ? 1 : 0;
      const base = this.balanceFrame(
        c.account,
        c.asset.toLowerCase(),
        c.free.toFixed(),
        total,
        changeType,
        now,
      );
      if (mode === 2) session.conn.send({ action: 'push', ch, data: base });
      else if (mode === 1) {
        const { available: _a, ...balanceOnly } = base;
        const { balance: _b, ...availableOnly } = base;
        session.conn.send({ action: 'push', ch, data: balanceOnly });
        session.conn.send({ action: 'push', ch, data: availableOnly });
      } else {
        const { available: _a, ...balanceOnly } = base;
        session.conn.send({ action: 'push', ch, data: balanceOnly });
      }
    }
  }
}

// Binance's public market streams (shared/exchanges/binance.md §5): raw `/ws/<stream>`
// and combined `/stream?streams=a/b` connections, live SUBSCRIBE / UNSUBSCRIBE /
// LIST_SUBSCRIPTIONS, the diff depth stream numbered from the engine's book sequence
// exactly as Binance numbers it (U = first change in the event, u = last, absolute
// quantities, 0 removes), and the trade stream. Also keeps a short history of level
// changes so a test can be served a depth snapshot older than the stream.

import type { EngineEvent, WsConnection } from '@hb/testing';
import type { BinanceDepthSnapshot, BinanceDepthUpdateEvent, BinanceLevel } from '../binance-types.js';
import type { BinanceSimExchange, SimMarketState } from './binance-sim-exchange.js';
import type { DepthMode } from './binance-sim-types.js';
import type { BinanceSimLimits } from './binance-sim-weights.js';
import { dec, tradeEvent } from './binance-sim-wire.js';

/** The two diff depth speeds: stream suffix and batching interval. */
const DEPTH_SPEEDS = [
  { suffix: 'depth', intervalMs: 1000 },
  { suffix: 'depth@100ms', intervalMs: 100 },
] as const;

type DepthSuffix = (typeof DEPTH_SPEEDS)[number]['suffix'];

interface DepthBatch {
  first: number;
  last: number;
  readonly bids: Map<string, string>;
  readonly asks: Map<string, string>;
}

interface LevelChange {
  readonly seq: number;
  readonly side: 'bid' | 'ask';
  readonly price: string;
  /** Amount before the change; undefined when the level did not exist. */
  readonly prev: string | undefined;
}

/** Per-symbol book mirror (full depth) plus recent level changes, for old snapshots. */
interface BookHistory {
  readonly bids: Map<string, string>;
  readonly asks: Map<string, string>;
  readonly log: LevelChange[];
}

interface MarketConn {
  readonly conn: WsConnection;
  combined: boolean;
  readonly recent: number[];
}

/**
 * Level changes kept for old snapshots, over all symbols: a thousand symbols
 * must not cost a thousand times the memory of one (each keeps at least 500).
 */
const HISTORY_BUDGET = 1_000_000;
const HISTORY_PER_SYMBOL_MAX = 50_000;
const HISTORY_PER_SYMBOL_MIN = 500;
/** Window of the connection-attempt limit. */
const CONNECTION_WINDOW_MS = 300_000;
const STREAM_NAME_RE = /^[a-z0-9]+@[a-zA-Z0-9_@]+$/;

/** Options of {@link BinanceMarketStreams}. */
export interface BinanceMarketStreamsOptions {
  readonly exchange: BinanceSimExchange;
  readonly depthMode: DepthMode;
  readonly limits: () => BinanceSimLimits;
}

/** The market-stream side of the simulator. */
export class BinanceMarketStreams {
  private readonly exchange: BinanceSimExchange;
  private readonly mode: DepthMode;
  private readonly limits: () => BinanceSimLimits;
  private readonly conns = new Map<number, MarketConn>();
  private readonly batches = new Map<string, Map<DepthSuffix, DepthBatch>>();
  private readonly history = new Map<string, BookHistory>();
  private readonly timers: NodeJS.Timeout[] = [];
  private microtaskQueued = false;
  private refusing = false;
  private readonly historyLimit: number;
  /** Times of recent connection attempts (all clients are one IP on loopback). */
  private readonly attempts: number[] = [];
  /** Streams a live SUBSCRIBE is refused for (see `refuseSubscriptions`). */
  private refusedStreams: RegExp | undefined;

  constructor(options: BinanceMarketStreamsOptions) {
    this.exchange = options.exchange;
    this.mode = options.depthMode;
    this.limits = options.limits;
    this.historyLimit = Math.min(
      HISTORY_PER_SYMBOL_MAX,
      Math.max(
        HISTORY_PER_SYMBOL_MIN,
        Math.floor(HISTORY_BUDGET / Math.max(1, this.exchange.markets.length)),
      ),
    );
    for (const { market } of this.exchange.markets) {
      this.batches.set(market.symbol, new Map());
      this.history.set(market.symbol, { bids: new Map(), asks: new Map(), log: [] });
    }
    if (this.mode === 'interval') {
      for (const speed of DEPTH_SPEEDS) {
        const t = setInterval(() => this.flushSpeed(speed.suffix), speed.intervalMs);
        t.unref();
        this.timers.push(t);
      }
    }
  }

  /** Takes a new `/ws...` or `/stream...` connection. */
  accept(conn: WsConnection): void {
    if (this.refusing) {
      conn.terminate();
      return;
    }
    // 300 connection attempts per 5 minutes per IP (binance.md §5, §9).
    const now = Date.now();
    while (this.attempts.length > 0 && now - (this.attempts[0] as number) >= CONNECTION_WINDOW_MS)
      this.attempts.shift();
    this.attempts.push(now);
    if (this.attempts.length > this.limits().maxConnectionsPer5Min) {
      conn.close(1008, 'Too many connection attempts');
      return;
    }
    const combined = conn.path === '/stream' || conn.path.startsWith('/stream/');
    const initial = combined
      ? (conn.query['streams'] ?? '').split('/')
      : conn.path.replace(/^\/ws\/?/, '').split('/');
    const streams = initial.filter((s) => s !== '');
    if (streams.length > this.limits().maxStreamsPerConnection) {
      conn.close(1008, 'too many streams');
      return;
    }
    const mc: MarketConn = { conn, combined, recent: [] };
    for (const s of streams) conn.streams.add(s);
    this.conns.set(conn.id, mc);
    conn.onMessage((text) => this.onMessage(mc, text));
    // Pings and pongs count against the 5 incoming messages a second, as JSON does.
    conn.onPong(() => this.countIncoming(mc));
    conn.onPing(() => this.countIncoming(mc));
    conn.onClose(() => this.conns.delete(conn.id));
  }

  /**
   * While set, a live `SUBSCRIBE` naming a matching stream is answered with
   * Binance's error shape (`{"code": 2, "msg": ..., "id": n}`) and subscribes
   * nothing; undefined ends it.
   */
  setRefusedSubscriptions(streams: RegExp | undefined): void {
    this.refusedStreams = streams;
  }

  /** How many live `SUBSCRIBE`s were refused by `setRefusedSubscriptions` so far. */
  get refusedSubscriptionCount(): number {
    return this.refusedSubscribes;
  }
  private refusedSubscribes = 0;

  /** While true, new market connections are dropped at once (a stream outage). */
  setRefusing(refusing: boolean): void {
    this.refusing = refusing;
  }

  /** Open market connections. */
  connections(): WsConnection[] {
    return [...this.conns.values()].map((c) => c.conn).filter((c) => c.isOpen);
  }

  /** Feeds one engine event of `m` (level changes and trades). */
  onEngineEvent(m: SimMarketState, ev: EngineEvent): void {
    const symbol = m.market.symbol;
    if (ev.type === 'book_level_changed') {
      this.record(symbol, ev.side, ev.price, ev.amount, ev.bookSequence);
      const batches = this.batches.get(symbol) as Map<DepthSuffix, DepthBatch>;
      for (const { suffix } of DEPTH_SPEEDS) {
        let b = batches.get(suffix);
        if (b === undefined) {
          b = { first: ev.bookSequence, last: ev.bookSequence, bids: new Map(), asks: new Map() };
          batches.set(suffix, b);
        }
        b.last = ev.bookSequence;
        (ev.side === 'bid' ? b.bids : b.asks).set(ev.price, ev.amount);
      }
      if (this.mode === 'immediate' && !this.microtaskQueued) {
        this.microtaskQueued = true;
        queueMicrotask(() => {
          this.microtaskQueued = false;
          this.flush();
        });
      }
    } else if (ev.type === 'trade') {
      const stream = `${symbol.toLowerCase()}@trade`;
      this.publish(stream, tradeEvent(symbol, ev.trade, this.exchange.clock.now()));
    }
  }

  /** Sends every pending depth update now (both speeds). */
  flush(): void {
    for (const { suffix } of DEPTH_SPEEDS) this.flushSpeed(suffix);
  }

  /**
   * The depth snapshot of a symbol as it was right after book change `seq`
   * (`lastUpdateId` = seq; clamped to the retained history and to the present).
   */
  snapshotAt(symbol: string, seq: number, limit: number): BinanceDepthSnapshot {
    const h = this.history.get(symbol) as BookHistory;
    const bids = new Map(h.bids);
    const asks = new Map(h.asks);
    let at = h.log.length === 0 ? seq : (h.log[h.log.length - 1] as LevelChange).seq;
    for (let i = h.log.length - 1; i >= 0; i--) {
      const c = h.log[i] as LevelChange;
      if (c.seq <= seq) break;
      const side = c.side === 'bid' ? bids : asks;
      if (c.prev === undefined) side.delete(c.price);
      else side.set(c.price, c.prev);
      at = c.seq - 1;
    }
    return {
      lastUpdateId: at,
      bids: sortLevels(bids, 'bid', limit),
      asks: sortLevels(asks, 'ask', limit),
    };
  }

  /** Stops the batching timers. */
  close(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers.length = 0;
  }

  private record(symbol: string, side: 'bid' | 'ask', price: string, amount: string, seq: number): void {
    const h = this.history.get(symbol) as BookHistory;
    const book = side === 'bid' ? h.bids : h.asks;
    h.log.push({ seq, side, price, prev: book.get(price) });
    if (h.log.length > this.historyLimit) h.log.splice(0, h.log.length - this.historyLimit / 2);
    if (amount === '0' || Number(amount) === 0) book.delete(price);
    else book.set(price, amount);
  }

  private flushSpeed(suffix: DepthSuffix): void {
    for (const [symbol, batches] of this.batches) {
      const b = batches.get(suffix);
      if (b === undefined) continue;
      batches.delete(suffix);
      const event: BinanceDepthUpdateEvent = {
        e: 'depthUpdate',
        E: this.exchange.clock.now(),
        s: symbol,
        U: b.first,
        u: b.last,
        b: sortLevels(b.bids, 'bid'),
        a: sortLevels(b.asks, 'ask'),
      };
      this.publish(`${symbol.toLowerCase()}@${suffix}`, event);
    }
  }

  private publish(stream: string, data: unknown): void {
    for (const mc of this.conns.values()) {
      if (!mc.conn.isOpen || !mc.conn.streams.has(stream)) continue;
      mc.conn.send(mc.combined ? { stream, data } : data, { stream });
    }
  }

  /** Counts one incoming message; more than the limit per second drops the connection. */
  private countIncoming(mc: MarketConn): boolean {
    const now = Date.now();
    mc.recent.push(now);
    while (mc.recent.length > 0 && now - (mc.recent[0] as number) >= 1000) mc.recent.shift();
    if (mc.recent.length > this.limits().maxIncomingMessagesPerSecond) {
      mc.conn.terminate();
      this.conns.delete(mc.conn.id);
      return false;
    }
    return true;
  }

  private onMessage(mc: MarketConn, text: string): void {
    if (!this.countIncoming(mc)) return;
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      mc.conn.send({ code: 3, msg: 'Invalid JSON: expected value', id: null });
      return;
    }
    if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) {
      mc.conn.send({ code: 2, msg: 'Invalid request: request must be a JSON object', id: null });
      return;
    }
    const req = msg as Record<string, unknown>;
    const id = req['id'];
    const idOk = id === null || typeof id === 'number' || (typeof id === 'string' && id.length <= 36);
    if (!idOk) {
      mc.conn.send({ code: 2, msg: 'Invalid request: invalid id', id: null });
      return;
    }
    const reply = (body: Record<string, unknown>): void => mc.conn.send({ ...body, id });
    const params = req['params'];
    const streams = Array.isArray(params) ? params : [];
    switch (req['method']) {
      case 'SUBSCRIBE':
      case 'UNSUBSCRIBE': {
        if (
          !Array.isArray(params) ||
          !streams.every((s) => typeof s === 'string' && STREAM_NAME_RE.test(s))
        ) {
          reply({ code: 2, msg: 'Invalid request: invalid stream name' });
          return;
        }
        if (req['method'] === 'SUBSCRIBE') {
          const refused = this.refusedStreams;
          const bad = refused === undefined ? [] : (streams as string[]).filter((s) => refused.test(s));
          if (bad.length > 0) {
            this.refusedSubscribes++;
            reply({ code: 2, msg: `Invalid request: stream ${bad[0]} is not available` });
            return;
          }
          const next = new Set([...mc.conn.streams, ...(streams as string[])]);
          if (next.size > this.limits().maxStreamsPerConnection) {
            reply({
              code: 2,
              msg: `Invalid request: too many streams (max ${this.limits().maxStreamsPerConnection})`,
            });
            return;
          }
          for (const s of streams as string[]) mc.conn.streams.add(s);
        } else {
          for (const s of streams as string[]) mc.conn.streams.delete(s);
        }
        reply({ result: null });
        return;
      }
      case 'LIST_SUBSCRIPTIONS':
        reply({ result: [...mc.conn.streams] });
        return;
      case 'SET_PROPERTY':
        if (streams[0] === 'combined' && typeof streams[1] === 'boolean') {
          mc.combined = streams[1];
          reply({ result: null });
        } else {
          reply({ code: 0, msg: 'Unknown property' });
        }
        return;
      case 'GET_PROPERTY':
        if (streams[0] === 'combined') reply({ result: mc.combined });
        else reply({ code: 0, msg: 'Unknown property' });
        return;
      default:
        reply({
          code: 2,
          msg: 'Invalid request: unknown method, expected one of SUBSCRIBE, UNSUBSCRIBE, LIST_SUBSCRIPTIONS, SET_PROPERTY, GET_PROPERTY',
        });
    }
  }
}

function sortLevels(
  levels: ReadonlyMap<string, string>,
  side: 'bid' | 'ask',
  limit?: number,
): BinanceLevel[] {
  const rows = [...levels.entries()].map(([p, a]) => [p, a, Number(p)] as const);
  rows.sort((x, y) => (side === 'bid' ? y[2] - x[2] : x[2] - y[2]));
  const cut = limit === undefined ? rows : rows.slice(0, limit);
  return cut.map(([p, a]) => [dec(p), dec(a)] as const);
}

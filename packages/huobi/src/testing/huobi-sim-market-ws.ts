// The simulator's market sockets (huobi.md §5): every server frame gzip-compressed
// binary; `{"ping": n}` every few seconds and the socket closed after two
// unanswered; `sub`/`unsub`/`req` with the exchange's replies and errors. `/feed`
// carries only the MBP incremental topic (and its `req` refresh, one per 100 ms per
// connection); `/ws` carries trades and depth snapshots. MBP increments are linked
// by `seqNum`/`prevSeqNum` with gaps between numbers, as on the exchange.
import { gzipSync } from 'node:zlib';
import { Prng, type EngineEvent, type EngineTrade, type SimClock, type WsConnection } from '@hb/testing';
import type { HuobiSimExchange, HuobiSimMarket } from './huobi-sim-exchange.js';

/** Options of {@link HuobiSimMarketSockets}. */
export interface HuobiSimMarketSocketsOptions {
  readonly exchange: HuobiSimExchange;
  readonly clock: SimClock;
  readonly seed: number;
  readonly pingIntervalMs: () => number;
  readonly maxMissedPings: () => number;
}

/** Per-symbol MBP chain state. */
interface Chain {
  seqNum: number;
  pending: Map<string, { side: 'bid' | 'ask'; price: string; amount: string }>;
  trades: EngineTrade[];
  queued: boolean;
}

/** The fault-matching stream name of a symbol's MBP increments. */
export function mbpStream(symbol: string): string {
  return `mbp:${symbol}`;
}

/** The fault-matching stream name of a symbol's trades. */
export function tradeStream(symbol: string): string {
  return `trade:${symbol}`;
}

const MBP_LEVELS = [5, 20, 150];

/** The `/ws` and `/feed` endpoints of the simulator. */
export class HuobiSimMarketSockets {
  private readonly chains = new Map<string, Chain>();
  private readonly conns = new Set<WsConnection>();
  private readonly prng: Prng;
  private refusing = false;
  private readonly pongs = new WeakMap<WsConnection, number>();
  private legacyTradeId = 146_507_451_359_183_894_799n;

  constructor(private readonly options: HuobiSimMarketSocketsOptions) {
    this.prng = new Prng(options.seed + 7);
    for (const m of options.exchange.markets) {
      // Huobi's sequence numbers are large and not consecutive.
      this.chains.set(m.info.symbol, {
        seqNum: 100_020_146_000 + this.prng.int(0, 999),
        pending: new Map(),
        trades: [],
        queued: false,
      });
      m.engine.events$.subscribe((ev) => this.onEngineEvent(m, ev));
    }
  }

  /** The symbol's current MBP `seqNum` (what a refresh now would carry), after flushing pending changes. */
  seqNum(symbol: string): number {
    this.flushSymbol(symbol);
    return this.chains.get(symbol)?.seqNum ?? 0;
  }

  /** `{"pong":n}` answers received on a connection so far. */
  pongsOf(conn: WsConnection): number {
    return this.pongs.get(conn) ?? 0;
  }

  /** Open market connections. */
  connections(): WsConnection[] {
    return [...this.conns].filter((c) => c.isOpen);
  }

  /** While on, new market connections are accepted and dropped at once. */
  setRefusing(on: boolean): void {
    this.refusing = on;
  }

  /** Sends every pending increment and trade now. */
  flush(): void {
    for (const symbol of this.chains.keys()) this.flushSymbol(symbol);
  }

  /** Handles a new `/ws` or `/feed` connection. */
  accept(conn: WsConnection): void {
    conn.setFrameEncoder((text) => gzipSync(text));
    if (this.refusing) {
      conn.terminate();
      return;
    }
    this.conns.add(conn);
    const isFeed = conn.path === '/feed';
    let missed = 0;
    let lastReqAt = -Infinity;
    const timer = setInterval(() => {
      // A silenced connection is a dead route (FaultInjector.silenceSocket): no
      // ping reaches the client and no close would either, so the client must
      // find out by itself.
      if (conn.isSilenced) return;
      if (missed >= this.options.maxMissedPings()) {
        // Silent client: the exchange closes the socket.
        conn.close(1000, 'ping timeout');
        return;
      }
      missed++;
      conn.sendRaw(gzipSync(`{"ping":${this.options.clock.now()}}`));
    }, this.options.pingIntervalMs());
    timer.unref();
    conn.onClose(() => {
      clearInterval(timer);
      this.conns.delete(conn);
    });
    const reply = (frame: Record<string, unknown>): void => conn.sendRaw(gzipSync(JSON.stringify(frame)));
    const refuse = (id: unknown, code: string, msg: string): void =>
      reply({ status: 'error', ts: this.options.clock.now(), id, 'err-code': code, 'err-msg': msg });

    conn.onMessage((text) => {
      let msg: Record<string, unknown>;
      try {
        const v: unknown = JSON.parse(text);
        if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not an object');
        msg = v as Record<string, unknown>;
      } catch {
        refuse(undefined, 'bad-request', 'not json string');
        return;
      }
      if (typeof msg['pong'] === 'number') {
        missed = 0;
        this.pongs.set(conn, this.pongsOf(conn) + 1);
        return;
      }
      if (typeof msg['ping'] === 'number') {
        reply({ pong: msg['ping'] });
        return;
      }
      const id = msg['id'];
      const topic = (msg['sub'] ?? msg['unsub'] ?? msg['req']) as unknown;
      if (typeof topic !== 'string') {
        refuse(id, 'bad-request', 'invalid topic');
        return;
      }
      const check = this.checkTopic(topic, isFeed);
      if (check !== undefined) {
        refuse(id, 'bad-request', `${check} ${topic}`);
        return;
      }
      const symbol = topic.split('.')[1] as string;
      if (msg['sub'] !== undefined) {
        conn.streams.add(topic);
        reply({ id, status: 'ok', subbed: topic, ts: this.options.clock.now() });
        return;
      }
      if (msg['unsub'] !== undefined) {
        if (!conn.streams.delete(topic)) {
          refuse(id, 'bad-request', `unsub with not subbed topic ${topic}`);
          return;
        }
        reply({ id, status: 'ok', unsubbed: topic, ts: this.options.clock.now() });
        return;
      }
      // req: one per 100 ms per connection.
      const now = this.options.clock.baseNow();
      if (now - lastReqAt < 100) {
        refuse(id, 'bad-request', '429 too many request');
        return;
      }
      lastReqAt = now;
      if (!topic.includes('.mbp.')) {
        refuse(id, 'bad-request', `invalid topic ${topic}`);
        return;
      }
      // Pending changes get their seqNum first, so the refresh is exactly the book at its seqNum.
      const seqNum = this.seqNum(symbol);
      const levels = Number(topic.split('.')[3]);
      const engine = this.options.exchange.market(symbol)!.engine;
      reply({
        id,
        rep: topic,
        status: 'ok',
        data: {
          seqNum,
          bids: engine.levelsAsNumbers('bid', levels),
          asks: engine.levelsAsNumbers('ask', levels),
        },
      });
    });
  }

  /** Undefined when the topic is valid on this endpoint, else the err-msg prefix. */
  private checkTopic(topic: string, isFeed: boolean): string | undefined {
    const parts = topic.split('.');
    if (parts[0] !== 'market' || parts.length < 3) return 'invalid topic';
    const m = this.options.exchange.market(parts[1] ?? '');
    if (m === undefined) return 'invalid symbol';
    if (m.info.state !== 'online') return 'symbol trade not open now';
    const rest = parts.slice(2).join('.');
    const mbp = /^mbp\.(\d+)$/.exec(rest);
    if (mbp !== null) {
      // The incremental MBP topic lives on /feed only.
      return isFeed && MBP_LEVELS.includes(Number(mbp[1])) ? undefined : 'invalid topic';
    }
    if (isFeed) return 'invalid topic';
    return rest === 'trade.detail' || /^depth\.step[0-5]$/.test(rest) ? undefined : 'invalid topic';
  }

  private onEngineEvent(m: HuobiSimMarket, ev: EngineEvent): void {
    const chain = this.chains.get(m.info.symbol)!;
    if (ev.type === 'book_level_changed') {
      // Several changes of one level in one batch: the last amount wins.
      chain.pending.set(`${ev.side}:${ev.price}`, { side: ev.side, price: ev.price, amount: ev.amount });
    } else if (ev.type === 'trade') {
      chain.trades.push(ev.trade);
    } else {
      return;
    }
    if (!chain.queued) {
      chain.queued = true;
      queueMicrotask(() => this.flushSymbol(m.info.symbol));
    }
  }

  private flushSymbol(symbol: string): void {
    const chain = this.chains.get(symbol);
    if (chain === undefined) return;
    chain.queued = false;
    const now = this.options.clock.now();
    if (chain.pending.size > 0) {
      const bids: [number, number][] = [];
      const asks: [number, number][] = [];
      for (const c of chain.pending.values())
        (c.side === 'bid' ? bids : asks).push([Number(c.price), Number(c.amount)]);
      chain.pending.clear();
      bids.sort((a, b) => b[0] - a[0]);
      asks.sort((a, b) => a[0] - b[0]);
      const prevSeqNum = chain.seqNum;
      chain.seqNum += 1 + this.prng.int(0, 3);
      for (const levels of MBP_LEVELS) {
        const topic = `market.${symbol}.mbp.${levels}`;
        const frame = JSON.stringify({
          ch: topic,
          ts: now,
          tick: { seqNum: chain.seqNum, prevSeqNum, bids, asks },
        });
        for (const c of this.conns)
          if (c.isOpen && c.streams.has(topic)) c.send(frame, { stream: mbpStream(symbol) });
      }
    }
    if (chain.trades.length > 0) {
      const trades = chain.trades.splice(0);
      const topic = `market.${symbol}.trade.detail`;
      // The legacy `id` exceeds 2^53, as on the exchange: written as a bare number literal.
      const rows = trades.map((t) => {
        this.legacyTradeId += 1n;
        return `{"id":${this.legacyTradeId.toString()},"ts":${t.timestamp},"tradeId":${t.tradeId},"amount":${t.amount.toNumber()},"price":${t.price.toNumber()},"direction":"${t.takerSide}"}`;
      });
      const frame = `{"ch":"${topic}","ts":${now},"tick":{"id":${trades[0]!.tradeId},"ts":${now},"data":[${rows.join(',')}]}}`;
      for (const c of this.conns)
        if (c.isOpen && c.streams.has(topic)) c.send(frame, { stream: tradeStream(symbol) });
    }
  }
}

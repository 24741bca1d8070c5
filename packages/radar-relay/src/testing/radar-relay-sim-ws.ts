// Radar's WebSocket (shared/exchanges/radar-relay.md §5): a client sends
// `{type: SUBSCRIBE|UNSUBSCRIBE, topic: BOOK, market, requestId?}` per market and
// gets the request echoed as the acknowledgement, then the market's BOOK events
// (`{action, event}`) as they happen. Each event is sent as the frame of the
// stream `book:<market>`, so the toolkit's frame faults can target one market.
import type { WsConnection } from '@hb/testing';
import type { RadarSimBookEvent } from './radar-relay-sim-types.js';

/** The stream name of a market's BOOK events (for frame faults). */
export function bookStream(market: string): string {
  return `book:${market}`;
}

/** The acknowledgement/error frames the simulator sends (Radar's exact bodies are unconfirmed). */
export type RadarSimWsReply =
  | {
      readonly type: 'SUBSCRIBE' | 'UNSUBSCRIBE';
      readonly topic: string;
      readonly market: string;
      readonly requestId?: number;
    }
  | { readonly type: 'ERROR'; readonly requestId?: number; readonly reason: string };

/** The WebSocket side of the simulator: subscriptions and BOOK event fan-out. */
export class RadarSimSockets {
  private readonly conns = new Set<WsConnection>();
  private refusing = false;
  /** Markets whose SUBSCRIBE is answered with an ERROR frame, and the reason given. */
  private readonly refusedMarkets = new Map<string, string>();
  private refusedCount = 0;

  constructor(private readonly isMarket: (id: string) => boolean) {}

  /** Takes a new connection (any path: Radar served `/v3` and `/`, the connector picks). */
  accept(conn: WsConnection): void {
    if (this.refusing) {
      conn.terminate();
      return;
    }
    this.conns.add(conn);
    conn.onClose(() => this.conns.delete(conn));
    conn.onMessage((text) => this.onMessage(conn, text));
  }

  /** Open connections, oldest first. */
  connections(): WsConnection[] {
    return [...this.conns].filter((c) => c.isOpen);
  }

  /** While on, new connections are accepted and dropped at once. */
  setRefusing(on: boolean): void {
    this.refusing = on;
  }

  /**
   * While set, a SUBSCRIBE to `market`'s BOOK is answered `{type: 'ERROR',
   * requestId, reason}` (as Radar answers a request it refuses) and nothing is
   * subscribed; `undefined` accepts it again. Subscriptions already made stay.
   */
  setRefusedMarket(market: string, reason: string | undefined): void {
    if (reason === undefined) this.refusedMarkets.delete(market);
    else this.refusedMarkets.set(market, reason);
  }

  /** SUBSCRIBE requests refused by {@link setRefusedMarket} so far. */
  get refusedSubscriptions(): number {
    return this.refusedCount;
  }

  /** Sends a BOOK event to the subscribers of its market. */
  publish(market: string, event: RadarSimBookEvent): void {
    const stream = bookStream(market);
    for (const c of this.conns) if (c.isOpen && c.streams.has(stream)) c.send(event, { stream });
  }

  /** Sends any frame (a string verbatim) to the subscribers of `market`, as its BOOK stream: hostile-frame tests. */
  sendRaw(market: string, frame: unknown): number {
    const stream = bookStream(market);
    let n = 0;
    for (const c of this.conns) {
      if (c.isOpen && c.streams.has(stream)) {
        c.send(frame, { stream });
        n += 1;
      }
    }
    return n;
  }

  /** Terminates the connections (of subscribers of `market` when given); returns how many. */
  drop(market?: string): number {
    let n = 0;
    for (const c of this.connections()) {
      if (market === undefined || c.streams.has(bookStream(market))) {
        c.terminate();
        n += 1;
      }
    }
    return n;
  }

  private onMessage(conn: WsConnection, text: string): void {
    // A text "ping" keep-alive (one public client sent it after 5 s of silence).
    if (text.trim() === 'ping') {
      conn.send('pong');
      return;
    }
    let msg: unknown;
    try {
      msg = JSON.parse(text) as unknown;
    } catch {
      conn.send({ type: 'ERROR', reason: 'Malformed JSON' } satisfies RadarSimWsReply);
      return;
    }
    if (typeof msg !== 'object' || msg === null) {
      conn.send({ type: 'ERROR', reason: 'Malformed request' } satisfies RadarSimWsReply);
      return;
    }
    const m = msg as Record<string, unknown>;
    const requestId = typeof m['requestId'] === 'number' ? m['requestId'] : undefined;
    const withId = requestId === undefined ? {} : { requestId };
    const error = (reason: string): void =>
      conn.send({ type: 'ERROR', ...withId, reason } satisfies RadarSimWsReply);
    if (m['type'] !== 'SUBSCRIBE' && m['type'] !== 'UNSUBSCRIBE') return error('Unknown request type');
    const topic = m['topic'];
    const market = m['market'];
    if (topic !== 'BOOK') {
      return error(
        topic === 'TICKER' || topic === 'CANDLE' ? `Topic not supported: ${topic}` : 'Unknown topic',
      );
    }
    if (typeof market !== 'string' || !this.isMarket(market)) return error('Unknown market');
    const refusal = this.refusedMarkets.get(market);
    if (m['type'] === 'SUBSCRIBE' && refusal !== undefined) {
      this.refusedCount += 1;
      return error(refusal);
    }
    const stream = bookStream(market);
    if (m['type'] === 'SUBSCRIBE') conn.streams.add(stream);
    else conn.streams.delete(stream);
    conn.send({ type: m['type'], topic, market, ...withId } satisfies RadarSimWsReply);
  }
}

// Truth at the edges, Radar Relay (the shared live-status suite over the
// relayer simulator and its local chain): every book says whether it is live.
// The suite covers a closed socket, a silent one (no frames, no `pong` to the
// client's text `ping`) and a BOOK stream that stops while the socket still
// answers pings (caught by comparing the book with the relayer's REST book):
// each is `stale` within its bound, then `live` with the relayer's book.
// Radar's own: a refused BOOK subscription (`{type: 'ERROR', requestId, reason}`)
// is a typed, fatal error for that market alone, on the tracker and on the
// market (an event on `streamErrors$`, the book's status, `waitUntilReady`).
// A malformed private key is refused at start with a typed `authentication`
// error: the conformance suite's "wrong key" check (integration/market.spec.ts).
import { expect, it, jest } from '@jest/globals';
import { Subject } from 'rxjs';
import type { HbError, LiveStatusChange, StreamErrorEvent } from '@hb/core/connector';
import { waitFor } from '@hb/testing';
import { describeLiveStatusSuite, type LiveStatusSuiteAdapter } from '@hb/testing/suites';
import { RadarRelayApiClient } from '../src/radar-relay-api-client.js';
import { RADAR_RELAY_SOCKET_TIMING } from '../src/radar-relay-constants.js';
import { RadarRelayMarket } from '../src/radar-relay-market.js';
import { RadarRelayOrderBookDataSource } from '../src/radar-relay-order-book-data-source.js';
import { RadarRelayOrderBookTracker } from '../src/radar-relay-order-book-tracker.js';
import { parseMarkets, parseTokens, type RadarMarket } from '../src/radar-relay-trading-rules.js';
import { bookStream, RadarRelaySimulator } from '../src/testing/index.js';

// Every activity step is a transaction on the local chain (50-400 ms under load):
// the suite's 60 steps of a test need more than the project's 30 s default.
jest.setTimeout(90_000);

const PAIR = 'WETH-DAI';
const OTHER = 'ZRX-WETH';

/** The relayer's markets, as the market loads them (one page holds the simulator's). */
async function loadMarkets(api: RadarRelayApiClient): Promise<readonly RadarMarket[]> {
  const { tokens } = parseTokens(await api.tokens());
  return parseMarkets(await api.markets(1), tokens).markets;
}

/** A market on the relayer for public data only (no key): its book is all it does. Default keep-alive timings. */
function publicMarket(sim: RadarRelaySimulator): RadarRelayMarket {
  return new RadarRelayMarket({
    tradingPairs: [PAIR],
    restUrl: sim.restUrl,
    wsUrl: sim.wsUrl,
    chainId: sim.chainId,
    exchangeAddress: sim.exchangeAddress,
    reconnectMinDelayMs: 20,
    reconnectMaxDelayMs: 200,
  });
}

/** '' when the market's top 20 levels of `pair` equal the relayer's; else both. */
function marketBookDifference(market: RadarRelayMarket, sim: RadarRelaySimulator, pair = PAIR): string {
  const book = market.getOrderBook(pair);
  const got = JSON.stringify({ bids: [...book.bidEntries(20)], asks: [...book.askEntries(20)] });
  const want = JSON.stringify(sim.trueBook(pair, 20));
  return got === want ? '' : `market ${got}, relayer ${want}`;
}

const radarBookTrackers: LiveStatusSuiteAdapter<RadarRelaySimulator, RadarRelayOrderBookTracker> = {
  name: 'radar-relay',
  pair: PAIR,
  async startSimulator(seed) {
    const sim = await RadarRelaySimulator.start({ pollIntervalMs: 50 });
    try {
      // Depth on every market before the tracker starts: posts only (takes need orders to take).
      await sim.activity(seed, { weights: { post: 1, take: 0, cancel: 0 } }).step(24);
    } catch (e) {
      await sim.stop();
      throw e;
    }
    return sim;
  },
  warmupSteps: 6,
  async createTracker(sim, pairs, { socket, silenceTimeoutMs }) {
    const api = new RadarRelayApiClient({ restUrl: sim.restUrl, timeoutMs: 5_000 });
    let markets: Promise<readonly RadarMarket[]> | undefined;
    const errors = new Subject<HbError>();
    const dataSource = new RadarRelayOrderBookDataSource({
      api,
      wsUrl: sim.wsUrl,
      markets: () => (markets ??= loadMarkets(api)),
      nowSeconds: () => sim.chainNow(),
      reconnectMinDelayMs: 20,
      reconnectMaxDelayMs: 200,
      ...socket,
      onProtocolError: (e) => errors.next(e),
    });
    const tracker = new RadarRelayOrderBookTracker(dataSource, pairs, { silenceTimeoutMs });
    return {
      tracker,
      dataSource,
      socket: { errors$: errors.asObservable(), close: () => dataSource.close() },
    };
  },
  marketConnections: (sim) => sim.marketConnections(),
  bookStream: (pair) => bookStream(pair),
  // A refused BOOK subscription (`{type: 'ERROR', requestId, reason}`) is a typed, fatal error for that market alone.
  refusedSubscription: {
    what: 'BOOK subscription',
    pair: OTHER,
    refuse: (sim, pair) => sim.refuseSubscriptions(pair),
    step: (activity) => activity.step(6),
    error: { exchange: 'radar-relay' },
    message: /BOOK ZRX-WETH refused: Market not available/,
    refusals: 1,
    retryGrace: {
      ms: 2_000,
      reason:
        "a retry would come within the socket's 20-200 ms reconnect backoff or the tracker's 1 s retry delay",
    },
  },
};

describeLiveStatusSuite(radarBookTrackers, (context) => {
  it('a refused BOOK subscription reaches the user of the market: a fatal stream error event, a stale book, and waitUntilReady rejects with it', async () => {
    const { sim, cleanup } = context;
    const refusal = sim.refuseSubscriptions(PAIR);
    cleanup.add(() => refusal.restore());
    const market = publicMarket(sim);
    const errors: StreamErrorEvent[] = [];
    const sub = market.streamErrors$.subscribe((e) => errors.push(e));
    cleanup.add(() => sub.unsubscribe());
    cleanup.add(() => market.stop());
    await market.start();
    const ready = await market.waitUntilReady(20_000).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(errors).toHaveLength(1);
    const [event] = errors;
    expect(event).toMatchObject({ source: 'order_book', pair: PAIR, fatal: true });
    expect(event!.error.name).toBe('SubscriptionError');
    expect(event!.error.message).toMatch(/BOOK WETH-DAI refused: Market not available/);
    // Readiness fails at once with the same typed error, not after its timeout.
    expect(ready).toBe(event!.error);
    expect(market.fatalStreamError).toBe(event!.error);
    expect(market.getBookStatus(PAIR)).toMatchObject({ status: 'stale', error: event!.error });
    expect(market.liveStatus.orderBooks[PAIR]?.status).toBe('stale');
    expect(refusal.refused).toBe(1);
  });

  it("with the default keep-alive (text ping every 10 s, dead after 20 s), a silent socket makes the market's book stale within 30 s, then live and equal", async () => {
    const { sim, activity, cleanup } = context;
    expect(RADAR_RELAY_SOCKET_TIMING).toEqual({ pingIntervalMs: 10_000, deadAfterMs: 20_000 });
    const market = publicMarket(sim);
    const changes: { change: LiveStatusChange; at: number }[] = [];
    const sub = market.liveStatus$.subscribe((change) => changes.push({ change, at: Date.now() }));
    cleanup.add(() => sub.unsubscribe());
    cleanup.add(() => market.stop());
    await market.start();
    await market.waitUntilReady(20_000);
    const [first, ...others] = sim.marketConnections();
    expect(others).toHaveLength(0); // the market's socket alone (the suite's tracker is not started here)
    const t0 = Date.now();
    const silence = sim.faults.silenceSocket({ connectionId: first!.id });
    cleanup.add(() => silence.restore());
    const staleAt = (): number | undefined =>
      changes.find(
        ({ change, at }) => change.source === 'order_book' && change.state.status === 'stale' && at >= t0,
      )?.at;
    await waitFor('a stale book', () => staleAt() !== undefined, 30_000);
    expect(staleAt()! - t0).toBeLessThan(30_000);
    expect(market.getBookStatus(PAIR).status).not.toBe('live');
    await waitFor('a new socket', () => sim.marketConnections().some((c) => c.id !== first!.id), 10_000);
    await activity.step(6);
    await waitFor(
      'a live book equal to the relayer',
      () => market.getBookStatus(PAIR).status === 'live' && marketBookDifference(market, sim) === '',
      15_000,
    );
  }, 75_000);
});

// Truth at the edges, Bittrex (the shared live-status suite): every book says
// whether it is live. The suite covers a closed socket, a silent one and a book
// channel that stops while the socket still beats (caught by checking the
// exchange's snapshot sequence). Bittrex's own: a refused `Subscribe` (Bittrex
// answers each channel with `{"Success": false, "ErrorCode": ...}`) is a typed,
// fatal error for that pair alone, whether the pair never was live or was live
// until a reconnect's resubscription was refused; a silent socket is stale
// within 30 s under Bittrex's own timings (keep-alive `{}` every 10 s,
// `heartbeat` every 5 s, dead after negotiate's 20 s KeepAliveTimeout); and a
// refused `Authenticate` is a fatal authentication error the market shows,
// never retried in a loop.
import { expect, it } from '@jest/globals';
import { type HbError, type OrderBookTrackerEvent, type StreamErrorEvent } from '@hb/core/connector';
import { levelDifference, stepActivityPerTurn, waitFor } from '@hb/testing';
import { describeLiveStatusSuite, type RefusedSubscriptionCheck } from '@hb/testing/suites';
import { BittrexMarket } from '../src/bittrex-market.js';
import { bittrexTestMarketOptions, startTestSimulator, type BittrexSimulator } from '../src/testing/index.js';
import { bittrexBookTrackers } from './helpers/sim-env.js';

const PAIR = 'BTC-USDT';
const OTHER = 'ETH-USDT';

/** The typed error of the first fatal `error` event of `pair`. */
function fatalErrorOf(events: readonly OrderBookTrackerEvent[], pair: string): HbError {
  const event = events.find((e) => e.type === 'error' && e.pair === pair);
  expect(event).toMatchObject({ type: 'error', pair, fatal: true });
  return (event as unknown as { error: HbError }).error;
}

const refusedSubscription: RefusedSubscriptionCheck<BittrexSimulator> = {
  what: 'Subscribe',
  pair: OTHER,
  refuse: (sim, pair) => sim.refuseSubscriptions(pair),
  step: (activity) => stepActivityPerTurn(activity, 10),
  error: { exchangeCode: 'INVALID_CHANNEL' },
  message: /ETH-USDT/,
  retryGrace: {
    ms: 1_500,
    reason:
      "a retry would come within the socket's 20-200 ms reconnect backoff or the tracker's 0.5 s retry delay",
  },
};

describeLiveStatusSuite({ ...bittrexBookTrackers, pair: PAIR, refusedSubscription }, (context) => {
  it('a live book whose resubscription is refused after a reconnect is no longer live, with the typed error, and not retried', async () => {
    const { sim, activity, cleanup, startTracker } = context;
    const env = await startTracker();
    await stepActivityPerTurn(activity, 10);
    const refusal = sim.refuseSubscriptions(PAIR);
    cleanup.add(() => refusal.restore());
    sim.dropMarketSockets();
    await waitFor('the refusal', () => env.events.some((e) => e.type === 'error' && e.pair === PAIR));
    const error = fatalErrorOf(env.events, PAIR);
    expect(error.name).toBe('SubscriptionError');
    expect(error.exchangeCode).toBe('INVALID_CHANNEL');
    expect(env.tracker.getPairStatus(PAIR)).toMatchObject({ status: 'stale', error });
    expect(env.tracker.ready).toBe(false);
    const refusedOnce = refusal.refused;
    const t0 = Date.now();
    await waitFor('1.5 s of a halted pair', () => Date.now() - t0 > 1_500);
    expect(refusal.refused).toBe(refusedOnce);
    expect(env.tracker.getPairStatus(PAIR)?.status).toBe('stale');
  });

  it("a silent socket under Bittrex's own timings (heartbeat 5 s, keep-alive 10 s, dead after 20 s) is stale within 30 s, then live and equal", async () => {
    const { cleanup } = context;
    // A simulator at Bittrex's cadences, and the connector's default dead time.
    const sim = await startTestSimulator({ seed: 12 });
    cleanup.add(() => sim.stop());
    const activity = sim.activity(18);
    activity.step(60);
    const { tracker, socket } = await bittrexBookTrackers.createTracker(
      sim,
      [PAIR],
      // The silence probe off: this is the socket's own rule at work.
      { silenceTimeoutMs: 0 },
      cleanup,
    );
    const statuses: { status: string; at: number }[] = [];
    const sub = tracker.status$.subscribe((c) => statuses.push({ status: c.state.status, at: Date.now() }));
    cleanup.add(() => socket.close());
    cleanup.add(() => tracker.stop());
    cleanup.add(() => sub.unsubscribe());
    tracker.start();
    await waitFor('a live book', () => tracker.getPairStatus(PAIR)?.status === 'live');
    const first = sim.hub.marketSockets()[0]!.id;
    const t0 = Date.now();
    sim.faults.silenceSocket({ connectionId: first });
    await stepActivityPerTurn(activity, 10);
    await waitFor('stale', () => statuses.some((s) => s.status === 'stale' && s.at >= t0), 30_000);
    const staleAt = statuses.find((s) => s.status === 'stale' && s.at >= t0)!.at;
    expect(staleAt - t0).toBeLessThan(30_000);
    // Not before the 20 s keep-alive timeout: heartbeats and keep-alives are not expected sooner.
    expect(staleAt - t0).toBeGreaterThanOrEqual(19_000);
    await waitFor('a new socket', () => sim.hub.marketSockets().some((c) => c.id !== first));
    await stepActivityPerTurn(activity, 20);
    await waitFor(
      'live and equal',
      () => {
        sim.flush();
        return (
          tracker.getPairStatus(PAIR)?.status === 'live' && levelDifference(tracker, sim, PAIR, 20) === ''
        );
      },
      10_000,
    );
  }, 60_000);

  it('a wrong key: the refused Authenticate is a fatal authentication error the market shows, and is not retried', async () => {
    const { sim, cleanup } = context;
    const secret = 'wrong-secret-5c2e8a1f-not-the-real-one';
    const market = new BittrexMarket(bittrexTestMarketOptions(sim, { apiSecret: secret }));
    const streamErrors: StreamErrorEvent[] = [];
    const sub = market.streamErrors$.subscribe((e) => streamErrors.push(e));
    cleanup.add(() => sub.unsubscribe());
    cleanup.add(() => market.stop());
    await market.start().catch((e: unknown) => {
      // REST refuses the key too; what counts is what the user stream says.
      expect((e as HbError).reason).toBe('authentication');
    });
    await waitFor('the user stream error', () => streamErrors.some((e) => e.source === 'user_stream'));
    const event = streamErrors.find((e) => e.source === 'user_stream')!;
    expect(event.fatal).toBe(true);
    expect(event.error.reason).toBe('authentication');
    expect(event.error.exchangeCode).toBe('INVALID_SIGNATURE');
    expect(event.error.retryable).toBe(false);
    expect(String(event.error) + JSON.stringify(event.error)).not.toContain(secret);
    // The market says so: the user stream is stale with the error, not ready, and waiting gives up at once.
    expect(market.liveStatus.userStream).toMatchObject({ status: 'stale', error: event.error });
    expect(market.status.userStreamInitialized).toBe(false);
    expect(market.status.missing).toContain('user_stream');
    expect(market.fatalStreamError?.reason).toBe('authentication');
    await expect(market.waitUntilReady(5_000)).rejects.toMatchObject({ reason: 'authentication' });
    expect(sim.hub.authenticateCount).toBe(0);
    const refusals = sim.hub.authenticateRefusals;
    expect(refusals).toBe(1);
    // Negative assertion: a retry would come within the 20-200 ms reconnect backoff.
    const t0 = Date.now();
    await waitFor('1.5 s after the refusal', () => Date.now() - t0 > 1_500);
    expect(sim.hub.authenticateRefusals).toBe(refusals);
    expect(streamErrors.filter((e) => e.source === 'user_stream')).toHaveLength(1);
  });
});

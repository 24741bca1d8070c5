// A refused user-data subscription that retrying fixes is not silent: against the
// simulator, the market's user stream is renewed (eventStreamTerminated) while
// the exchange's clock is skewed, so the re-subscription is refused with -1021.
// The user gets a stream error event with the typed error, the user stream is
// unhealthy while it lasts, and once the clock is re-synced it is live again.
// (Each kind of refusal, rate limits with their retryAfter included, is checked
// against a scripted WebSocket API in test/binance-user-stream-refusals.spec.ts;
// a refused key ending the stream is the conformance suite's check.)
import { afterEach, describe, expect, it } from '@jest/globals';
import type { LiveState, StreamErrorEvent } from '@hb/core/connector';
import { Cleanup, waitFor } from '@hb/testing';
import { startMarket, startSimulator } from './helpers/sim-env.js';

describe('binance: a retryable refusal of the user-data subscription reaches the user', () => {
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  it('a clock-skew refusal (-1021): a non-fatal stream error event with the typed error, the user stream unhealthy while it lasts, then live again', async () => {
    const sim = await startSimulator(cleanup);
    const { market } = await startMarket(cleanup, sim);
    expect(market.status.userStreamInitialized).toBe(true);
    const errors: { event: StreamErrorEvent; healthy: boolean }[] = [];
    const states: LiveState[] = [];
    const subs = [
      market.streamErrors$.subscribe((event) =>
        errors.push({ event, healthy: market.status.userStreamInitialized }),
      ),
      market.liveStatus$.subscribe((c) => {
        if (c.source === 'user_stream') states.push(c.state);
      }),
    ];
    cleanup.add(() => subs.forEach((s) => s.unsubscribe()));

    sim.faults.skewClock(10_000);
    expect(sim.terminateUserStream()).toBe(1);
    await waitFor('the refusal on streamErrors$', () => errors.some((e) => e.event.source === 'user_stream'));
    const refusal = errors.find((e) => e.event.source === 'user_stream')!;
    expect(refusal.event.fatal).toBe(false);
    expect(refusal.event.error).toMatchObject({
      reason: 'authentication',
      exchangeCode: -1021,
      retryable: true,
      exchange: 'binance',
    });
    // Unhealthy when the user heard of it, and stale with the error meanwhile.
    expect(refusal.healthy).toBe(false);
    expect(states).toContainEqual(expect.objectContaining({ status: 'stale', error: refusal.event.error }));

    // The source re-synced the clock and subscribed again: healthy and live.
    await waitFor(
      'the user stream live again',
      () => market.status.userStreamInitialized && market.liveStatus.userStream?.status === 'live',
      10_000,
    );
    expect(sim.userStreamSubscriptions()).toHaveLength(1);
    expect(market.fatalStreamError).toBeUndefined();
    expect(errors.every((e) => !e.event.fatal)).toBe(true);
  });
});

import { describe, expect, it } from '@jest/globals';
import { Subject } from 'rxjs';
import type { Market, MarketEvent } from '@hb/core';
import { EventLog } from '../../src/conformance/event-log.js';
import {
  Cleanup,
  demoAccount,
  has,
  nextTurn,
  sleep,
  startLoggedMarket,
  typesOf,
  waitFor,
} from '../../src/util/test-helpers.js';

describe('Cleanup', () => {
  it('runs every step last-in first-out, past a failing one, and forgets them', async () => {
    const cleanup = new Cleanup();
    const ran: string[] = [];
    cleanup.add(() => ran.push('first'));
    cleanup.add(() => {
      throw new Error('broken');
    });
    cleanup.add(async () => {
      await nextTurn();
      ran.push('last');
    });
    await cleanup.run();
    expect(ran).toEqual(['last', 'first']);
    await cleanup.run();
    expect(ran).toEqual(['last', 'first']);
  });
});

describe('waitFor', () => {
  it('resolves once the predicate holds', async () => {
    let turns = 0;
    const ticking = setInterval(() => (turns += 1), 1);
    await waitFor('three ticks', () => turns >= 3);
    clearInterval(ticking);
    expect(turns).toBeGreaterThanOrEqual(3);
  });

  it('names what it waited for when it gives up', async () => {
    await expect(waitFor('the impossible', () => false, 20)).rejects.toThrow(
      'timed out waiting for the impossible',
    );
  });

  it('sleep and nextTurn resolve', async () => {
    await expect(sleep(1)).resolves.toBeUndefined();
    await expect(nextTurn()).resolves.toBeUndefined();
  });
});

/** A market that only has what EventLog and startLoggedMarket use. */
function fakeMarket(): { market: Market; events: Subject<MarketEvent>; calls: string[] } {
  const events = new Subject<MarketEvent>();
  const calls: string[] = [];
  const market = {
    events$: events.asObservable(),
    start: async () => void calls.push('start'),
    waitUntilReady: async (ms?: number) => void calls.push(`ready ${String(ms)}`),
    stop: async () => void calls.push('stop'),
  } as unknown as Market;
  return { market, events, calls };
}

function event(type: MarketEvent['type'], clientOrderId: string): MarketEvent {
  return { type, clientOrderId, timestamp: 1 } as unknown as MarketEvent;
}

describe('event-log shorthands', () => {
  it('list and find the event types of one order', () => {
    const { market, events } = fakeMarket();
    const log = new EventLog(market);
    events.next(event('BuyOrderCreated', 'a'));
    events.next(event('OrderCancelled', 'b'));
    events.next(event('OrderFilled', 'a'));
    expect(typesOf(log, 'a')).toEqual(['BuyOrderCreated', 'OrderFilled']);
    expect(has(log, 'b', 'OrderCancelled')).toBe(true);
    expect(has(log, 'a', 'OrderCancelled')).toBe(false);
    log.stop();
  });
});

describe('startLoggedMarket', () => {
  it('logs from before the start, waits until ready, and leaves the stopping to the cleanup', async () => {
    const { market, events, calls } = fakeMarket();
    const cleanup = new Cleanup();
    const started = await startLoggedMarket(cleanup, market, 1_234);
    expect(started.market).toBe(market);
    expect(calls).toEqual(['start', 'ready 1234']);
    events.next(event('SellOrderCreated', 'x'));
    expect(typesOf(started.log, 'x')).toEqual(['SellOrderCreated']);
    await cleanup.run();
    expect(calls).toEqual(['start', 'ready 1234', 'stop']);
    events.next(event('OrderCancelled', 'x'));
    expect(typesOf(started.log, 'x')).toEqual(['SellOrderCreated']);
  });
});

describe('demoAccount', () => {
  it('returns the demo account, or says the simulator has none', () => {
    expect(demoAccount({ demoAccount: { apiKey: 'k' } })).toEqual({ apiKey: 'k' });
    expect(() => demoAccount({ demoAccount: undefined })).toThrow('without the demo account');
  });
});

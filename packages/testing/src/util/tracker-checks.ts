// What every connector's order-book-tracker integration test does around the
// tracker under test, written once: start it with its events and the socket's
// errors collected (and stopped at cleanup), compare its books with the
// simulator's, and wait until every pair is in sync. Jest-free.
import type { Observable } from 'rxjs';
import type { HbError } from '@hb/core';
import type {
  OrderBookTracker,
  OrderBookTrackerEvent,
  UserStreamEvent,
  UserStreamTracker,
} from '@hb/core/connector';
import type { SimulatorBase } from '../simulator/simulator-base.js';
import { waitFor, type Cleanup } from './test-helpers.js';

/** The socket (stream, feed) a data source reads from, as a test sees it. */
export interface TrackedSocket {
  readonly errors$: Observable<HbError>;
  close(): Promise<void>;
}

/** What {@link startTrackerForTest} collects while the test runs. */
export interface TrackerRecording {
  /** Every tracker event (synced, gap, resync, error), in order. */
  readonly events: OrderBookTrackerEvent[];
  /** Every error the socket reported without failing. */
  readonly socketErrors: HbError[];
}

/** Starts `tracker`, records its events and `socket`'s errors, stops both at `cleanup`, and waits until ready. */
export async function startTrackerForTest(
  cleanup: Cleanup,
  tracker: OrderBookTracker,
  socket: TrackedSocket,
): Promise<TrackerRecording> {
  const events: OrderBookTrackerEvent[] = [];
  const socketErrors: HbError[] = [];
  const subs = [
    tracker.events$.subscribe((e) => events.push(e)),
    socket.errors$.subscribe((e) => socketErrors.push(e)),
  ];
  cleanup.add(() => socket.close());
  cleanup.add(() => tracker.stop());
  cleanup.add(() => subs.forEach((s) => s.unsubscribe()));
  tracker.start();
  await waitFor('the tracker to be ready', () => tracker.ready);
  return { events, socketErrors };
}

/** '' when the tracker's top `depth` price levels of `pair` equal the simulator's; else what differs. */
export function levelDifference(
  tracker: OrderBookTracker,
  sim: Pick<SimulatorBase, 'trueBook'>,
  pair: string,
  depth: number,
): string {
  const book = tracker.getOrderBook(pair);
  const got = JSON.stringify({ bids: [...book.bidEntries(depth)], asks: [...book.askEntries(depth)] });
  const want = JSON.stringify(sim.trueBook(pair, depth));
  return got === want ? '' : `${pair}: tracked ${got}, simulator ${want}`;
}

/**
 * Waits until the tracker is ready and `difference(pair)` is '' for every
 * pair; throws with the first difference left when it times out.
 */
export async function waitForBooksInSync(
  tracker: OrderBookTracker,
  pairs: readonly string[],
  difference: (pair: string) => string,
  timeoutMs?: number,
): Promise<void> {
  try {
    await waitFor(
      'the books to equal the simulator',
      () => tracker.ready && pairs.every((p) => difference(p) === ''),
      timeoutMs,
    );
  } catch (e) {
    const left = pairs.map(difference).find((d) => d !== '');
    throw new Error(`${(e as Error).message}${left === undefined ? ' (tracker not ready)' : `: ${left}`}`);
  }
}

/**
 * Starts a user stream `tracker`, records its events (subscribed before the
 * start, so none is missed), stops it at `cleanup`, and waits until it says
 * `connected`.
 */
export async function startUserStreamTrackerForTest<T>(
  cleanup: Cleanup,
  tracker: UserStreamTracker<T>,
): Promise<UserStreamEvent<T>[]> {
  const events: UserStreamEvent<T>[] = [];
  const sub = tracker.events$.subscribe((e) => events.push(e));
  cleanup.add(() => tracker.stop());
  cleanup.add(() => sub.unsubscribe());
  tracker.start();
  await waitFor('connected', () => events.some((e) => e.kind === 'connected'));
  return events;
}

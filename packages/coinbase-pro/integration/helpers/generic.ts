// Exchange-independent helpers of the integration tests: a cleanup list, a
// condition wait that never asserts on timing, and event-log shorthands. Nothing
// here knows Coinbase: this file is written to move as is into @hb/testing
// (Binance's integration/helpers/sim-env.ts holds the same helpers), after which
// both connectors import it from there.

import type { MarketEvent } from '@hb/core';
import type { EventLog } from '@hb/testing';

/** Things to close after a test, closed last-in first-out. */
export class Cleanup {
  private readonly steps: (() => unknown)[] = [];

  /** Registers a closing step. */
  add(step: () => unknown): void {
    this.steps.push(step);
  }

  /** Runs every step (even if one fails) and forgets them. */
  async run(): Promise<void> {
    const steps = this.steps.splice(0).reverse();
    for (const step of steps) {
      try {
        await step();
      } catch {
        // Closing is best effort: one failing step must not leave the others open.
      }
    }
  }
}

/** Polls `predicate` every 10 ms; throws (naming `what`) when it has not held within `timeoutMs`. */
export async function waitFor(what: string, predicate: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** Resolves after `ms` (used only to let messages arrive, never as an assertion). */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Resolves on the next turn of the event loop (after pending I/O callbacks). */
export function nextTurn(): Promise<void> {
  return new Promise((r) => setImmediate(r));
}

/** The event types of one order, in emission order. */
export function typesOf(log: EventLog, clientOrderId: string): MarketEvent['type'][] {
  return log.forOrder(clientOrderId).map((e) => e.type);
}

/** Whether the log holds an event of `type` for the order. */
export function has(log: EventLog, clientOrderId: string, type: MarketEvent['type']): boolean {
  return log.forOrder(clientOrderId).some((e) => e.type === type);
}

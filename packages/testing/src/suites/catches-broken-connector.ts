// "The conformance suite fails a broken connector", written once. A connector
// plants a realistic bug in a subclass of its real market (exchange-specific,
// so it stays in the connector) and hands both harnesses here: the named
// conformance check must reject the broken one with a ConformanceFailure (for
// the reason given, when one is), and the same check must pass against the
// real connector on the same seed, so the rejection is the bug's doing and not
// the check's or the simulator's.
import { afterEach, describe, expect, it } from '@jest/globals';
import { ConformanceFailure } from '../conformance/conformance-failure.js';
import { conformanceChecks, type ConformanceCheck } from '../conformance/conformance-checks.js';
import type { ConformanceEnvironment } from '../conformance/conformance-types.js';

/**
 * The conformance check whose name contains `fragment` (the first one, in the
 * suite's order). Throws when there is none, so a renamed check fails the spec
 * that names it instead of leaving it without a test.
 */
export function conformanceCheckNamed(fragment: string): ConformanceCheck {
  const found = conformanceChecks.find((c) => c.name.includes(fragment));
  if (found === undefined) throw new Error(`no conformance check named like "${fragment}"`);
  return found;
}

/** Which of the two connectors a test runs the check against. */
export type BrokenOrReal = 'broken' | 'real';

/** One planted bug for {@link describeCatchesBrokenConnector}. */
export interface PlantedBug<H, E extends ConformanceEnvironment> {
  /** The bug as the test titles name it, e.g. `(c) a book without duplicate detection`. */
  readonly bug: string;
  /** A fragment of the name of the conformance check that must reject it, e.g. `after fault repeatSequence`. */
  readonly check: string;
  /** The harness options that plant it (typically a `createMarket` building the broken subclass). */
  readonly plant: H;
  /**
   * What the ConformanceFailure must say, when it matters why the check failed
   * (e.g. caught by the stale copy itself, not by later activity).
   */
  readonly failureMatches?: RegExp;
  /**
   * Assertions of the exchange's own around each run: called with the fresh
   * environment before the check runs; the function it returns is called after
   * (e.g. how many times the simulator refused the key: many for a connector
   * that retries a refusal, one for the real one).
   */
  readonly around?: (env: E, connector: BrokenOrReal) => () => void;
  /** What the real connector's test title adds after "passes against the real connector", e.g. `which signs in once`. */
  readonly realNote?: string;
  /** Jest timeout of each of the two tests, ms (default: the project's). */
  readonly timeoutMs?: number;
}

/**
 * The bugs every connector's spec plants, as the suite should catch them: the
 * title, the check that rejects them and, where it says, why. A connector adds
 * how to plant one in its market (`plant`) and any assertion of its own.
 */
export const plantedBugs = {
  /** The book ignores the exchange's sequence numbers, so a lost update is never noticed. */
  noGapCheck: { bug: '(a) a book without a gap check', check: 'after fault skipSequence' },
  /** Fills get trade ids of the connector's making, so a REST poll's copy of a fill is not a duplicate. */
  relabelledFills: {
    bug: '(b) fills relabelled with home-made trade ids',
    check: 'restart: tracking states survive a restart',
  },
  /** An update the book already has is applied again instead of dropped as stale. */
  noDuplicateCheck: {
    bug: '(c) a book without duplicate detection',
    check: 'after fault repeatSequence',
    // Caught by the stale copy itself, not rescued or revealed by later activity.
    failureMatches: /right after the repeated update/,
  },
  /** A refused login is taken for a dropped connection and retried with the same wrong key for ever. */
  retriesRefusedKey: {
    bug: '(d) a user stream that retries a refused login for ever',
    check: 'authentication: a wrong key',
  },
} as const satisfies Record<string, Omit<PlantedBug<unknown, ConformanceEnvironment>, 'plant'>>;

/**
 * Defines, for each planted bug, a `describe` block with two tests: the
 * connector with the bug (the harness given `plant`) is rejected by the check
 * named by `check` (a {@link ConformanceFailure}, matching `failureMatches`
 * when given), and the same check passes against the real connector (the
 * harness with no options). Each test starts its own environment and tears it
 * down after.
 *
 * @example
 *   describeCatchesBrokenConnector(myConformanceHarness, [
 *     {
 *       ...plantedBugs.noDuplicateCheck,
 *       plant: { createMarket: (o: MyMarketOptions) => new NoDuplicateCheckMarket(o) },
 *     },
 *   ]);
 */
export function describeCatchesBrokenConnector<H, E extends ConformanceEnvironment>(
  harness: (options?: H) => { setup(): Promise<E> },
  bugs: readonly PlantedBug<H, E>[],
): void {
  for (const bug of bugs) describePlantedBug(harness, bug);
}

function describePlantedBug<H, E extends ConformanceEnvironment>(
  harness: (options?: H) => { setup(): Promise<E> },
  bug: PlantedBug<H, E>,
): void {
  const check = conformanceCheckNamed(bug.check);
  describe(`${bug.bug}: the "${bug.check}" check`, () => {
    let env: E | undefined;
    afterEach(async () => {
      await env?.teardown();
      env = undefined;
    });

    it(
      'rejects the broken connector',
      async () => {
        env = await harness(bug.plant).setup();
        const after = bug.around?.(env, 'broken');
        const failure = await check.run(env).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(failure).toBeInstanceOf(ConformanceFailure);
        if (bug.failureMatches !== undefined)
          expect((failure as ConformanceFailure).message).toMatch(bug.failureMatches);
        after?.();
      },
      bug.timeoutMs,
    );

    const realTitle = 'passes against the real connector';
    it(
      bug.realNote === undefined ? realTitle : `${realTitle}, ${bug.realNote}`,
      async () => {
        env = await harness().setup();
        const after = bug.around?.(env, 'real');
        await expect(check.run(env)).resolves.toBeUndefined();
        after?.();
      },
      bug.timeoutMs,
    );
  });
}

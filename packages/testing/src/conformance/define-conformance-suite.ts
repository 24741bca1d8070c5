import { afterEach, describe, it } from '@jest/globals';
import { conformanceChecks, groupOf, type ConformanceGroup } from './conformance-checks.js';
import type { ConformanceEnvironment, ConformanceHarness } from './conformance-types.js';

/** Options of {@link defineConformanceSuite}. */
export interface ConformanceSuiteOptions {
  /** Per-check timeout, ms. Default 60 s. */
  readonly timeoutMs?: number;
  /** Names of checks to leave out, with the reason printed in the title. */
  readonly skip?: Readonly<Record<string, string>>;
  /**
   * Only the checks of these groups (default all): a connector's seed-requirement
   * specs each run theirs (`market.spec.ts` the order path, `order-book-tracker.spec.ts`
   * the book, `user-stream-tracker.spec.ts` the user stream).
   */
  readonly groups?: readonly ConformanceGroup[];
}

/**
 * Registers the conformance suite as Jest tests: one test per check, each on a
 * fresh simulator and market from `harness.setup()`. A connector runs it with one
 * call from an integration test file:
 *
 *   defineConformanceSuite(binanceConformanceHarness());
 *
 * A check is skipped only when the connector's declared capabilities say the
 * feature is unsupported, and the test title says which capability; a fault the
 * harness does not provide fails its check ("not implemented: fault <name>").
 */
export function defineConformanceSuite(
  harness: ConformanceHarness,
  options: ConformanceSuiteOptions = {},
): void {
  describe(`${harness.name} conformance`, () => {
    let env: ConformanceEnvironment | undefined;
    afterEach(async () => {
      await env?.teardown();
      env = undefined;
    });
    const checks = conformanceChecks.filter(
      (c) => options.groups === undefined || options.groups.includes(groupOf(c)),
    );
    for (const check of checks) {
      const skipReason = options.skip?.[check.name] ?? check.unsupported?.(harness.capabilities);
      if (skipReason) {
        it.skip(`${check.name} (skipped: ${skipReason})`, () => undefined);
        continue;
      }
      it(
        check.name,
        async () => {
          env = await harness.setup();
          await check.run(env);
        },
        options.timeoutMs ?? 60_000,
      );
    }
  });
}

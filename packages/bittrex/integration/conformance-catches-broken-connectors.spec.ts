// The conformance suite is only worth running if it fails a broken connector.
// Two realistic Bittrex bugs, each planted in a subclass of the real
// BittrexMarket, must be rejected by the suite's own checks with a
// ConformanceFailure, while the same checks pass against the unmodified
// connector on the same seed.
import { afterEach, describe, expect, it } from '@jest/globals';
import {
  OrderBookTracker,
  UserStreamTracker,
  consecutiveSequenceRule,
  type SequenceRule,
} from '@hb/core/connector';
import { ConformanceFailure, conformanceChecks, type ConformanceCheck } from '@hb/testing';
import { retry } from 'rxjs';
import { BittrexMarket, type BittrexMarketOptions } from '../src/bittrex-market.js';
import { BittrexMarketStream } from '../src/bittrex-market-stream.js';
import { BittrexOrderBookDataSource } from '../src/bittrex-order-book-data-source.js';
import { parseMarkets, symbolMapOf } from '../src/bittrex-trading-rules.js';
import {
  BittrexUserStreamDataSource,
  type BittrexUserEvent,
} from '../src/bittrex-user-stream-data-source.js';
import {
  bittrexConformanceHarness,
  type BittrexConformanceEnvironment,
} from '../src/testing/bittrex-conformance-harness.js';

/**
 * Bug (c): duplicate detection switched off. Gaps are still seen, but a delta
 * the book already has (`sequence` at or below the book's) is applied again
 * instead of being dropped as stale: a late copy puts an old quantity back.
 */
class NoDuplicateCheckMarket extends BittrexMarket {
  private ownStream: BittrexMarketStream | undefined;
  private readonly rule: SequenceRule = {
    ...consecutiveSequenceRule,
    name: 'consecutive-without-duplicate-check',
    classify: (update, bookUpdateId) => (update.updateId > bookUpdateId + 1 ? 'gap' : 'apply'),
  };

  protected override createOrderBookTracker(): OrderBookTracker {
    const dataSource = new BittrexOrderBookDataSource({
      api: this.api,
      depth: 25,
      context: async () => {
        const symbols = symbolMapOf(parseMarkets(await this.api.markets()));
        this.ownStream ??= new BittrexMarketStream({
          signalrUrl: this.urls.signalr,
          depth: 25,
          reconnectMinDelayMs: 20,
        });
        return { symbols, stream: this.ownStream };
      },
    });
    return new OrderBookTracker({ dataSource, tradingPairs: this.tradingPairs, sequenceRule: this.rule });
  }

  override async stop(): Promise<void> {
    await super.stop();
    await this.ownStream?.close();
    this.ownStream = undefined;
  }
}

/**
 * Bug (d): a refused `Authenticate` treated like a dropped socket. The user
 * stream signs in again and again with the refused key (after a short backoff,
 * telling no one), so the user never learns the key is wrong and the account
 * waits for ever.
 */
class RetriesRefusedKeyMarket extends BittrexMarket {
  protected override createUserStreamTracker(): UserStreamTracker<BittrexUserEvent> | undefined {
    const auth = this.api.signer;
    if (!auth) return undefined;
    const source = new BittrexUserStreamDataSource({
      signalrUrl: this.urls.signalr,
      auth,
      reconnectMinDelayMs: 20,
      reconnectMaxDelayMs: 200,
    });
    return new UserStreamTracker<BittrexUserEvent>({
      dataSource: { listen: () => source.listen().pipe(retry({ delay: 100 })) },
    });
  }
}

function check(fragment: string): ConformanceCheck {
  const found = conformanceChecks.find((c) => c.name.includes(fragment));
  if (found === undefined) throw new Error(`no conformance check named like "${fragment}"`);
  return found;
}

describe('the conformance suite fails broken connectors: bittrex', () => {
  let env: BittrexConformanceEnvironment | undefined;
  afterEach(async () => {
    await env?.teardown();
    env = undefined;
  });

  const repeatSequenceCheck = check('after fault repeatSequence');
  const wrongKeyCheck = check('authentication: a wrong key');

  it('(c) a book without duplicate detection: the repeatSequence book check rejects it', async () => {
    env = await bittrexConformanceHarness({
      createMarket: (o: BittrexMarketOptions) => new NoDuplicateCheckMarket(o),
    }).setup();
    const failure = await repeatSequenceCheck.run(env).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(ConformanceFailure);
    // Caught by the stale copy itself, not rescued or revealed by later activity.
    expect(String(failure)).toMatch(/right after the repeated update/);
  });

  it('(c) the same check passes against the real connector', async () => {
    env = await bittrexConformanceHarness().setup();
    await expect(repeatSequenceCheck.run(env)).resolves.toBeUndefined();
  });

  it('(d) a user stream that retries a refused Authenticate for ever: the wrong-key check rejects it', async () => {
    env = await bittrexConformanceHarness({
      createMarket: (o: BittrexMarketOptions) => new RetriesRefusedKeyMarket(o),
    }).setup();
    const sim = env.simulator;
    const refusalsBefore = sim.hub.authenticateRefusals;
    await expect(wrongKeyCheck.run(env)).rejects.toThrow(ConformanceFailure);
    // It was retrying: the key was refused again and again.
    expect(sim.hub.authenticateRefusals - refusalsBefore).toBeGreaterThan(2);
  }, 40_000);

  it('(d) the same check passes against the real connector, which signs in once', async () => {
    env = await bittrexConformanceHarness().setup();
    const sim = env.simulator;
    const refusalsBefore = sim.hub.authenticateRefusals;
    await expect(wrongKeyCheck.run(env)).resolves.toBeUndefined();
    expect(sim.hub.authenticateRefusals - refusalsBefore).toBe(1);
  }, 40_000);
});

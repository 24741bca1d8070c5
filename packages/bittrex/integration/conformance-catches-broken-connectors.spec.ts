// The conformance suite is only worth running if it fails a broken connector.
// Two realistic Bittrex bugs, each planted in a subclass of the real
// BittrexMarket, must be rejected by the suite's own checks with a
// ConformanceFailure, while the same checks pass against the unmodified
// connector on the same seed.
import { describe, expect } from '@jest/globals';
import {
  OrderBookTracker,
  UserStreamTracker,
  consecutiveSequenceRule,
  type SequenceRule,
} from '@hb/core/connector';
import { describeCatchesBrokenConnector, plantedBugs } from '@hb/testing/suites';
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

describe('the conformance suite fails broken connectors: bittrex', () => {
  describeCatchesBrokenConnector(bittrexConformanceHarness, [
    {
      ...plantedBugs.noDuplicateCheck,
      plant: { createMarket: (o: BittrexMarketOptions) => new NoDuplicateCheckMarket(o) },
    },
    {
      ...plantedBugs.retriesRefusedKey,
      plant: { createMarket: (o: BittrexMarketOptions) => new RetriesRefusedKeyMarket(o) },
      around: (env: BittrexConformanceEnvironment, connector) => {
        const hub = env.simulator.hub;
        const refusalsBefore = hub.authenticateRefusals;
        return () => {
          const refusals = hub.authenticateRefusals - refusalsBefore;
          // The broken one was retrying: the key was refused again and again;
          // the real one signs in once.
          if (connector === 'broken') expect(refusals).toBeGreaterThan(2);
          else expect(refusals).toBe(1);
        };
      },
      realNote: 'which signs in once',
      timeoutMs: 40_000,
    },
  ]);
});

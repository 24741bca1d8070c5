// The conformance suite is only worth running if it fails a broken connector.
// Two realistic Huobi bugs, each planted in a subclass of the real HuobiMarket,
// must be rejected by the suite's own checks with a ConformanceFailure, while the
// same checks pass against the unmodified connector on the same seed.
import { describe } from '@jest/globals';
import {
  HbError,
  OrderBookTracker,
  previousIdSequenceRule,
  type SequenceRule,
  type UserStreamEvent,
} from '@hb/core/connector';
import { describeCatchesBrokenConnector, plantedBugs } from '@hb/testing/suites';
import { catchError, throwError, type Observable } from 'rxjs';
import { HuobiMarket, type HuobiMarketOptions } from '../src/huobi-market.js';
import { HuobiMarketStream } from '../src/huobi-market-stream.js';
import { HuobiOrderBookDataSource } from '../src/huobi-order-book-data-source.js';
import { HuobiUserStreamDataSource } from '../src/huobi-user-stream-data-source.js';
import { HuobiUserStreamTracker } from '../src/huobi-user-stream-tracker.js';
import { huobiConformanceHarness } from '../src/testing/huobi-conformance-harness.js';

/**
 * Bug (c): duplicate detection switched off. Gaps are still seen (an increment
 * whose `prevSeqNum` is ahead of the book), but one the book already has (its
 * `seqNum` at or below the book's) is applied again instead of dropped as stale.
 */
const withoutDuplicateCheck: SequenceRule = {
  ...previousIdSequenceRule,
  name: 'previous-id-without-duplicate-check',
  classify: (update, bookUpdateId) =>
    update.updateId <= bookUpdateId ? 'apply' : previousIdSequenceRule.classify(update, bookUpdateId),
};

/** A Huobi market whose book follows {@link withoutDuplicateCheck}, on a market stream of its own. */
class NoDuplicateCheckMarket extends HuobiMarket {
  private ownStream: HuobiMarketStream | undefined;

  protected override createOrderBookTracker(): OrderBookTracker {
    this.ownStream ??= new HuobiMarketStream({
      wsUrl: this.urls.ws,
      feedUrl: this.urls.feed,
      symbols: () => this.api.symbols,
      reconnectMinDelayMs: 20,
    });
    return new OrderBookTracker({
      dataSource: new HuobiOrderBookDataSource(this.api, this.ownStream),
      tradingPairs: this.tradingPairs,
      sequenceRule: withoutDuplicateCheck,
    });
  }

  override async stop(): Promise<void> {
    await super.stop();
    await this.ownStream?.close();
    this.ownStream = undefined;
  }
}

/**
 * Bug (d): a refused login is taken for a dropped connection. The account
 * stream's `auth.fail` reaches the tracker as a retryable network error, so the
 * stream logs in again with the same wrong key, forever.
 */
class RetriesRefusedLoginMarket extends HuobiMarket {
  protected override createUserStreamTracker(): HuobiUserStreamTracker | undefined {
    const auth = this.api.signer;
    if (auth === undefined) return undefined;
    const source = new HuobiUserStreamDataSource({
      url: this.urls.accountWs,
      auth,
      reconnectMinDelayMs: 20,
      reconnectMaxDelayMs: 200,
    });
    const retrying = {
      listen: (): Observable<UserStreamEvent<unknown>> =>
        source.listen().pipe(
          catchError((e: unknown) =>
            throwError(
              () =>
                new HbError('network', 'huobi: account stream closed, logging in again', {
                  retryable: true,
                  cause: e,
                }),
            ),
          ),
        ),
    };
    return new HuobiUserStreamTracker(retrying as HuobiUserStreamDataSource);
  }
}

describe('the conformance suite fails broken Huobi connectors', () => {
  describeCatchesBrokenConnector(huobiConformanceHarness, [
    {
      ...plantedBugs.noDuplicateCheck,
      plant: { createMarket: (o: HuobiMarketOptions) => new NoDuplicateCheckMarket(o) },
    },
    {
      ...plantedBugs.retriesRefusedKey,
      plant: { createMarket: (o: HuobiMarketOptions) => new RetriesRefusedLoginMarket(o) },
      failureMatches: /reported the wrong key as network, not fatal/,
    },
  ]);
});

// The conformance suite is only worth running if it fails a broken connector.
// Three realistic bugs, each planted in a subclass of the real BinanceMarket, must be
// rejected by the suite's own checks with a ConformanceFailure, while the same
// checks pass against the unmodified connector on the same seed.
import { describe } from '@jest/globals';
import {
  OrderBookTracker,
  noSequenceRule,
  rangeSequenceRule,
  type SequenceRule,
  type UserStreamUpdate,
} from '@hb/core/connector';
import { describeCatchesBrokenConnector, plantedBugs } from '@hb/testing/suites';
import { BinanceMarket, type BinanceMarketOptions } from '../src/binance-market.js';
import { BinanceMarketStream } from '../src/binance-market-stream.js';
import { BinanceOrderBookDataSource } from '../src/binance-order-book-data-source.js';
import type { BinanceUserDataFrame } from '../src/binance-user-stream-data-source.js';
import { binanceConformanceHarness } from '../src/testing/binance-conformance-harness.js';

/**
 * A Binance market whose book follows another sequence rule than Binance's
 * `rangeSequenceRule`: the planted bugs (a) and (c).
 */
abstract class OtherSequenceRuleMarket extends BinanceMarket {
  private ownStream: BinanceMarketStream | undefined;
  protected abstract readonly rule: SequenceRule;

  protected override createOrderBookTracker(): OrderBookTracker {
    const dataSource = new BinanceOrderBookDataSource({
      api: this.api,
      context: async () => {
        const symbols = await this.symbolMap();
        this.ownStream ??= new BinanceMarketStream({
          wsUrl: this.urls.marketStream,
          symbols,
          reconnectMinDelayMs: 20,
        });
        return { symbols, stream: this.ownStream };
      },
    });
    return new OrderBookTracker({
      dataSource,
      tradingPairs: this.tradingPairs,
      sequenceRule: this.rule,
    });
  }

  override async stop(): Promise<void> {
    await super.stop();
    await this.ownStream?.close();
    this.ownStream = undefined;
  }
}

/**
 * Bug (a): the order book ignores Binance's `U`/`u` sequence numbers (core's
 * `noSequenceRule`), so a lost diff is never noticed.
 */
class NoGapCheckMarket extends OtherSequenceRuleMarket {
  protected readonly rule = noSequenceRule;
}

/**
 * Bug (c): duplicate detection switched off: gaps are still seen, but an update
 * the book already has (`u` at or below the book's id) is applied again instead
 * of being dropped as stale.
 */
class NoDuplicateCheckMarket extends OtherSequenceRuleMarket {
  protected readonly rule: SequenceRule = {
    ...rangeSequenceRule,
    name: 'range-without-duplicate-check',
    classify: (update, bookUpdateId) =>
      (update.firstUpdateId ?? update.updateId) > bookUpdateId + 1 ? 'gap' : 'apply',
  };
}

/**
 * Bug (b): fills from the user stream get a trade id of the connector's own making
 * instead of Binance's `t`, so the same fill seen again by a REST poll (`myTrades`,
 * Binance's ids) is not recognised as a duplicate.
 */
class RelabelledFillsMarket extends BinanceMarket {
  private relabelled = 0;

  protected override parseUserStreamEvent(frame: BinanceUserDataFrame): UserStreamUpdate[] {
    return super
      .parseUserStreamEvent(frame)
      .map((u) =>
        u.kind === 'trade'
          ? { kind: 'trade', update: { ...u.update, tradeId: `stream-${++this.relabelled}` } }
          : u,
      );
  }
}

describe('the conformance suite fails broken connectors', () => {
  describeCatchesBrokenConnector(binanceConformanceHarness, [
    {
      ...plantedBugs.noGapCheck,
      plant: { createMarket: (o: BinanceMarketOptions) => new NoGapCheckMarket(o) },
    },
    {
      ...plantedBugs.relabelledFills,
      plant: { createMarket: (o: BinanceMarketOptions) => new RelabelledFillsMarket(o) },
    },
    {
      ...plantedBugs.noDuplicateCheck,
      plant: { createMarket: (o: BinanceMarketOptions) => new NoDuplicateCheckMarket(o) },
    },
  ]);
});

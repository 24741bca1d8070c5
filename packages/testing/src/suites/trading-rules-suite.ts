// The trading-rule list checks every connector makes of its list parser,
// written once: the documented list loads whole, an unreadable entry is skipped
// and reported with its symbol and why (the rest still load), and a body that is
// not the list at all is an error rather than an empty market. What each rule
// holds is the connector's own (see describeDecoding).
import { describe, expect, it } from '@jest/globals';
import { isHbError, type TradingRulesResult } from '@hb/core/connector';

/** One connector's trading-rule list parser and its documented inputs. */
export interface TradingRuleListCase {
  /** The list parser (`parseTradingRules`): the exchange's market-list body in, rules and skips out. */
  readonly parse: (body: unknown) => TradingRulesResult;
  /** The documented market-list body (a fixture) ... */
  readonly body: unknown;
  /** ... and the hb pairs of its entries, in order. */
  readonly pairs: readonly string[];
  /** `body` with one unreadable entry added, and that entry's exchange symbol. */
  readonly withUnreadableEntry: { readonly body: unknown; readonly symbol: string };
  /** A body that is not the market list, and what the error it throws says. */
  readonly notTheList: { readonly body: unknown; readonly error: RegExp };
}

/**
 * Registers the list checks for `exchange`'s trading-rule parser in a
 * `describe`; `extra` registers the connector's own tests in it.
 */
export function describeTradingRuleList(
  exchange: string,
  list: TradingRuleListCase,
  extra?: () => void,
): void {
  describe(`${exchange} trading-rule list`, () => {
    it('loads every entry of the documented list and skips none', () => {
      const { rules, skipped } = list.parse(list.body);
      expect(rules.map((r) => r.tradingPair)).toEqual(list.pairs);
      expect(skipped).toEqual([]);
    });

    it('skips an unreadable entry and reports its symbol and why, instead of failing the whole list', () => {
      const { rules, skipped } = list.parse(list.withUnreadableEntry.body);
      expect(rules.map((r) => r.tradingPair)).toEqual(list.pairs);
      expect(skipped.map((s) => [s.symbol, isHbError(s.error), s.error.reason])).toEqual([
        [list.withUnreadableEntry.symbol, true, 'malformed_message'],
      ]);
    });

    it('throws when the body is not the market list', () => {
      expect(() => list.parse(list.notTheList.body)).toThrow(list.notTheList.error);
    });
    extra?.();
  });
}

// `hb demo`: the whole path with no keys and no network. The connector's simulator
// runs in-process with seeded activity; the CLI shows the live book and places,
// fills and cancels a few orders on the funded demo account, narrating each event.
import BigNumber from 'bignumber.js';
import type { MarketEvent } from '@hb/core';
import type { ParsedCommand } from '../args.js';
import { ensureAllowances, hasAllowances } from '../approvals.js';
import type { CliMarket, OrderType } from '../contracts.js';
import { EXIT_INTERRUPTED, formatErrorLine } from '../errors.js';
import { bookRecord, bookSummaryLine, describeEvent, eventRecord, fmtNum, renderBook } from '../format.js';
import {
  connect,
  findConnector,
  openMarket,
  waitForAccount,
  waitForBook,
  type CliContext,
} from '../session.js';

type Cmd = Extract<ParsedCommand, { command: 'demo' }>;

/** The exchange `hb demo` runs when none is named: the only place the CLI names one. */
export const DEFAULT_DEMO_EXCHANGE = 'binance';

/** Levels per side in the demo's book view. */
const VIEW_DEPTH = 8;
/** Narration lines kept under the live view on a terminal. */
const LOG_LINES = 12;

/** One scripted step, run at a fraction of the duration. */
interface DemoStep {
  readonly at: number;
  readonly run: () => Promise<void> | void;
}

/** Sizes the demo's orders from the pair's trading rule, whatever the exchange. */
export function demoAmount(
  rule: { minOrderSize: unknown; minNotional: unknown; minBaseAmountIncrement: unknown },
  price: number,
): BigNumber {
  const minSize = big(rule.minOrderSize);
  const minNotional = big(rule.minNotional);
  const step = big(rule.minBaseAmountIncrement);
  let amount = BigNumber.max(minSize.times(3), price > 0 ? minNotional.times(3).div(price) : 0);
  if (amount.isZero()) amount = step.gt(0) ? step.times(10) : new BigNumber(1);
  // Up to the size step, so the order passes the rule check it is meant to pass.
  if (step.gt(0)) amount = amount.div(step).integerValue(BigNumber.ROUND_CEIL).times(step);
  return amount;
}

function big(v: unknown): BigNumber {
  const b = new BigNumber(String(v));
  return b.isFinite() ? b : new BigNumber(0);
}

/** `hb demo [exchange]`. */
export async function runDemo(ctx: CliContext, cmd: Cmd): Promise<number> {
  const exchange = cmd.exchange ?? DEFAULT_DEMO_EXCHANGE;
  const connector = await findConnector(ctx, exchange);
  const connection = await connect(ctx, connector, cmd.options, true, true);
  const sandbox = connection.sandbox!;
  const pair = cmd.pair ?? sandbox.tradingPairs[0];
  const json = cmd.options.json;
  const out = ctx.out;
  const log: string[] = [];
  const narrate = (message: string): void => {
    if (json) out.record({ type: 'demo', exchange, message });
    else if (out.interactive) {
      log.push(`${new Date().toISOString().slice(11, 19)}  ${message}`);
      if (log.length > LOG_LINES) log.shift();
    } else out.line(message);
  };
  if (pair === undefined) {
    narrate('the simulator lists no pairs');
    return 1;
  }
  narrate(
    `${connector.descriptor.displayName} simulator running in-process at ${sandbox.endpoints.restUrl} and ${sandbox.endpoints.wsUrl} (seed ${cmd.options.seed}), with synthetic traders`,
  );
  const m = await openMarket(ctx, connector, connection, [pair], true);
  const market = m.market;
  await waitForBook(ctx, m, pair);
  await waitForAccount(ctx, m);
  const book = market.getOrderBook(pair);
  const [base = '', quote = ''] = pair.split('-');
  if (hasAllowances(market)) {
    // On-chain venue: the sandbox's demo wallet approves the venue's contract (a
    // simulated chain: nothing real is at stake, so the demo does not ask).
    narrate(`approving the demo wallet's ${base} and ${quote} for the venue's contract (sandbox chain)`);
    await ensureAllowances(ctx, m, [base, quote], true, json);
  }
  const balanceText = (): string =>
    [base, quote]
      .map((a) => {
        const b = market.getAllBalances().get(a);
        return `${a} ${b === undefined ? '0' : fmtNum(b.total)}`;
      })
      .join(', ');
  narrate(`${pair} book in sync at update ${book.lastUpdateId}; demo account funded: ${balanceText()}`);

  const sub = market.events$.subscribe((e: MarketEvent) => {
    if (json) out.record(eventRecord(exchange, e));
    else
      narrate(
        e.type === 'OrderFailure'
          ? formatErrorLine(e.error, { exchange }).replace(/^hb: /, 'OrderFailure (as expected): ')
          : describeEvent(exchange, e),
      );
  });
  ctx.onCleanup(() => sub.unsubscribe());

  const rule = market.tradingRules.get(pair);
  const orderTypes: readonly OrderType[] = connector.descriptor.capabilities?.orderTypes ?? ['limit'];
  let restingId: string | undefined;
  const place = (
    side: 'buy' | 'sell',
    amount: BigNumber,
    type: OrderType,
    price: BigNumber | undefined,
    why: string,
  ): string => {
    const at = price === undefined ? '' : ` @ ${price.toFixed()}`;
    narrate(`${why}: ${type} ${side} ${amount.toFixed()} ${pair}${at}`);
    return side === 'buy'
      ? market.buy(pair, amount.toFixed(), type, price?.toFixed())
      : market.sell(pair, amount.toFixed(), type, price?.toFixed());
  };
  const steps: DemoStep[] = [
    {
      at: 0.15,
      run: () => {
        if (!rule) return;
        const price = quantizePrice(market, pair, book.bestBid * 0.995);
        restingId = place(
          'buy',
          demoAmount(rule, book.bestBid),
          'limit',
          price,
          'placing a limit buy below the best bid (it rests on the book)',
        );
      },
    },
    {
      at: 0.35,
      run: () => {
        if (!rule) return;
        const amount = demoAmount(rule, book.bestAsk);
        if (orderTypes.includes('market'))
          place(
            'buy',
            amount,
            'market',
            undefined,
            'placing a market buy (it takes the best asks and fills)',
          );
        else
          place(
            'buy',
            amount,
            'limit',
            quantizePrice(market, pair, book.bestAsk * 1.005),
            'placing a limit buy above the best ask (it fills)',
          );
      },
    },
    {
      at: 0.55,
      run: async () => {
        if (restingId === undefined) return;
        const order = market.activeOrders.find((o) => o.clientOrderId === restingId);
        if (!order) {
          narrate(`order ${restingId} is no longer open: nothing to cancel`);
          return;
        }
        narrate(`cancelling the resting order ${restingId}`);
        await market
          .cancel(pair, restingId)
          .catch((e: unknown) => narrate(formatErrorLine(e, { exchange, operation: 'cancelling' })));
      },
    },
    {
      at: 0.7,
      run: () => {
        if (!rule) return;
        const min = big(rule.minOrderSize);
        if (!min.gt(0)) return;
        place(
          'buy',
          min.div(10),
          'limit',
          quantizePrice(market, pair, book.bestBid * 0.99),
          'placing an order below the minimum size (the connector refuses it before sending)',
        );
      },
    },
  ];

  const durationMs = cmd.duration * 1000;
  const started = Date.now();
  let next = 0;
  let lastPlain = 0;
  let lastId = -1;
  while (!ctx.isInterrupted()) {
    const elapsed = Date.now() - started;
    while (next < steps.length && elapsed >= steps[next]!.at * durationMs) await steps[next++]!.run();
    const now = Date.now();
    if (now - lastPlain >= 1_000 && book.lastUpdateId !== lastId) {
      lastPlain = now;
      lastId = book.lastUpdateId;
      if (json) out.record({ type: 'book', ...bookRecord(exchange, pair, book, VIEW_DEPTH) });
      else if (!out.interactive) out.line(bookSummaryLine(exchange, pair, book));
    }
    if (out.interactive) {
      const remaining = Math.max(0, Math.ceil((durationMs - elapsed) / 1000));
      out.redraw([
        ...renderBook(exchange, pair, book, VIEW_DEPTH, {
          updatesPerSecond: 0,
          inSync: market.status.orderBooksInitialized,
        }).filter((_, i) => i !== 1),
        '',
        ...log,
        `(demo ends in ${remaining} s; Ctrl-C to stop)`,
      ]);
    }
    if (elapsed >= durationMs && next >= steps.length) break;
    await Promise.race([new Promise((r) => setTimeout(r, 100)), ctx.interrupted]);
  }
  if (ctx.isInterrupted()) {
    out.endRedraw();
    return EXIT_INTERRUPTED;
  }
  narrate(`demo finished: balances now ${balanceText()}`);
  if (out.interactive) {
    out.redraw([
      ...renderBook(exchange, pair, book, VIEW_DEPTH, { updatesPerSecond: 0, inSync: true }).filter(
        (_, i) => i !== 1,
      ),
      '',
      ...log,
    ]);
    out.endRedraw();
  }
  out.line(
    `next: hb book ${exchange} ${pair} --sandbox, or set ${keyEnvNames(exchange, connector.descriptor.credentialFields)} and drop --sandbox`,
  );
  return 0;
}

function quantizePrice(market: CliMarket, pair: string, price: number): BigNumber {
  return new BigNumber(market.quantizeOrderPrice(pair, String(price)).toFixed());
}

/** The env vars of a connector's keys, as the `next:` hint names them (`HB_BINANCE_API_KEY/_API_SECRET`). */
function keyEnvNames(exchange: string, fields: readonly string[]): string {
  const prefix = `HB_${exchange.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
  const suffix: Record<string, string> = {
    apiKey: 'API_KEY',
    apiSecret: 'API_SECRET',
    passphrase: 'PASSPHRASE',
    privateKey: 'PRIVATE_KEY',
    rpcUrl: 'RPC_URL',
  };
  const names = fields.map((f) => suffix[f] ?? f.toUpperCase());
  const keys = names.length === 0 ? '' : `${prefix}_${names.join('/_')}`;
  // On-chain venues also need a node.
  return fields.includes('privateKey') ? `${keys} (and HB_ETHEREUM_RPC_URL or --rpc-url)` : keys;
}

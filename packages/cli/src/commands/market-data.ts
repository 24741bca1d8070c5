// `hb exchanges`, `hb book`, `hb trades`: public data, no keys needed.
import type { TradeMessage } from '@hb/core';
import type { ParsedCommand } from '../args.js';
import { EXIT_INTERRUPTED } from '../errors.js';
import {
  bookRecord,
  bookStatusLine,
  bookSummaryLine,
  formatTable,
  renderBook,
  tradeLine,
  tradeRecord,
} from '../format.js';
import {
  connect,
  findConnector,
  hasAllKeys,
  noteBookSource,
  openMarket,
  waitForBook,
  type CliContext,
} from '../session.js';

type Cmd<K extends ParsedCommand['command']> = Extract<ParsedCommand, { command: K }>;

/** `hb exchanges`: installed connectors, their versions and what they support. */
export async function runExchanges(ctx: CliContext, cmd: Cmd<'exchanges'>): Promise<number> {
  const { connectors, failures } = await ctx.connectors();
  if (cmd.options.json) {
    for (const c of connectors) {
      const d = c.descriptor;
      ctx.out.record({
        name: d.name,
        displayName: d.displayName,
        version: d.version,
        package: c.packageName,
        orderTypes: d.capabilities?.orderTypes ?? [],
        // The connector's declared capabilities, as data (what the conformance suite reads).
        capabilities: d.capabilities ?? null,
        credentials: d.credentialFields,
        sandbox: c.testingEntry !== undefined,
      });
    }
  } else if (connectors.length === 0) {
    // The packages are not on the npm registry yet: each README says how to install from the repository.
    ctx.out.line('no hb connector is installed (install @hb/<exchange> from the repository: see its README)');
  } else {
    const rows = connectors.map((c) => [
      c.descriptor.name,
      c.descriptor.version,
      c.descriptor.displayName,
      c.packageName,
      (c.descriptor.capabilities?.orderTypes ?? []).join(','),
      c.testingEntry !== undefined ? 'yes' : 'no',
    ]);
    for (const l of formatTable(['EXCHANGE', 'VERSION', 'NAME', 'PACKAGE', 'ORDER TYPES', 'SANDBOX'], rows))
      ctx.out.line(l);
  }
  for (const f of failures) ctx.out.note(`hb: ${f.packageName}: not loaded: ${f.reason}`);
  return 0;
}

/** Measures the exchange's update rate from the advance of the book's update id. */
class RateMeter {
  private readonly samples: { t: number; id: number }[] = [];

  sample(id: number, t = Date.now()): void {
    this.samples.push({ t, id });
    while (this.samples.length > 2 && t - this.samples[0]!.t > 3_000) this.samples.shift();
  }

  get perSecond(): number {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || !last || last.t === first.t) return 0;
    return Math.max(0, ((last.id - first.id) * 1000) / (last.t - first.t));
  }
}

/** How often the JSON stream may print (the contract: at most one line per 100 ms). */
const JSON_INTERVAL_MS = 100;
/** Repaint interval of the terminal view. */
const REPAINT_MS = 200;
/** Plain-line interval on a pipe. */
const PLAIN_INTERVAL_MS = 1_000;

/**
 * `hb book`: the live book; `--once` waits for a live book, prints it and exits
 * (non-zero when none comes in time). Configured keys are used when present
 * (Coinbase serves its level-3 `full` channel to signed subscriptions only).
 * Every JSON line carries `live`; a change of the book's live status prints a
 * line at once; the terminal view marks a book that is not live (`STALE`).
 */
export async function runBook(ctx: CliContext, cmd: Cmd<'book'>): Promise<number> {
  const connector = await findConnector(ctx, cmd.exchange);
  const connection = await connect(ctx, connector, cmd.options, false);
  const withKeys = hasAllKeys(connector, connection.credentials);
  noteBookSource(ctx, connector, withKeys);
  const m = await openMarket(ctx, connector, connection, [cmd.pair], withKeys);
  await waitForBook(ctx, m, cmd.pair);
  const book = m.market.getOrderBook(cmd.pair);
  const name = m.exchange;
  const stateOf = () => m.market.getBookStatus(cmd.pair);
  if (cmd.once) {
    if (cmd.options.json) ctx.out.record(bookRecord(name, cmd.pair, book, cmd.depth, stateOf()));
    else
      for (const l of renderBook(name, cmd.pair, book, cmd.depth, {
        updatesPerSecond: 0,
        inSync: true,
        status: stateOf(),
      }))
        ctx.out.line(l);
    return 0;
  }
  // A change of live status wakes the loop at once: a stale book is news now, not at the next tick.
  let wake: () => void = () => undefined;
  const sub = m.market.liveStatus$.subscribe((c) => {
    if (c.source === 'order_book' && c.pair === cmd.pair) wake();
  });
  ctx.onCleanup(() => sub.unsubscribe());
  const meter = new RateMeter();
  const interval = cmd.options.json ? JSON_INTERVAL_MS : ctx.out.interactive ? REPAINT_MS : PLAIN_INTERVAL_MS;
  let lastPrinted = -1;
  let lastStatus = 'live';
  while (!ctx.isInterrupted()) {
    const state = stateOf();
    const live = state.status === 'live';
    const changed = state.status !== lastStatus;
    lastStatus = state.status;
    const id = book.lastUpdateId;
    meter.sample(id);
    if (cmd.options.json) {
      // A status change at once; otherwise only live states that moved: never a half-built book.
      if (changed || (live && id !== lastPrinted)) {
        ctx.out.record(bookRecord(name, cmd.pair, book, cmd.depth, state));
        lastPrinted = id;
      }
    } else if (ctx.out.interactive) {
      // The view fits the terminal: 3 header lines, a separator and the cursor line besides the levels.
      const fit = Math.max(1, Math.min(cmd.depth, Math.floor((ctx.out.rows - 5) / 2)));
      const lines = renderBook(name, cmd.pair, book, fit, {
        updatesPerSecond: meter.perSecond,
        inSync: live,
        status: state,
      });
      ctx.out.redraw(
        lines.map((l) =>
          l.startsWith('  ask')
            ? ctx.out.paint(l, 'red')
            : l.startsWith('  bid')
              ? ctx.out.paint(l, 'green')
              : l,
        ),
      );
    } else {
      if (changed) ctx.out.line(bookStatusLine(name, cmd.pair, state));
      if (live && id !== lastPrinted) {
        ctx.out.line(bookSummaryLine(name, cmd.pair, book));
        lastPrinted = id;
      }
    }
    await Promise.race([sleepMs(interval), ctx.interrupted, new Promise<void>((r) => (wake = r))]);
  }
  ctx.out.endRedraw();
  return EXIT_INTERRUPTED;
}

/** `hb trades`: one line per public trade until interrupted (or `--count` trades). */
export async function runTrades(ctx: CliContext, cmd: Cmd<'trades'>): Promise<number> {
  const connector = await findConnector(ctx, cmd.exchange);
  const connection = await connect(ctx, connector, cmd.options, false);
  const withKeys = hasAllKeys(connector, connection.credentials);
  const m = await openMarket(ctx, connector, connection, [cmd.pair], withKeys);
  const book = m.market.getOrderBook(cmd.pair);
  ctx.out.status(`waiting for ${cmd.pair} trades…`);
  let seen = 0;
  let done: () => void = () => undefined;
  const finished = new Promise<void>((r) => (done = r));
  const sub = book.trades$.subscribe((t: TradeMessage) => {
    if (cmd.count !== undefined && seen >= cmd.count) return;
    seen++;
    if (cmd.options.json) ctx.out.record(tradeRecord(m.exchange, t));
    else ctx.out.line(tradeLine(t));
    if (cmd.count !== undefined && seen >= cmd.count) done();
  });
  ctx.onCleanup(() => sub.unsubscribe());
  await Promise.race([finished, ctx.interrupted]);
  return ctx.isInterrupted() ? EXIT_INTERRUPTED : 0;
}

function sleepMs(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

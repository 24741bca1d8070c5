// `hb ticker`, `hb candles`, `hb my-trades`: one REST call each, no stream opened.
import type { ParsedCommand } from '../args.js';
import type { CliMarket } from '../contracts.js';
import { candleRecord, fmtNum, formatTable, myTradeRecord, tickerRecord } from '../format.js';
import {
  asCliError,
  buildMarket,
  connect,
  findConnector,
  raceInterrupt,
  withTimeout,
  type CliContext,
} from '../session.js';

type Cmd<K extends ParsedCommand['command']> = Extract<ParsedCommand, { command: K }>;

/** How long one REST call may take, ms. */
const REST_TIMEOUT_MS = 20_000;

async function call<T>(
  ctx: CliContext,
  m: { name: string; restUrl: string | undefined },
  operation: string,
  fn: () => Promise<T>,
): Promise<T> {
  ctx.out.status(`${operation} from ${m.name}…`);
  try {
    return await raceInterrupt(ctx, withTimeout(fn(), REST_TIMEOUT_MS));
  } catch (e) {
    throw asCliError(e, { exchange: m.name, operation, url: m.restUrl });
  } finally {
    ctx.out.clearStatus();
  }
}

async function restMarket(
  ctx: CliContext,
  cmd: { exchange: string; pair: string; options: Cmd<'ticker'>['options'] },
  withKeys: boolean,
): Promise<{ market: CliMarket; name: string; restUrl: string | undefined }> {
  const connector = await findConnector(ctx, cmd.exchange);
  const connection = await connect(ctx, connector, cmd.options, withKeys);
  return buildMarket(ctx, connector, connection, [cmd.pair], withKeys);
}

/** `hb ticker`: last price, best bid/ask and 24 h statistics. */
export async function runTicker(ctx: CliContext, cmd: Cmd<'ticker'>): Promise<number> {
  const m = await restMarket(ctx, cmd, false);
  const t = await call(ctx, m, 'fetching the ticker', () => m.market.getTicker(cmd.pair));
  if (cmd.options.json) {
    ctx.out.record(tickerRecord(m.name, t));
    return 0;
  }
  ctx.out.line(
    `${m.name} ${t.tradingPair}  last ${fmtNum(t.lastPrice)}  bid ${fmtNum(t.bestBid)}  ask ${fmtNum(t.bestAsk)}`,
  );
  ctx.out.line(
    `24h  open ${fmtNum(t.open24h)}  high ${fmtNum(t.high24h)}  low ${fmtNum(t.low24h)}  volume ${fmtNum(t.volume24h)}` +
      (t.quoteVolume24h === undefined ? '' : ` (${fmtNum(t.quoteVolume24h)} quote)`),
  );
  return 0;
}

/** `hb candles`: OHLCV rows, oldest first. */
export async function runCandles(ctx: CliContext, cmd: Cmd<'candles'>): Promise<number> {
  const m = await restMarket(ctx, cmd, false);
  const candles = await call(ctx, m, 'fetching candles', () =>
    m.market.getCandles(cmd.pair, cmd.interval, { since: cmd.since, limit: cmd.limit }),
  );
  if (cmd.options.json) {
    for (const c of candles) ctx.out.record(candleRecord(m.name, c));
    return 0;
  }
  if (candles.length === 0) {
    ctx.out.line(`${m.name} ${cmd.pair}: no ${cmd.interval} candles in that range`);
    return 0;
  }
  const rows = candles.map((c) => [
    new Date(c.openTime).toISOString().replace('.000Z', 'Z'),
    fmtNum(c.open),
    fmtNum(c.high),
    fmtNum(c.low),
    fmtNum(c.close),
    fmtNum(c.volume),
  ]);
  for (const l of formatTable(
    [`OPEN TIME (${cmd.interval})`, 'OPEN', 'HIGH', 'LOW', 'CLOSE', 'VOLUME'],
    rows,
  ))
    ctx.out.line(l);
  return 0;
}

/** `hb my-trades`: the account's fills on a pair, oldest first. */
export async function runMyTrades(ctx: CliContext, cmd: Cmd<'my-trades'>): Promise<number> {
  const m = await restMarket(ctx, cmd, true);
  const trades = await call(ctx, m, 'fetching own trades', () =>
    m.market.getMyTrades(cmd.pair, { since: cmd.since, limit: cmd.limit }),
  );
  if (cmd.options.json) {
    for (const t of trades) ctx.out.record(myTradeRecord(m.name, t));
    return 0;
  }
  if (trades.length === 0) {
    ctx.out.line(`${m.name} ${cmd.pair}: no trades of this account in that range`);
    return 0;
  }
  const rows = trades.map((t) => [
    new Date(t.timestamp).toISOString(),
    t.side,
    fmtNum(t.amount),
    fmtNum(t.price),
    `${fmtNum(t.fee.amount)} ${t.fee.asset}`,
    t.isMaker ? 'maker' : 'taker',
    t.exchangeOrderId,
  ]);
  for (const l of formatTable(['TIME', 'SIDE', 'AMOUNT', 'PRICE', 'FEE', 'ROLE', 'ORDER'], rows))
    ctx.out.line(l);
  return 0;
}

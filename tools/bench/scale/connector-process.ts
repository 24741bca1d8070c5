/**
 * The connector side of the scale benchmark, in its own process (forked by
 * run.ts): a venue's market (public data, no keys) tracking every pair of the
 * simulator, measured over IPC commands.
 *
 * Usage: node connector-process.js <binance|coinbase-pro>
 */
import type { ConnectorCommand, ConnectorReply } from './protocol.js';
import { createMarket, orderBookDigest, type Venue } from './venues.js';

const venue = process.argv[2] as Venue;
let market: ReturnType<typeof createMarket> | undefined;
let maxRss = 0;
const sampler = setInterval(() => {
  maxRss = Math.max(maxRss, process.memoryUsage().rss);
}, 250);
sampler.unref();

function reply(m: ConnectorReply): void {
  process.send?.(m);
}

async function onCommand(cmd: ConnectorCommand): Promise<void> {
  switch (cmd.type) {
    case 'start': {
      const started = Date.now();
      market = createMarket(venue, cmd, cmd.pairs);
      try {
        await market.start();
        await market.waitUntilReady(cmd.readyTimeoutMs);
        reply({ type: 'ready', readyMs: Date.now() - started });
      } catch (e) {
        reply({
          type: 'ready',
          readyMs: Date.now() - started,
          error: e instanceof Error ? e.message : String(e),
        });
      }
      return;
    }
    case 'measure': {
      const m = market!;
      const cpu0 = process.cpuUsage();
      const diffs0 = m.orderBookStats?.diffsApplied ?? 0;
      const t0 = Date.now();
      await new Promise((r) => setTimeout(r, cmd.seconds * 1000));
      const seconds = (Date.now() - t0) / 1000;
      const cpu = process.cpuUsage(cpu0);
      const stats = m.orderBookStats;
      const mem = process.memoryUsage();
      maxRss = Math.max(maxRss, mem.rss);
      reply({
        type: 'measured',
        rssMb: mem.rss / 2 ** 20,
        heapMb: mem.heapUsed / 2 ** 20,
        maxRssMb: maxRss / 2 ** 20,
        cpuPercent: ((cpu.user + cpu.system) / 1e6 / seconds) * 100,
        diffsPerSecond: ((stats?.diffsApplied ?? 0) - diffs0) / seconds,
        resyncs: stats?.resyncs ?? 0,
      });
      return;
    }
    case 'digests': {
      const m = market!;
      reply({
        type: 'digests',
        digests: Object.fromEntries(m.tradingPairs.map((p) => [p, orderBookDigest(m.getOrderBook(p))])),
      });
      return;
    }
    case 'stop':
      await market?.stop();
      process.exit(0);
  }
}

process.on('message', (raw) => {
  onCommand(raw as ConnectorCommand).catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
});

/**
 * The simulator side of the scale benchmark, in its own process (forked by
 * run.ts): starts the venue's simulator with N markets, seeds their books, and
 * answers the parent's commands over IPC.
 *
 * Usage: node sim-process.js <binance|coinbase-pro> <pairs> <stepsPerSecond>
 */
import { bookDigest, startSimulator, type Venue } from './venues.js';
import type { SimCommand, SimReply } from './protocol.js';

async function main(): Promise<void> {
  const [venue, pairsArg, rateArg] = process.argv.slice(2) as [Venue, string, string];
  const sim = await startSimulator(venue, Number(pairsArg), 12);
  // A few dozen levels per book before the connector looks.
  sim.activity.stepSpread(sim.tradingPairs.length * 25);
  const reply = (m: SimReply): void => {
    process.send?.(m);
  };
  let cpuAt = process.cpuUsage();
  let wallAt = Date.now();
  let stepsAt = 0;
  process.on('message', (raw) => {
    const cmd = raw as SimCommand;
    switch (cmd.type) {
      case 'run':
        sim.activity.run(Number(rateArg));
        cpuAt = process.cpuUsage();
        wallAt = Date.now();
        stepsAt = sim.stats().steps;
        return;
      case 'quiet': {
        sim.activity.stop();
        const cpu = process.cpuUsage(cpuAt);
        const seconds = (Date.now() - wallAt) / 1000;
        const steps = sim.stats().steps - stepsAt;
        // Changes after the last snapshot too, then everything out.
        sim.activity.stepSpread(sim.tradingPairs.length * 2);
        sim.flush();
        reply({
          type: 'quiet',
          stepsPerSecond: steps / seconds,
          cpuPercent: ((cpu.user + cpu.system) / 1e6 / seconds) * 100,
          rssMb: process.memoryUsage().rss / 2 ** 20,
          connections: sim.stats().connections,
        });
        return;
      }
      case 'digests':
        sim.flush();
        reply({
          type: 'digests',
          digests: Object.fromEntries(
            sim.tradingPairs.map((p) => {
              const b = sim.trueBook(p);
              return [p, bookDigest(b.bids, b.asks)];
            }),
          ),
        });
        return;
      case 'stop':
        void sim.stop().then(() => process.exit(0));
        return;
    }
  });
  reply({ type: 'started', restUrl: sim.restUrl, wsUrl: sim.wsUrl, pairs: [...sim.tradingPairs] });
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});

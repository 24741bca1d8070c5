/**
 * `npm run soak -- --exchange <binance|coinbase-pro> --faults 10000 --seed N`
 * (at the repo root): runs the soak (see soak.ts), prints its figures, and exits
 * 1 on any lost or doubled fill, book divergence, balance or open-order mismatch.
 */
import {
  SOAK_EXCHANGES,
  SOAK_FAULT_KINDS,
  formatSoakReport,
  runSoak,
  soakPassed,
  type SoakExchange,
} from './soak.js';

function arg(name: string, fallback?: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? process.argv[i + 1] : undefined;
  if (v === undefined) {
    if (fallback !== undefined) return fallback;
    console.error(
      `usage: npm run soak -- --exchange <${SOAK_EXCHANGES.join('|')}> [--faults 10000] [--seed 1] [--kinds a,b]`,
    );
    process.exit(2);
  }
  return v;
}

const exchange = arg('exchange');
if (!(SOAK_EXCHANGES as readonly string[]).includes(exchange)) {
  console.error(`unknown exchange ${exchange}; known: ${SOAK_EXCHANGES.join(', ')}`);
  process.exit(2);
}
const faults = Number(arg('faults', '10000'));
const seed = Number(arg('seed', '1'));
if (!Number.isSafeInteger(faults) || faults < 0 || !Number.isSafeInteger(seed)) {
  console.error('--faults and --seed must be integers');
  process.exit(2);
}

// --kinds http_delay,apply_then_timeout: only those fault kinds (to reproduce a problem faster).
const kindsArg = arg('kinds', '');
const kinds = kindsArg === '' ? undefined : kindsArg.split(',');
const unknownKind = kinds?.find((k) => !(SOAK_FAULT_KINDS as readonly string[]).includes(k));
if (unknownKind !== undefined) {
  console.error(`unknown fault kind ${unknownKind}; known: ${SOAK_FAULT_KINDS.join(', ')}`);
  process.exit(2);
}

const report = await runSoak({
  exchange: exchange as SoakExchange,
  faults,
  seed,
  kinds,
  log: (line) => console.log(line),
});
for (const line of formatSoakReport(report)) console.log(line);
process.exit(soakPassed(report) ? 0 : 1);

#!/usr/bin/env node
// Pack check: do @hb/core, @hb/testing, @hb/binance and @hb/coinbase-pro work as a user installs them?
//
// Builds the three packages from a clean state with Nx, packs them with `npm pack`,
// installs the tarballs into an empty project outside the workspace, type-checks a
// small TypeScript consumer against the packed types (module nodenext, no custom
// export conditions, so only the `exports` map decides what resolves), runs it with
// node, and checks the installed tree: no ethers, and @hb/binance's main entry does
// not import @hb/testing (only the ./testing subpath may). A bot script then trades
// against the packed Binance simulator with the awaitable API (placeOrder, typed
// errors, round, watchOrderBook, cancelOrder) and must exit by itself. Prints one line per check
// and a PASS/FAIL summary; exits 1 on any failure.
//
//   npm run pack:check                 (root)
//   node tools/scripts/pack-check.mjs [--no-clean] [--keep]
//
// --no-clean keeps the existing dist folders (and the Nx cache); --keep leaves the
// temporary folder for inspection. Registry access is needed only for the packages'
// third-party dependencies (bignumber.js, ky, rxjs, ws, @types/ws), with --prefer-offline.

import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
  mkdirSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PACKAGES = ['core', 'testing', 'binance', 'coinbase-pro'];
const args = new Set(process.argv.slice(2));
const clean = !args.has('--no-clean');
const keep = args.has('--keep');

const results = [];
/** Records one check's outcome and prints it at once. */
function check(name, ok, detail = '') {
  results.push({ name, ok });
  console.log(`${ok ? 'PASS' : 'FAIL'}  ${name}${detail ? ` — ${detail}` : ''}`);
  return ok;
}

/** Runs a command; returns { ok, out } with stdout+stderr (trimmed tail on failure). */
function run(cmd, argv, options = {}) {
  const r = spawnSync(cmd, argv, { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`
    .split('\n')
    .filter((l) => !l.includes('Unknown user config "nodedir"'))
    .join('\n')
    .trim();
  return { ok: r.status === 0, out, stdout: r.stdout ?? '' };
}
const tail = (text, lines = 15) => text.split('\n').slice(-lines).join('\n');
/** The lines of a node failure that say what went wrong (not the stack). */
const errorLines = (text) =>
  text
    .split('\n')
    .filter((l) => /Error|Cannot|not found|refuse/i.test(l) && !/^\s+at /.test(l))
    .slice(0, 4)
    .join('\n      ') || tail(text, 8);
const npm = (argv, options) => run('npm', argv, options);
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

/** Files under `dir`, relative to it. */
function walk(dir, base = dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? walk(full, base) : [relative(base, full)];
  });
}

/** Every `exports` target a user can reach (the workspace's @hb/source condition aside). */
function exportTargets(exportsField) {
  const out = [];
  const visit = (node, condition) => {
    if (typeof node === 'string') {
      if (condition !== '@hb/source') out.push(node);
    } else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) visit(v, k.startsWith('.') ? condition : k);
    }
  };
  visit(exportsField, undefined);
  return [...new Set(out)];
}

/** Bare specifiers imported by `entry` and every relative module it reaches (static imports and re-exports). */
function importGraph(entry) {
  const seen = new Set();
  const bare = new Map(); // specifier -> first file importing it
  const queue = [entry];
  const re =
    /(?:^|[;\s])(?:import|export)\s*(?:[^'"]*?\sfrom\s*)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
  while (queue.length > 0) {
    const file = queue.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(re)) {
      const spec = m[1] ?? m[2];
      if (spec.startsWith('.')) queue.push(resolve(dirname(file), spec));
      else if (!bare.has(spec)) bare.set(spec, file);
    }
  }
  return { files: seen, bare };
}

const began = Date.now();
const work = mkdtempSync(join(tmpdir(), 'hb-pack-check-'));
console.log(`pack check: ${PACKAGES.map((p) => `@hb/${p}`).join(', ')}; temp folder ${work}`);

try {
  // ---------------------------------------------------------------- build
  if (clean) {
    for (const p of PACKAGES) rmSync(join(ROOT, 'packages', p, 'dist'), { recursive: true, force: true });
  }
  const nxFlags = clean ? ['--skip-nx-cache'] : [];
  // binance alone first: its dependsOn ^build must build core and testing before it.
  const single = run('npx', ['nx', 'run', 'binance:build', '--output-style=static', ...nxFlags]);
  const depsBuilt = ['core', 'testing', 'binance'].every((p) =>
    existsSync(join(ROOT, 'packages', p, 'dist', 'index.js')),
  );
  check(
    `nx run binance:build${clean ? ' from clean dist folders' : ''} builds core, testing and binance (dependsOn ^build)`,
    single.ok && depsBuilt,
    single.ok ? (depsBuilt ? '' : 'a dependency was not built') : `\n${tail(single.out)}`,
  );
  const many = run('npx', ['nx', 'run-many', '-t', 'build', '-p', ...PACKAGES, '--output-style=static']);
  check(`nx run-many -t build -p ${PACKAGES.join(' ')}`, many.ok, many.ok ? '' : `\n${tail(many.out)}`);
  if (!single.ok || !many.ok) {
    // Keep going with a plain TypeScript build so the packaging checks still report.
    const tsc = run(process.execPath, [
      join(ROOT, 'node_modules/typescript/bin/tsc'),
      '-b',
      'packages/binance/tsconfig.lib.json',
      'packages/coinbase-pro/tsconfig.lib.json',
    ]);
    console.log(
      `      (continuing after a plain \`tsc -b packages/binance/tsconfig.lib.json\`: ${tsc.ok ? 'ok' : 'failed'})`,
    );
    if (!tsc.ok) throw new Error(`tsc -b failed:\n${tail(tsc.out)}`);
  }

  // Stale outputs (a dist file whose source is gone) would ship in the tarball.
  for (const p of PACKAGES) {
    const dir = join(ROOT, 'packages', p);
    const stale = walk(join(dir, 'dist'))
      .filter((f) => f.endsWith('.js'))
      .filter((f) => !existsSync(join(dir, 'src', f.replace(/\.js$/, '.ts'))));
    check(`@hb/${p} dist has no stale outputs`, stale.length === 0, stale.length ? stale.join(', ') : '');
  }

  // ---------------------------------------------------------------- pack
  const tarDir = join(work, 'tarballs');
  mkdirSync(tarDir);
  const tarballs = {};
  for (const p of PACKAGES) {
    const dir = join(ROOT, 'packages', p);
    const manifest = readJson(join(dir, 'package.json'));
    const packed = npm(['pack', dir, '--pack-destination', tarDir, '--json']);
    if (!check(`npm pack @hb/${p}`, packed.ok, packed.ok ? '' : `\n${tail(packed.out)}`)) continue;
    const info = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('[')))[0];
    tarballs[p] = join(tarDir, info.filename);
    const files = new Set(info.files.map((f) => f.path));
    const missing = exportTargets(manifest.exports)
      .concat(manifest.main ?? [], manifest.types ?? [])
      .map((t) => t.replace(/^\.\//, ''))
      .filter((t) => !files.has(t));
    const unwanted = [...files].filter(
      (f) => /^(src|test|integration)\//.test(f) || f.endsWith('.tsbuildinfo') || f.endsWith('.spec.js'),
    );
    check(
      `@hb/${p} tarball: every exports/main/types target is inside, no sources, tests or build info`,
      missing.length === 0 && unwanted.length === 0,
      `${info.entryCount} files, ${(info.size / 1024).toFixed(0)} KiB packed` +
        (missing.length ? `; missing: ${missing.join(', ')}` : '') +
        (unwanted.length
          ? `; should not ship: ${unwanted.slice(0, 8).join(', ')}${unwanted.length > 8 ? ', ...' : ''}`
          : ''),
    );
  }

  // ---------------------------------------------------------------- install
  const app = join(work, 'consumer');
  mkdirSync(join(app, 'src'), { recursive: true });
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({ name: 'hb-pack-consumer', version: '0.0.0', private: true, type: 'module' }, null, 2),
  );
  const install = npm(
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      ...PACKAGES.map((p) => tarballs[p]).filter(Boolean),
    ],
    { cwd: app },
  );
  if (
    !check(
      'npm install of the tarballs into an empty project',
      install.ok,
      install.ok ? '' : `\n${tail(install.out)}`,
    )
  ) {
    throw new Error('cannot continue without an installed project');
  }

  // ---------------------------------------------------------------- consumer
  writeFileSync(
    join(app, 'tsconfig.json'),
    JSON.stringify(
      {
        compilerOptions: {
          target: 'ES2022',
          lib: ['ES2022'],
          module: 'nodenext',
          moduleResolution: 'nodenext',
          strict: true,
          // Check the packed .d.ts files too, not only the consumer.
          skipLibCheck: false,
          types: ['node'],
          outDir: 'dist',
          rootDir: 'src',
        },
        include: ['src/**/*.ts'],
      },
      null,
      2,
    ),
  );
  writeFileSync(
    join(app, 'src', 'main.ts'),
    `import { BinanceMarket, connector } from '@hb/binance';
import { OrderBook, HbError } from '@hb/core';

const book = new OrderBook('BTC-USDT');
book.applySnapshot([[100, 1], [99, 2]], [[101, 3]], 1);
book.applyDiffs([[100, 0]], [[102, 1]], 2);
if (book.bestBid !== 99 || book.bestAsk !== 101 || book.lastUpdateId !== 2) {
  throw new HbError('unknown', 'the packed OrderBook gave a wrong book');
}
const market: BinanceMarket = new BinanceMarket({ tradingPairs: ['BTC-USDT'] });
console.log(JSON.stringify({ connector: connector.name, version: connector.version, market: market.name, bestBid: book.bestBid, bestAsk: book.bestAsk }));
`,
  );
  writeFileSync(
    join(app, 'src', 'simulator.ts'),
    `import { BinanceSimulator } from '@hb/binance/testing';

const sim = await BinanceSimulator.start({ depthMode: 'manual' });
const markets = sim.markets.map((m) => m.pair);
await sim.stop();
console.log(JSON.stringify({ simulatorMarkets: markets }));
`,
  );
  // A bot author's script on the packed packages and the simulator: awaitable orders,
  // typed errors, rounding, and an async iterator over the book. It must end by
  // itself (no process.exit): breaking out of the iterator leaves no open handle.
  writeFileSync(
    join(app, 'src', 'bot.ts'),
    `import { BinanceMarket } from '@hb/binance';
import { BinanceSimulator, binanceTestMarketOptions } from '@hb/binance/testing';
import { HbError, InvalidOrderError, type OrderBookView } from '@hb/core';

const PAIR = 'BTC-USDT';
const sim = await BinanceSimulator.start({ depthMode: 'immediate', demoAccount: true, seed: 5 });
const activity = sim.activity(7, { pairs: [PAIR] });
activity.step(100);
const market = new BinanceMarket(binanceTestMarketOptions(sim, { tradingPairs: [PAIR] }));
await market.start();
await market.waitUntilReady(15_000);
const report: Record<string, unknown> = {};
const bid = market.getOrderBook(PAIR).bestBid;
const farBid = (bid * 0.9).toFixed(2);

// 1. A valid order: the promise resolves once the exchange accepted it.
const placed = await market.placeOrder({ tradingPair: PAIR, side: 'buy', type: 'limit', amount: '0.01', price: farBid });
report['valid'] = { state: placed.state, exchangeOrderId: placed.exchangeOrderId !== undefined };

// 2. Below the minimum size: rejected with InvalidOrderError, nothing sent.
try {
  await market.placeOrder({ tradingPair: PAIR, side: 'buy', amount: '0.000001', price: farBid });
  report['belowMinimum'] = 'resolved (wrong)';
} catch (e) {
  report['belowMinimum'] = {
    invalidOrderError: e instanceof InvalidOrderError,
    hbError: e instanceof HbError,
    name: e instanceof Error ? e.name : typeof e,
  };
}

// 3. round: true sends the amount floored to the step and the price rounded to the tick.
const rounded = await market.placeOrder({
  tradingPair: PAIR,
  side: 'buy',
  amount: '0.0123456789',
  price: farBid + '4567',
  round: true,
});
const onExchange = (await market.fetchOpenOrders(PAIR)).find((o) => o.clientOrderId === rounded.clientOrderId);
report['round'] = {
  requested: [rounded.requested.amount.toFixed(), rounded.requested.price?.toFixed()],
  sent: [rounded.amount.toFixed(), rounded.price?.toFixed()],
  onExchange: [onExchange?.amount.toFixed(), onExchange?.price.toFixed()],
  state: rounded.state,
};

// 4. for await over watchOrderBook: live views while the simulator trades; break after three changes.
activity.start(20);
const views: OrderBookView[] = [];
for await (const view of market.watchOrderBook(PAIR, { depth: 5 })) {
  views.push(view);
  if (views.length === 4) break;
}
activity.stop();
report['watchOrderBook'] = {
  views: views.length,
  allLive: views.every((v) => v.live),
  increasingUpdateIds: views.every((v, i) => i === 0 || v.updateId > views[i - 1]!.updateId),
  depthOk: views.every((v) => v.bids.length <= 5 && v.asks.length <= 5 && v.bids.length > 0),
  frozen: Object.isFrozen(views[0]!.bids),
};

// 5. Awaitable cancels.
const cancelled = await Promise.all([placed, rounded].map((o) => market.cancelOrder(PAIR, o.clientOrderId)));
report['cancel'] = cancelled.map((o) => o.state);

await market.stop();
await sim.stop();
console.log(JSON.stringify(report));
// No process.exit: the process must end by itself.
`,
  );
  // Each package README's example, as written, must type-check and run to its end.
  const readmeExamples = [
    ['core', '## The bot API'],
    ['binance', '## Example'],
    ['coinbase-pro', '## Example'],
  ].map(([pkg, heading]) => {
    const text = readFileSync(join(ROOT, 'packages', pkg, 'README.md'), 'utf8');
    const at = text.indexOf(`${heading}`);
    const block = at < 0 ? undefined : /```ts\n([\s\S]*?)\n```/.exec(text.slice(at));
    const file = `readme-${pkg}.ts`;
    writeFileSync(join(app, 'src', file), block ? `${block[1]}\n` : '// no example found\n');
    return { pkg, heading, file, found: block !== null && block !== undefined };
  });
  const tsc = run(
    process.execPath,
    [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(app, 'tsconfig.json')],
    { cwd: app },
  );
  check(
    'consumer type-checks against the packed types (nodenext, no custom conditions, skipLibCheck false)',
    tsc.ok,
    tsc.ok ? '' : `\n${tail(tsc.out, 25)}`,
  );

  if (tsc.ok) {
    const main = run(process.execPath, ['dist/main.js'], { cwd: app });
    check(
      "node runs `import { BinanceMarket, connector } from '@hb/binance'` + `new OrderBook()`",
      main.ok,
      main.ok ? tail(main.out, 1) : errorLines(main.out),
    );
    const sim = run(process.execPath, ['dist/simulator.js'], { cwd: app });
    check(
      "node runs `import { BinanceSimulator } from '@hb/binance/testing'` (start/stop)",
      sim.ok,
      sim.ok ? tail(sim.out, 1) : errorLines(sim.out),
    );
    for (const ex of readmeExamples) {
      const started = Date.now();
      const r = run(process.execPath, [`dist/${ex.file.replace(/\.ts$/, '.js')}`], {
        cwd: app,
        timeout: 90_000,
      });
      check(
        `README example of @hb/${ex.pkg} (${ex.heading}) runs to its end on the packed packages and exits by itself`,
        ex.found && r.ok,
        ex.found
          ? r.ok
            ? `${((Date.now() - started) / 1000).toFixed(1)} s; last line: ${tail(r.out, 1)}`
            : errorLines(r.out)
          : 'no ```ts block under the heading',
      );
    }
    const botStarted = Date.now();
    const bot = run(process.execPath, ['dist/bot.js'], { cwd: app, timeout: 60_000 });
    const exitedAlone = bot.ok && Date.now() - botStarted < 60_000;
    let report;
    try {
      report = JSON.parse(tail(bot.stdout.trim(), 1));
    } catch {
      report = undefined;
    }
    const roundOk =
      report?.round?.sent?.[0] === '0.01234' &&
      /^\d+\.\d{1,2}$/.test(report?.round?.sent?.[1] ?? '') &&
      JSON.stringify(report?.round?.sent) === JSON.stringify(report?.round?.onExchange);
    check(
      'bot script: `await placeOrder` resolves for a valid order (OPEN, with exchange id)',
      report?.valid?.state === 'OPEN' && report?.valid?.exchangeOrderId === true,
      report ? JSON.stringify(report.valid) : errorLines(bot.out),
    );
    check(
      'bot script: below the minimum, `placeOrder` rejects with InvalidOrderError (instanceof)',
      report?.belowMinimum?.invalidOrderError === true && report?.belowMinimum?.hbError === true,
      report ? JSON.stringify(report.belowMinimum) : '',
    );
    check(
      'bot script: `round: true` places the order with rounded amount and price (as the exchange lists it)',
      roundOk,
      report ? JSON.stringify(report.round) : '',
    );
    check(
      'bot script: `for await` over watchOrderBook yields live views, in update order',
      report?.watchOrderBook?.views === 4 &&
        report.watchOrderBook.allLive === true &&
        report.watchOrderBook.increasingUpdateIds === true &&
        report.watchOrderBook.depthOk === true,
      report ? JSON.stringify(report.watchOrderBook) : '',
    );
    check(
      'bot script: `await cancelOrder` resolves once cancelled; the process then exits by itself (no process.exit)',
      exitedAlone && JSON.stringify(report?.cancel) === '["CANCELED","CANCELED"]',
      `${exitedAlone ? `exited 0 after ${((Date.now() - botStarted) / 1000).toFixed(1)} s` : `did not exit cleanly within 60 s: ${errorLines(bot.out)}`}; cancel ${JSON.stringify(report?.cancel)}`,
    );
  }

  // ---------------------------------------------------------------- installed tree
  const ls = npm(['ls', 'ethers', '--all', '--json'], { cwd: app });
  const lsTree = JSON.parse(ls.stdout || '{}');
  const noEthers =
    !existsSync(join(app, 'node_modules', 'ethers')) && Object.keys(lsTree.dependencies ?? {}).length === 0;
  check('ethers is not in the installed tree (npm ls ethers is empty)', noEthers);

  const binanceDir = join(app, 'node_modules', '@hb', 'binance');
  const binanceManifest = readJson(join(binanceDir, 'package.json'));
  const graph = importGraph(join(binanceDir, 'dist', 'index.js'));
  const testingImports = [...graph.bare].filter(
    ([spec]) => spec === '@hb/testing' || spec.startsWith('@hb/testing/'),
  );
  check(
    '@hb/binance main entry does not import @hb/testing',
    testingImports.length === 0,
    testingImports.length
      ? testingImports.map(([s, f]) => `${s} from ${relative(binanceDir, f)}`).join(', ')
      : `${graph.files.size} modules reached; bare imports: ${[...graph.bare.keys()].sort().join(', ')}`,
  );
  const testingGraph = importGraph(join(binanceDir, 'dist', 'testing', 'index.js'));
  check('@hb/binance/testing is what imports @hb/testing', testingGraph.bare.has('@hb/testing'));
  const dependsOnTesting = { ...binanceManifest.dependencies }['@hb/testing'] !== undefined;
  const optionalPeer = binanceManifest.peerDependenciesMeta?.['@hb/testing']?.optional === true;
  check('@hb/binance has @hb/testing only as an optional peer dependency', !dependsOnTesting && optionalPeer);
} catch (e) {
  check('pack check ran to the end', false, e instanceof Error ? e.message : String(e));
} finally {
  if (keep) console.log(`(kept ${work})`);
  else rmSync(work, { recursive: true, force: true });
}

const failed = results.filter((r) => !r.ok);
console.log(
  `\npack-check: ${failed.length === 0 ? 'PASS' : 'FAIL'} — ${results.length - failed.length} of ${results.length} checks passed` +
    ` (${((Date.now() - began) / 1000).toFixed(1)} s)`,
);
if (failed.length > 0) {
  for (const f of failed) console.log(`  failed: ${f.name}`);
  process.exitCode = 1;
}

#!/usr/bin/env node
// The `hb` command. Runs the built CLI (../dist/main.js). In a fresh clone of the
// hb workspace nothing is built yet, so the first run builds the packages once
// (tsc -b), which is what makes `npx hb demo` work right after `npm ci`; so does
// any later run that finds a workspace package (a connector pulled in since) unbuilt.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const mainFile = join(here, '..', 'dist', 'main.js');

function workspaceRoot() {
  // packages/cli/bin -> the workspace root holds nx.json and packages/.
  const root = join(here, '..', '..', '..');
  return existsSync(join(root, 'nx.json')) && existsSync(join(root, 'packages', 'cli')) ? root : undefined;
}

/**
 * Built files every workspace package promises (`main` and each `exports` default):
 * the ones missing. Checking only the CLI's own output left the connectors unbuilt
 * after `npm ci` (`hb exchanges` then listed binance alone).
 */
function missingBuilds(root) {
  const missing = [];
  const packagesDir = join(root, 'packages');
  for (const name of readdirSync(packagesDir)) {
    const manifest = join(packagesDir, name, 'package.json');
    if (!existsSync(manifest)) continue;
    let pkg;
    try {
      pkg = JSON.parse(readFileSync(manifest, 'utf8'));
    } catch {
      continue;
    }
    const targets = new Set();
    if (typeof pkg.main === 'string') targets.add(pkg.main);
    for (const entry of Object.values(pkg.exports ?? {})) {
      if (entry !== null && typeof entry === 'object' && typeof entry.default === 'string') {
        targets.add(entry.default);
      }
    }
    for (const t of targets) {
      if (t.includes('/dist/') && !existsSync(join(packagesDir, name, t))) {
        missing.push(`${name}/${t.replace(/^\.\//, '')}`);
        break;
      }
    }
  }
  return missing;
}

function buildWorkspace(root, missing) {
  process.stderr.write(
    `hb: building the packages not built yet (${missing.map((m) => m.split('/')[0]).join(', ')}) with tsc -b...\n`,
  );
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '-b', 'tsconfig.json'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  // A package elsewhere in the workspace may fail to compile; the CLI can still run
  // (`hb exchanges` reports the connector it could not load).
  if (!existsSync(mainFile)) {
    process.stderr.write(`hb: build failed (exit ${r.status}); run npm run build and try again\n`);
    process.exit(1);
  }
}

const root = workspaceRoot();
if (root !== undefined) {
  const missing = missingBuilds(root);
  if (missing.length > 0) buildWorkspace(root, missing);
} else if (!existsSync(mainFile)) {
  process.stderr.write(`hb: ${mainFile} is missing: this copy of @hb/cli is not built\n`);
  process.exit(1);
}

// A reader that went away (`hb book ... --json | head -1`) ends the command quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => process.exit(e && e.code === 'EPIPE' ? 0 : 1));
}

const { main } = await import(pathToFileURL(mainFile).href);
const code = await main(process.argv.slice(2));
// Open sockets or timers of a connector must not keep the process alive after the
// command ended: flush stdout, then exit with the command's status.
process.stdout.write('', () => process.exit(code));

#!/usr/bin/env node
// The `hb` command. Runs the built CLI (../dist/main.js). In a fresh clone of the
// hb workspace nothing is built yet, so the first run builds the packages once
// (tsc -b), which is what makes `npx hb demo` work right after `npm ci`.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const mainFile = join(here, '..', 'dist', 'main.js');

function workspaceRoot() {
  // packages/cli/bin -> the workspace root holds nx.json and packages/.
  const root = join(here, '..', '..', '..');
  return existsSync(join(root, 'nx.json')) && existsSync(join(root, 'packages', 'cli')) ? root : undefined;
}

function buildWorkspace(root) {
  process.stderr.write('hb: first run in this clone: building the packages (tsc -b)...\n');
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '-b', 'tsconfig.json'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  // A package elsewhere in the workspace may fail to compile; the CLI can still run.
  if (!existsSync(mainFile)) {
    process.stderr.write(`hb: build failed (exit ${r.status}); run npm run build and try again\n`);
    process.exit(1);
  }
}

if (!existsSync(mainFile)) {
  const root = workspaceRoot();
  if (root === undefined) {
    process.stderr.write(`hb: ${mainFile} is missing: this copy of @hb/cli is not built\n`);
    process.exit(1);
  }
  buildWorkspace(root);
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

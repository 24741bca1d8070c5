#!/usr/bin/env node
// `npm test`: every project's unit (`test`) and `integration` targets, never from a
// cache, then one closing line `N passed, N failed, N skipped` totalled over all
// projects. Exits non-zero when anything failed or when no test ran.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const reportDir = mkdtempSync(join(tmpdir(), 'hb-test-'));
const args = [
  'nx',
  'run-many',
  '-t',
  'test',
  'integration',
  '--skip-nx-cache',
  '--output-style=static',
  '--parallel=1',
  ...process.argv.slice(2),
];
const run = spawnSync('npx', args, {
  stdio: 'inherit',
  env: { ...process.env, HB_TEST_REPORT_DIR: reportDir, NX_DAEMON: 'false' },
});

let passed = 0;
let failed = 0;
let skipped = 0;
let suitesFailed = 0;
for (const file of readdirSync(reportDir)) {
  const r = JSON.parse(readFileSync(join(reportDir, file), 'utf8'));
  passed += r.passed;
  failed += r.failed;
  skipped += r.skipped;
  suitesFailed += r.suitesFailed;
}
rmSync(reportDir, { recursive: true, force: true });

// A suite that failed to load reports no failing test; count it so it cannot hide.
if (run.status !== 0 && failed === 0) failed = Math.max(1, suitesFailed);
console.log('');
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(run.status === 0 && failed === 0 && passed > 0 ? 0 : 1);

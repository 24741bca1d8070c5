// Writes the capability table of every connector's README from the connector's
// own exported capabilities (between the capabilities:start/end markers).
// Reads the built packages: run after `nx run-many -t build` (the npm script does).
// The workspace test (tools/test/workspace.spec.ts) fails when a README is stale.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const packages = join(root, 'packages');
const kit = await import(pathToFileURL(join(packages, 'core', 'dist', 'kit', 'index.js')).href);

let changed = 0;
let failed = 0;
for (const dir of readdirSync(packages)) {
  let pkg;
  try {
    pkg = JSON.parse(readFileSync(join(packages, dir, 'package.json'), 'utf8'));
  } catch {
    continue;
  }
  if (!pkg.nx?.tags?.includes('scope:connector')) continue;
  const { connector } = await import(pathToFileURL(join(packages, dir, 'dist', 'index.js')).href);
  const readmePath = join(packages, dir, 'README.md');
  const readme = readFileSync(readmePath, 'utf8');
  if (kit.capabilityTableIsCurrent(readme, connector.capabilities)) continue;
  const updated = kit.withCapabilityTable(readme, connector.capabilities);
  if (updated === undefined) {
    console.error(`${dir}/README.md: no capability markers (${kit.CAPABILITY_TABLE_START})`);
    failed++;
  } else if (updated !== readme) {
    writeFileSync(readmePath, updated);
    console.log(`${dir}/README.md: capability table updated`);
    changed++;
  }
}
console.log(`${changed} README(s) updated${failed ? `, ${failed} without markers` : ''}`);
process.exitCode = failed ? 1 : 0;

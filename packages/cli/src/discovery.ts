// Finds the installed connector packages: every @hb/* package in a node_modules
// folder above the CLI's own location or above the working directory, tagged as a
// connector, whose entry exports a `connector` descriptor. No exchange is named here.
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isConnectorDescriptor, type ConnectorDescriptor } from './contracts.js';

/** The package scope connectors are published under. */
export const CONNECTOR_SCOPE = '@hb';

/** An installed package that looks like a connector, before it is loaded. */
export interface ConnectorCandidate {
  /** `@hb/<name>`. */
  readonly packageName: string;
  readonly version: string;
  /** The package's folder (real path). */
  readonly packageDir: string;
  /** Absolute path of its main ESM entry. */
  readonly mainEntry: string;
  /** Absolute path of its `./testing` entry (the simulator), when it exports one. */
  readonly testingEntry: string | undefined;
}

/** A loaded connector. */
export interface InstalledConnector extends ConnectorCandidate {
  readonly descriptor: ConnectorDescriptor;
}

/** A candidate that could not be loaded (not built, broken), for `hb exchanges` to mention. */
export interface ConnectorLoadFailure {
  readonly packageName: string;
  readonly reason: string;
}

/** What discovery needs of the file system (injectable for tests). */
export interface DiscoveryFs {
  exists(path: string): boolean;
  listDir(path: string): string[];
  readText(path: string): string;
  realpath(path: string): string;
}

const nodeFs: DiscoveryFs = {
  exists: existsSync,
  listDir: (p) => readdirSync(p),
  readText: (p) => readFileSync(p, 'utf8'),
  realpath: (p) => realpathSync(p),
};

/** Every ancestor folder of `start`, itself first. */
export function ancestors(start: string): string[] {
  const out: string[] = [];
  let cur = resolve(start);
  for (;;) {
    out.push(cur);
    const up = dirname(cur);
    if (up === cur) return out;
    cur = up;
  }
}

/**
 * The file a package's `exports` map gives for `subpath` under Node's default
 * conditions (`import`, then `node`, then `default`); `main` for `.` when there is
 * no map. Source-only conditions (`@hb/source`) and `types` are never picked: the
 * CLI runs built JavaScript.
 */
export function exportTarget(pkg: Record<string, unknown>, subpath: '.' | './testing'): string | undefined {
  const exp = pkg['exports'];
  if (exp === undefined) return subpath === '.' && typeof pkg['main'] === 'string' ? pkg['main'] : undefined;
  if (typeof exp === 'string') return subpath === '.' ? exp : undefined;
  if (typeof exp !== 'object' || exp === null) return undefined;
  const map = exp as Record<string, unknown>;
  const hasSubpaths = Object.keys(map).some((k) => k.startsWith('.'));
  const entry = hasSubpaths ? map[subpath] : subpath === '.' ? map : undefined;
  return pickCondition(entry);
}

function pickCondition(entry: unknown): string | undefined {
  if (typeof entry === 'string') return entry;
  if (typeof entry !== 'object' || entry === null) return undefined;
  const e = entry as Record<string, unknown>;
  for (const cond of ['import', 'node', 'default']) {
    if (cond in e) {
      const t = pickCondition(e[cond]);
      if (t !== undefined) return t;
    }
  }
  return undefined;
}

/**
 * Whether a package declares itself a connector: a `testing` entry (each connector
 * exports its simulator there), the `hb-connector` keyword, or the Nx tag
 * `scope:connector`. The descriptor check after loading is what decides.
 */
export function looksLikeConnector(pkg: Record<string, unknown>): boolean {
  if (exportTarget(pkg, './testing') !== undefined) return true;
  const keywords = pkg['keywords'];
  if (Array.isArray(keywords) && keywords.includes('hb-connector')) return true;
  const nx = pkg['nx'];
  const tags = typeof nx === 'object' && nx !== null ? (nx as { tags?: unknown }).tags : undefined;
  return Array.isArray(tags) && tags.includes('scope:connector');
}

/**
 * Scans `node_modules/@hb/*` in every ancestor of each start folder (earlier start
 * folders win for a package found twice) and returns the connector candidates.
 */
export function findConnectorCandidates(
  startDirs: readonly string[],
  fs: DiscoveryFs = nodeFs,
): ConnectorCandidate[] {
  const byName = new Map<string, ConnectorCandidate>();
  const seenScopes = new Set<string>();
  for (const start of startDirs) {
    for (const dir of ancestors(start)) {
      const scopeDir = join(dir, 'node_modules', CONNECTOR_SCOPE);
      if (!fs.exists(scopeDir)) continue;
      let real: string;
      try {
        real = fs.realpath(scopeDir);
      } catch {
        continue;
      }
      if (seenScopes.has(real)) continue;
      seenScopes.add(real);
      let names: string[];
      try {
        names = fs.listDir(scopeDir).sort();
      } catch {
        continue;
      }
      for (const name of names) {
        const packageName = `${CONNECTOR_SCOPE}/${name}`;
        if (byName.has(packageName)) continue;
        const candidate = readCandidate(join(scopeDir, name), packageName, fs);
        if (candidate !== undefined) byName.set(packageName, candidate);
      }
    }
  }
  return [...byName.values()];
}

function readCandidate(
  linkDir: string,
  packageName: string,
  fs: DiscoveryFs,
): ConnectorCandidate | undefined {
  let packageDir: string;
  let pkg: Record<string, unknown>;
  try {
    packageDir = fs.realpath(linkDir);
    const parsed: unknown = JSON.parse(fs.readText(join(packageDir, 'package.json')));
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    pkg = parsed as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (!looksLikeConnector(pkg)) return undefined;
  const main = exportTarget(pkg, '.');
  if (main === undefined) return undefined;
  const testing = exportTarget(pkg, './testing');
  return {
    packageName,
    version: typeof pkg['version'] === 'string' ? pkg['version'] : '0.0.0',
    packageDir,
    mainEntry: join(packageDir, main),
    testingEntry: testing === undefined ? undefined : join(packageDir, testing),
  };
}

/** Loads an ES module by absolute path (injectable: tests pass a fake). */
export type ModuleImporter = (absolutePath: string) => Promise<Record<string, unknown>>;

/** The real importer: a dynamic `import()` of the file URL. */
export const importModule: ModuleImporter = async (absolutePath) =>
  (await import(pathToFileURL(absolutePath).href)) as Record<string, unknown>;

/**
 * Imports each candidate and keeps those exporting a valid `connector` descriptor.
 * A candidate that fails to load is reported, not fatal: one broken package must
 * not take the others down.
 */
export async function loadConnectors(
  candidates: readonly ConnectorCandidate[],
  importer: ModuleImporter = importModule,
): Promise<{ connectors: InstalledConnector[]; failures: ConnectorLoadFailure[] }> {
  const connectors: InstalledConnector[] = [];
  const failures: ConnectorLoadFailure[] = [];
  const results = await Promise.allSettled(candidates.map((c) => importer(c.mainEntry)));
  results.forEach((r, i) => {
    const c = candidates[i]!;
    if (r.status === 'rejected') {
      const code = (r.reason as { code?: unknown } | undefined)?.code;
      const reason =
        code === 'ERR_MODULE_NOT_FOUND' && !existsSafe(c.mainEntry)
          ? `not built (${c.mainEntry} is missing; run npm run build)`
          : r.reason instanceof Error
            ? r.reason.message.split('\n')[0]!
            : String(r.reason);
      failures.push({ packageName: c.packageName, reason });
      return;
    }
    const descriptor = r.value['connector'];
    if (!isConnectorDescriptor(descriptor)) return;
    connectors.push({ ...c, descriptor });
  });
  connectors.sort((a, b) => a.descriptor.name.localeCompare(b.descriptor.name));
  return { connectors, failures };
}

function existsSafe(p: string): boolean {
  try {
    return existsSync(p);
  } catch {
    return false;
  }
}

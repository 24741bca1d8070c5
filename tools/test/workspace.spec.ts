// Tests of the workspace itself: the layout every package promises (DESIGN.md),
// checked on every run so a new connector cannot forget a piece.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { ConnectorDescriptor } from '@hb/core';
import { capabilityTable, capabilityTableIsCurrent } from '@hb/core/connector';

/** The tree every connector has: the generator's own list (tools/generators/connector). */
const { CONNECTOR_TREE } = createRequire(__filename)('../generators/connector/templates.cjs') as {
  CONNECTOR_TREE: readonly string[];
};

const root = join(__dirname, '..', '..');
const packagesDir = join(root, 'packages');

interface PackageJson {
  name: string;
  version: string;
  private?: boolean;
  exports?: Record<string, unknown>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  nx?: { name?: string; tags?: string[] };
}

const packages = readdirSync(packagesDir)
  .filter((d) => statSync(join(packagesDir, d)).isDirectory())
  .map((dir) => ({
    dir,
    path: join(packagesDir, dir),
    json: JSON.parse(readFileSync(join(packagesDir, dir, 'package.json'), 'utf8')) as PackageJson,
  }));
const connectors = packages.filter((p) => p.json.nx?.tags?.includes('scope:connector'));

function read(...parts: string[]): string {
  return readFileSync(join(...parts), 'utf8');
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(dir, f));
}

describe('every package', () => {
  it('exists', () => {
    expect(packages.map((p) => p.dir)).toEqual(expect.arrayContaining(['core', 'testing', 'binance']));
  });

  describe.each(packages)('$dir', ({ path, json }) => {
    it('is an @hb package with its own version and an exports map with types', () => {
      expect(json.name).toMatch(/^@hb\/[a-z0-9-]+$/);
      expect(json.version).toMatch(/^\d+\.\d+\.\d+/);
      const main = json.exports?.['.'] as Record<string, string> | undefined;
      expect(main?.['types']).toMatch(/\.d\.ts$/);
      expect(main?.['default']).toMatch(/\.js$/);
    });

    it('has a README, a CHANGELOG and an explicit src/index.ts', () => {
      for (const f of ['README.md', 'CHANGELOG.md', 'src/index.ts'])
        expect(existsSync(join(path, f))).toBe(true);
    });

    it('exposes no internals: only the exports map entries are reachable', () => {
      const keys = Object.keys(json.exports ?? {});
      // Subpaths are public entry points by design: a connector's simulator, the Jest-only suites.
      expect(
        keys.every((k) =>
          [
            '.',
            './package.json',
            './testing',
            './conformance',
            './suites',
            './connector',
            './chain',
          ].includes(k),
        ),
      ).toBe(true);
    });

    it('uses named exports only', () => {
      for (const file of sourceFiles(join(path, 'src'))) expect(read(file)).not.toMatch(/^export default /m);
    });
  });
});

describe('@hb/core', () => {
  const core = packages.find((p) => p.dir === 'core')!;

  it('depends on no other hb package', () => {
    const deps = { ...core.json.dependencies, ...core.json.peerDependencies };
    expect(Object.keys(deps).filter((d) => d.startsWith('@hb/'))).toEqual([]);
    for (const file of sourceFiles(join(core.path, 'src'))) {
      expect(read(file)).not.toMatch(/from '@hb\//);
    }
  });
});

describe.each(connectors)('connector $dir', ({ dir, path, json }) => {
  it('takes @hb/core as a peer dependency, never a direct one', () => {
    expect(json.peerDependencies?.['@hb/core']).toBeDefined();
    expect(json.dependencies?.['@hb/core']).toBeUndefined();
  });

  it('does not pull in ethers unless it is a DEX package', () => {
    if (json.nx?.tags?.includes('type:cex')) {
      expect({ ...json.dependencies, ...json.peerDependencies }['ethers']).toBeUndefined();
    }
  });

  it('exports its simulator under the testing subpath', () => {
    expect(json.exports?.['./testing']).toBeDefined();
    expect(existsSync(join(path, 'src', 'testing', 'index.ts'))).toBe(true);
  });

  it('has the connector tree the generator writes (files named by role, after the exchange)', () => {
    const missing = CONNECTOR_TREE.map((f) => f.replace('{x}', dir)).filter(
      (f) => !existsSync(join(path, f)),
    );
    expect(missing).toEqual([]);
  });

  it('has a README capability table generated from its exported capabilities (npm run readme:capabilities)', async () => {
    const { connector } = (await import(join(path, 'src', 'index.ts'))) as { connector: ConnectorDescriptor };
    const current = capabilityTableIsCurrent(read(path, 'README.md'), connector.capabilities);
    if (!current) {
      throw new Error(
        `${dir}/README.md: the capability table is missing or stale; run \`npm run readme:capabilities\`\n` +
          capabilityTable(connector.capabilities),
      );
    }
  });

  it('has an owner in .github/CODEOWNERS', () => {
    expect(read(root, '.github', 'CODEOWNERS')).toMatch(new RegExp(`^/packages/${dir}/\\s+@`, 'm'));
  });

  it('has recorded fixtures with a README naming their sources', () => {
    const fixtures = readdirSync(join(path, 'test', 'fixtures'));
    expect(fixtures).toContain('README.md');
    const payloads = fixtures.filter((f) => f.endsWith('.json'));
    expect(payloads.length).toBeGreaterThan(0);
    for (const f of payloads)
      expect(f).toMatch(/^(http_(get|post|delete|put|error)_|ws_)[A-Za-z0-9_]+\.json$/);
    const fixturesReadme = read(path, 'test', 'fixtures', 'README.md');
    for (const f of payloads) expect(fixturesReadme).toContain(f);
  });

  it("runs the conformance suite and the seed's three integration tests", () => {
    const specs = readdirSync(join(path, 'integration')).filter((f) => f.endsWith('.spec.ts'));
    expect(specs.some((f) => /defineConformanceSuite\(/.test(read(path, 'integration', f)))).toBe(true);
    expect(read(path, 'integration', 'market.spec.ts')).toMatch(/market test/);
    expect(read(path, 'integration', 'order-book-tracker.spec.ts')).toMatch(/order book tracker test/);
    expect(read(path, 'integration', 'user-stream-tracker.spec.ts')).toMatch(/user stream tracker test/);
    expect(existsSync(join(path, 'integration', 'live.spec.ts'))).toBe(true);
  });

  it('has a README a user can follow', () => {
    const readme = read(path, 'README.md');
    for (const section of ['## Install', '## Keys', '## Example', '## Capabilities', '## Quirks']) {
      expect(readme).toContain(section);
    }
  });

  it('exports a connector descriptor whose version matches package.json', () => {
    const index = read(path, 'src', 'index.ts');
    expect(index).toMatch(/export const connector\b/);
    const version = /_PACKAGE_VERSION = '([^']+)'/.exec(index)?.[1];
    expect(version).toBe(json.version);
  });
});

describe.each(connectors.filter((c) => c.json.nx?.tags?.includes('type:cex')))(
  'CEX connector $dir',
  ({ dir, path }) => {
    it("builds its simulator and sandbox on @hb/testing's kit (SimulatorBase, sandboxOf)", () => {
      expect(read(path, 'src', 'testing', `${dir}-simulator.ts`)).toMatch(/extends SimulatorBase</);
      expect(read(path, 'src', 'testing', `${dir}-sandbox.ts`)).toMatch(/\bsandboxOf\(/);
    });
  },
);

describe('contributing', () => {
  it('has CONTRIBUTING.md, CODEOWNERS and a new-connector issue template', () => {
    expect(read(root, 'CONTRIBUTING.md')).toMatch(/nx g @hb\/tools:connector/);
    expect(existsSync(join(root, '.github', 'CODEOWNERS'))).toBe(true);
    expect(read(root, '.github', 'ISSUE_TEMPLATE', 'new-connector.md')).toMatch(/^name: New connector$/m);
  });

  it('every package has a CODEOWNERS line', () => {
    const owners = read(root, '.github', 'CODEOWNERS');
    for (const p of packages) expect(owners).toContain(`/packages/${p.dir}/`);
  });
});

/** Bare specifiers a module imports, following its relative imports (static, re-exports and dynamic). */
function importGraph(entry: string): Map<string, string> {
  const seen = new Set<string>();
  const bare = new Map<string, string>();
  const queue = [entry];
  const re =
    /(?:^|[;\s])(?:import|export)\s*(?:type\s+)?(?:[^'"]*?\sfrom\s*)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = read(file);
    for (const m of text.matchAll(re)) {
      const spec = (m[1] ?? m[2])!;
      if (spec.startsWith('.')) queue.push(join(file, '..', spec.replace(/\.js$/, '.ts')));
      else if (!bare.has(spec)) bare.set(spec, file);
    }
  }
  return bare;
}

describe('kept apart: Ethereum stays out of CEX code (issue 15)', () => {
  const onChain = /^(ethers|hardhat|@0x\/|@nomicfoundation\/|@hb\/ethereum|@hb\/testing\/chain)/;
  const entries = [
    join(packagesDir, 'core', 'src', 'index.ts'),
    join(packagesDir, 'testing', 'src', 'index.ts'),
    join(packagesDir, 'testing', 'src', 'conformance', 'define-conformance-suite.ts'),
    ...packages
      .filter((p) => p.json.nx?.tags?.includes('type:cex'))
      .flatMap((p) => [join(p.path, 'src', 'index.ts'), join(p.path, 'src', 'testing', 'index.ts')])
      .filter((f) => existsSync(f)),
  ];

  it.each(entries.map((e) => [e.slice(packagesDir.length + 1), e]))(
    '%s reaches no ethers, hardhat or 0x module',
    (_name, entry) => {
      const offending = [...importGraph(entry)].filter(([spec]) => onChain.test(spec));
      expect(offending).toEqual([]);
    },
  );

  it('core, testing and CEX packages do not depend on ethers or hardhat (testing only as optional peers)', () => {
    for (const p of packages.filter(
      (p) => p.dir === 'core' || p.dir === 'testing' || p.json.nx?.tags?.includes('type:cex'),
    )) {
      const deps = Object.keys(p.json.dependencies ?? {});
      expect(deps.filter((d) => onChain.test(d))).toEqual([]);
    }
    const testing = packages.find((p) => p.dir === 'testing')!.json as PackageJson & {
      peerDependenciesMeta?: Record<string, { optional?: boolean }>;
    };
    for (const peer of Object.keys(testing.peerDependencies ?? {}).filter((d) => onChain.test(d)))
      expect(testing.peerDependenciesMeta?.[peer]?.optional).toBe(true);
  });

  it('the chain entry is where @hb/testing loads ethers', () => {
    const chain = importGraph(join(packagesDir, 'testing', 'src', 'chain', 'index.ts'));
    expect(chain.has('ethers')).toBe(true);
  });
});

// The connector generator (`npx nx g @hb/tools:connector <name>`), run on an
// in-memory workspace: it writes the fixed tree, wires the package into the
// workspace (typecheck reference, CODEOWNERS line), and every stub it writes names
// the file where the missing piece goes. That the generated package builds, lints
// and fails its integration run with "not implemented" messages is checked in a
// clean clone (CONTRIBUTING.md, "Add a connector"); this spec stays fast.
import { createRequire } from 'node:module';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import type { Tree } from '@nx/devkit';

type Generator = (tree: Tree, options: { name: string; displayName?: string }) => Promise<() => void>;
const load = createRequire(__filename);
const generator = load('../generators/connector/generator.cjs') as Generator;
const { CONNECTOR_TREE } = load('../generators/connector/templates.cjs') as {
  CONNECTOR_TREE: readonly string[];
};

const OWNERS = '.github/CODEOWNERS';

/** An empty workspace with the files the generator updates. */
function workspace(): Tree {
  const tree = createTreeWithEmptyWorkspace();
  tree.write('tsconfig.json', JSON.stringify({ files: [], references: [{ path: './packages/core' }] }));
  tree.write(OWNERS, '*                        @hb/maintainers\n/packages/core/          @hb/maintainers\n');
  return tree;
}

/** Every file under packages/<name>/, by path relative to it. */
function packageFiles(tree: Tree, name: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const child of tree.children(dir)) {
      const path = `${dir}/${child}`;
      if (tree.isFile(path)) files.set(path.slice(`packages/${name}/`.length), tree.read(path, 'utf8')!);
      else walk(path);
    }
  };
  walk(`packages/${name}`);
  return files;
}

describe('the connector generator', () => {
  let tree: Tree;
  let files: Map<string, string>;

  beforeAll(async () => {
    tree = workspace();
    const done = await generator(tree, { name: 'gate-io' });
    expect(typeof done).toBe('function');
    files = packageFiles(tree, 'gate-io');
  }, 30_000);

  it('writes the fixed connector tree, named after the exchange', () => {
    const missing = CONNECTOR_TREE.map((f) => f.replace('{x}', 'gate-io')).filter((f) => !files.has(f));
    expect(missing).toEqual([]);
  });

  it('fills every placeholder: class, constant and function names from the kebab-case name', () => {
    for (const [path, text] of files) {
      expect([path, text]).not.toEqual([
        path,
        expect.stringMatching(/\{x\}|\$\{(?:x|X|XC|camel|displayName)\}/),
      ]);
    }
    expect(files.get('src/gate-io-market.ts')).toMatch(/export class GateIoMarket extends MarketBase/);
    expect(files.get('src/gate-io-constants.ts')).toMatch(/export const GATE_IO_EXCHANGE = 'gate-io'/);
    expect(files.get('src/testing/index.ts')).toMatch(/gateIoConformanceHarness/);
  });

  it('is an nx project with the targets build, test, integration and lint, tagged for the module boundaries', () => {
    const json = JSON.parse(files.get('package.json')!) as {
      name: string;
      nx: { name: string; tags: string[]; targets: Record<string, unknown> };
      peerDependencies: Record<string, string>;
      exports: Record<string, unknown>;
    };
    expect(json.name).toBe('@hb/gate-io');
    expect(json.nx.name).toBe('gate-io');
    expect(Object.keys(json.nx.targets)).toEqual(
      expect.arrayContaining(['build', 'test', 'integration', 'lint']),
    );
    expect(json.nx.tags).toEqual(['scope:connector', 'type:cex']);
    expect(json.peerDependencies['@hb/core']).toBeDefined();
    expect(Object.keys(json.exports)).toEqual(['.', './testing', './package.json']);
  });

  it('builds the simulator skeleton on the @hb/testing kit', () => {
    expect(files.get('src/testing/gate-io-sim-exchange.ts')).toMatch(/extends SimExchangeBase</);
    expect(files.get('src/testing/gate-io-sim-exchange.ts')).toMatch(/this\.accounts\.register\(/);
    expect(files.get('src/testing/gate-io-simulator.ts')).toMatch(/extends SimulatorBase</);
    expect(files.get('src/testing/gate-io-conformance-harness.ts')).toMatch(/simulatorMarketOptions\(sim\)/);
    expect(files.get('src/testing/gate-io-sandbox.ts')).toMatch(/sandboxOf\(/);
  });

  it('wires the integration specs to the shared suites and the conformance suite', () => {
    const uses: Record<string, RegExp> = {
      'integration/conformance.spec.ts': /defineConformanceSuite\(gateIoConformanceHarness\(\)/,
      'integration/market.spec.ts': /describeMarketSuite\(/,
      'integration/order-book-tracker.spec.ts': /describeOrderBookTrackerSuite\(/,
      'integration/user-stream-tracker.spec.ts': /expectRefusedUserStream\(/,
      'integration/live-status.spec.ts': /describeLiveStatusSuite\(/,
      'integration/secrets.spec.ts': /describeSecretsSuite\(/,
      'integration/bot-api.spec.ts': /describeBotApiSuite\(/,
      'integration/live.spec.ts': /describeLiveSuite\(/,
    };
    for (const [path, use] of Object.entries(uses))
      expect([path, files.get(path)]).toEqual([path, expect.stringMatching(use)]);
  });

  it('every "not implemented" stub names a file of the package where the piece goes', () => {
    const named = [...files.values()].flatMap((text) =>
      [...text.matchAll(/notImplemented\([^)]*?\(((?:src|integration)\/[^)\s]+\.ts)\)/g)].map((m) => m[1]!),
    );
    expect(named.length).toBeGreaterThan(20);
    expect(named.filter((path) => !files.has(path))).toEqual([]);
  });

  it('adds the package to the workspace typecheck and gives it a CODEOWNERS line, once', async () => {
    const refs = (JSON.parse(tree.read('tsconfig.json', 'utf8')!) as { references: { path: string }[] })
      .references;
    expect(refs.map((r) => r.path)).toEqual(['./packages/core', './packages/gate-io']);
    expect(tree.read(OWNERS, 'utf8')).toMatch(/^\/packages\/gate-io\/\s+@hb\/gate-io-owners$/m);
    await generator(tree, { name: 'kraken' });
    const owners = tree.read(OWNERS, 'utf8')!;
    expect(owners.match(/gate-io/g)).toHaveLength(2);
    expect(owners).toMatch(/^\/packages\/kraken\/\s+@hb\/kraken-owners$/m);
  }, 30_000);

  it('refuses a name that is not kebab-case and a package that exists', async () => {
    await expect(generator(workspace(), { name: 'Kraken' })).rejects.toThrow(/kebab-case/);
    await expect(generator(tree, { name: 'gate-io' })).rejects.toThrow(/already exists/);
  });
});

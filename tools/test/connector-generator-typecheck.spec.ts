// The TypeScript the connector generator writes compiles and lints against
// today's @hb/core and @hb/testing (read from source, as every spec reads them):
// a change of the kit that breaks the templates fails here, not in the next
// contributor's clone. The files go to tools/generated-check/, two levels under
// the root like a package, so their tsconfig extends the same base; no
// package.json is written there, so nx never sees a project.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import type { Tree } from '@nx/devkit';

type Generator = (tree: Tree, options: { name: string }) => Promise<() => void>;
const load = createRequire(__filename);
const generator = load('../generators/connector/generator.cjs') as Generator;

const root = join(__dirname, '..', '..');
const NAME = 'gate-io';
const out = join(root, 'tools', 'generated-check');

/** Runs a workspace tool; its output becomes the error when it fails. */
function run(script: string, args: readonly string[]): void {
  try {
    execFileSync(process.execPath, [join(root, 'node_modules', script), ...args], {
      cwd: root,
      encoding: 'utf8',
      stdio: 'pipe',
    });
  } catch (e) {
    const { stdout, stderr } = e as { stdout?: string; stderr?: string };
    throw new Error(`${script} failed:\n${stdout ?? ''}${stderr ?? ''}`);
  }
}

describe('the generated connector', () => {
  beforeAll(async () => {
    const tree = createTreeWithEmptyWorkspace();
    tree.write('tsconfig.json', '{ "files": [], "references": [] }');
    await generator(tree, { name: NAME });
    rmSync(out, { recursive: true, force: true });
    const prefix = `packages/${NAME}/`;
    for (const change of tree.listChanges()) {
      const { path, content } = change;
      if (!path.startsWith(prefix) || content === null) continue;
      const rel = path.slice(prefix.length);
      if (!rel.endsWith('.ts') && rel !== 'tsconfig.spec.json') continue;
      mkdirSync(dirname(join(out, rel)), { recursive: true });
      writeFileSync(join(out, rel), content);
    }
  }, 30_000);

  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('type-checks: sources, simulator, harness and every integration spec', () => {
    run('typescript/bin/tsc', ['-p', join(out, 'tsconfig.spec.json')]);
  }, 180_000);

  it('lints clean', () => {
    run('eslint/bin/eslint.js', [join('tools', 'generated-check')]);
  }, 120_000);
});

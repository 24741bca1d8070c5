// `npx nx g @hb/tools:connector <name>`: a new exchange package with the fixed
// connector tree (DESIGN.md "The seed's components, mapped"). Every file is there
// and named by its role; each piece of exchange code throws "not implemented:
// <what>" until it is written, so the package builds and lints at once and its
// conformance run says what is missing. The workspace test in
// tools/test/workspace.spec.ts checks that every connector keeps this tree.
'use strict';

const { formatFiles, joinPathFragments, updateJson } = require('@nx/devkit');
const { connectorFiles, CONNECTOR_TREE } = require('./templates.cjs');

/** `gate-io` -> `GateIo`, `GATE_IO`. */
function namesOf(name) {
  const parts = name.split('-');
  const className = parts.map((p) => p[0].toUpperCase() + p.slice(1)).join('');
  const constName = parts.map((p) => p.toUpperCase()).join('_');
  return { name, className, constName };
}

/**
 * The README with its capability table filled from the skeleton's default
 * capabilities, when core is built (the table renderer is core's); otherwise
 * undefined and `npm run readme:capabilities` fills it later.
 */
async function capabilityTableOf(files) {
  try {
    const kit = await import('@hb/core/connector');
    const defaults = {
      orderTypes: ['limit'],
      orderBook: 'l2',
      sequencedBook: true,
      userStream: true,
      cancelAll: 'emulated',
      lookupByClientOrderId: true,
      reportsFillFees: true,
    };
    return kit.withCapabilityTable(files['README.md'], defaults);
  } catch {
    return undefined;
  }
}

/**
 * @param {import('@nx/devkit').Tree} tree
 * @param {{ name: string; displayName?: string }} options
 */
async function connectorGenerator(tree, options) {
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(options.name)) {
    throw new Error(`connector name must be kebab-case (kraken, gate-io), got "${options.name}"`);
  }
  const root = joinPathFragments('packages', options.name);
  if (tree.exists(joinPathFragments(root, 'package.json'))) {
    throw new Error(`${root} already exists`);
  }
  const n = namesOf(options.name);
  const displayName = options.displayName ?? n.className;
  const files = connectorFiles({ ...n, displayName });
  const table = await capabilityTableOf(files);
  if (table !== undefined) files['README.md'] = table;
  for (const [path, content] of Object.entries(files)) {
    tree.write(joinPathFragments(root, path), content);
  }
  // The workspace typecheck (`tsc -b tsconfig.json`) covers the new package.
  updateJson(tree, 'tsconfig.json', (json) => {
    const refs = json.references ?? [];
    const path = `./packages/${options.name}`;
    if (!refs.some((r) => r.path === path)) refs.push({ path });
    json.references = refs;
    return json;
  });
  // A package has an owner from the start (the workspace test wants a line per package).
  const owners = '.github/CODEOWNERS';
  if (tree.exists(owners)) {
    const text = tree.read(owners, 'utf8') ?? '';
    if (!new RegExp(`^/packages/${options.name}/\\s`, 'm').test(text)) {
      const line = `/packages/${options.name}/`.padEnd(25) + `@hb/${options.name}-owners`;
      tree.write(owners, `${text}${text.endsWith('\n') || text === '' ? '' : '\n'}${line}\n`);
    }
  }
  await formatFiles(tree);
  return () => {
    console.log(
      `\n@hb/${options.name} generated. Next: npm install (links the workspace package), then fill in the files` +
        ` that throw "not implemented" (npx nx run ${options.name}:integration lists them). See CONTRIBUTING.md.` +
        (table === undefined
          ? ' The README capability table is empty until `npm run readme:capabilities` (core was not built).'
          : ''),
    );
  };
}

module.exports = connectorGenerator;
module.exports.default = connectorGenerator;
module.exports.CONNECTOR_TREE = CONNECTOR_TREE;

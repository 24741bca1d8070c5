import { join } from 'node:path';
import {
  exportTarget,
  findConnectorCandidates,
  loadConnectors,
  looksLikeConnector,
  type DiscoveryFs,
} from '../src/discovery.js';

const connectorPkg = {
  name: '@hb/alpha',
  version: '1.2.3',
  exports: {
    '.': { '@hb/source': './src/index.ts', types: './dist/index.d.ts', default: './dist/index.js' },
    './testing': { '@hb/source': './src/testing/index.ts', default: './dist/testing/index.js' },
  },
};

/** A fake tree: /work/app/node_modules/@hb/{alpha,core}, /work/node_modules/@hb/{alpha,beta}. */
function fakeFs(): DiscoveryFs {
  const files: Record<string, string> = {
    '/work/app/node_modules/@hb/alpha/package.json': JSON.stringify(connectorPkg),
    '/work/app/node_modules/@hb/core/package.json': JSON.stringify({
      name: '@hb/core',
      version: '0.1.0',
      exports: { '.': { default: './dist/index.js' } },
    }),
    '/work/node_modules/@hb/alpha/package.json': JSON.stringify({ ...connectorPkg, version: '9.9.9' }),
    '/work/node_modules/@hb/beta/package.json': JSON.stringify({
      name: '@hb/beta',
      version: '0.2.0',
      main: './lib/main.js',
      keywords: ['hb-connector'],
    }),
  };
  const dirs: Record<string, string[]> = {
    '/work/app/node_modules/@hb': ['core', 'alpha'],
    '/work/node_modules/@hb': ['beta', 'alpha'],
  };
  return {
    exists: (p) => p in dirs || p in files,
    listDir: (p) => dirs[p] ?? [],
    readText: (p) => {
      const t = files[p];
      if (t === undefined) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      return t;
    },
    realpath: (p) => p,
  };
}

describe('connector discovery', () => {
  it('picks the built entry of an exports map, never the source condition', () => {
    expect(exportTarget(connectorPkg, '.')).toBe('./dist/index.js');
    expect(exportTarget(connectorPkg, './testing')).toBe('./dist/testing/index.js');
    expect(exportTarget({ main: './m.js' }, '.')).toBe('./m.js');
    expect(exportTarget({ main: './m.js' }, './testing')).toBeUndefined();
  });

  it('recognises connectors by their testing entry, keyword or Nx tag', () => {
    expect(looksLikeConnector(connectorPkg)).toBe(true);
    expect(looksLikeConnector({ keywords: ['hb-connector'] })).toBe(true);
    expect(looksLikeConnector({ nx: { tags: ['scope:connector'] } })).toBe(true);
    expect(looksLikeConnector({ exports: { '.': './x.js' } })).toBe(false);
  });

  it('scans node_modules/@hb above each start folder; the first folder wins', () => {
    const found = findConnectorCandidates(['/work/app/src'], fakeFs());
    expect(found.map((c) => [c.packageName, c.version])).toEqual([
      ['@hb/alpha', '1.2.3'],
      ['@hb/beta', '0.2.0'],
    ]);
    expect(found[0]).toMatchObject({
      mainEntry: join('/work/app/node_modules/@hb/alpha', './dist/index.js'),
      testingEntry: join('/work/app/node_modules/@hb/alpha', './dist/testing/index.js'),
    });
    expect(found[1]!.testingEntry).toBeUndefined();
  });

  it('keeps packages exporting a descriptor and reports those that fail to load', async () => {
    const candidates = findConnectorCandidates(['/work/app'], fakeFs());
    const descriptor = {
      name: 'alpha',
      displayName: 'Alpha',
      version: '1.2.3',
      capabilities: {},
      credentialFields: ['apiKey'],
      createMarket: () => ({}),
    };
    const { connectors, failures } = await loadConnectors(candidates, async (path) => {
      if (path.includes('alpha')) return { connector: descriptor };
      throw new Error('boom\nstack');
    });
    expect(connectors.map((c) => c.descriptor.name)).toEqual(['alpha']);
    expect(failures).toEqual([{ packageName: '@hb/beta', reason: 'boom' }]);
  });

  it('ignores a package whose connector export is not a descriptor', async () => {
    const candidates = findConnectorCandidates(['/work/app'], fakeFs()).slice(0, 1);
    const { connectors, failures } = await loadConnectors(candidates, async () => ({
      connector: { name: 'x' },
    }));
    expect(connectors).toEqual([]);
    expect(failures).toEqual([]);
  });
});

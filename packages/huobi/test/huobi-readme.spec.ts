// The README's capability table is written from HUOBI_CAPABILITIES: this keeps the
// two from drifting apart (the table a user reads must tell the truth).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HUOBI_CAPABILITIES } from '../src/huobi-market.js';

const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
const table = readme.slice(readme.indexOf('## Capabilities'), readme.indexOf('## Limits'));

function row(name: string): string {
  const line = table.split('\n').find((l) => l.startsWith(`| ${name} `));
  if (line === undefined) throw new Error(`README capability table has no "${name}" row`);
  return line;
}

describe('README capability table', () => {
  it('lists exactly the order types the connector accepts', () => {
    for (const t of HUOBI_CAPABILITIES.orderTypes) expect(row('order types')).toContain(`\`${t}\``);
  });

  it('states the book kind, sequencing, user stream, cancel-all mode, lookup and fees as declared', () => {
    expect(row('order book')).toContain(HUOBI_CAPABILITIES.orderBook.toUpperCase());
    expect(row('sequenced book').includes('yes')).toBe(HUOBI_CAPABILITIES.sequencedBook);
    expect(row('user stream').includes('yes')).toBe(HUOBI_CAPABILITIES.userStream);
    expect(row('cancel all')).toContain(HUOBI_CAPABILITIES.cancelAll);
    expect(row('lookup by client order id').includes('yes')).toBe(HUOBI_CAPABILITIES.lookupByClientOrderId);
    expect(row('fees per fill').includes('yes')).toBe(HUOBI_CAPABILITIES.reportsFillFees);
  });
});

// A connector's capabilities as the Markdown table its README shows. The table
// is generated from the data (npm run readme:capabilities) and a workspace test
// fails when a README's copy is out of date, so the README cannot drift from
// what the conformance suite and `hb exchanges --json` read.
import type { ConnectorCapabilities } from '../market/capabilities.js';

/** The marker lines around the generated table in a README. */
export const CAPABILITY_TABLE_START =
  "<!-- capabilities:start (generated from the connector's capabilities; npm run readme:capabilities) -->";
export const CAPABILITY_TABLE_END = '<!-- capabilities:end -->';

const yesNo = (b: boolean): string => (b ? 'yes' : 'no');

/** The rows of the table: what, and what this connector does. */
export function capabilityRows(c: ConnectorCapabilities): [string, string][] {
  return [
    ['order types', c.orderTypes.join(', ')],
    ['public order book', c.orderBook === 'l2' ? 'L2 (price levels)' : 'L3 (individual orders)'],
    ['sequenced book (gaps detected and re-synced)', yesNo(c.sequencedBook)],
    ['private user stream', c.userStream ? 'yes' : 'no (orders and balances are polled)'],
    [
      'cancel all',
      c.cancelAll === 'native' ? 'native (one call)' : 'emulated (one cancel per tracked order)',
    ],
    ['order lookup by client order id', yesNo(c.lookupByClientOrderId)],
    ['fee charged reported per fill', yesNo(c.reportsFillFees)],
    [
      'REST market data',
      c.marketData === undefined || c.marketData.length === 0 ? 'none' : c.marketData.join(', '),
    ],
  ];
}

/** The Markdown table, between its marker lines. */
export function capabilityTable(c: ConnectorCapabilities): string {
  const rows = capabilityRows(c).map(([k, v]) => `| ${k} | ${v} |`);
  // Blank lines around the table, as Prettier writes them: it then only pads columns.
  const table = ['| capability | this connector |', '| --- | --- |', ...rows].join('\n');
  return `${CAPABILITY_TABLE_START}\n\n${table}\n\n${CAPABILITY_TABLE_END}`;
}

/** `readme` with its generated table replaced by the one of `c`; undefined when it has no markers. */
export function withCapabilityTable(readme: string, c: ConnectorCapabilities): string | undefined {
  const start = readme.indexOf(CAPABILITY_TABLE_START);
  const end = readme.indexOf(CAPABILITY_TABLE_END);
  if (start < 0 || end < start) return undefined;
  return readme.slice(0, start) + capabilityTable(c) + readme.slice(end + CAPABILITY_TABLE_END.length);
}

/** A table line with its padding folded, so a Prettier-aligned copy compares equal. */
function folded(text: string): string {
  return text
    .split('\n')
    .map((l) => l.replace(/\s+/g, ' ').replace(/-{3,}/g, '---').trim())
    .filter((l) => l !== '')
    .join('\n');
}

/**
 * Whether `readme`'s generated table says what `c` says (padding aside);
 * false when it has none.
 */
export function capabilityTableIsCurrent(readme: string, c: ConnectorCapabilities): boolean {
  const start = readme.indexOf(CAPABILITY_TABLE_START);
  const end = readme.indexOf(CAPABILITY_TABLE_END);
  if (start < 0 || end < start) return false;
  return folded(readme.slice(start, end + CAPABILITY_TABLE_END.length)) === folded(capabilityTable(c));
}

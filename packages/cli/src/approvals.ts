// Token allowances of on-chain venues (0x relayers): before an order that spends
// a token the wallet has not approved the venue's contract for, the CLI asks the
// user's consent (an approval is a transaction that lets a contract move the
// wallet's tokens), or approves at once with `--approve`, or refuses when it
// cannot ask. Markets without allowances (every CEX) are left alone.
import type { CliMarket } from './contracts.js';
import { CliError, EXIT_CODES } from './errors.js';
import type { CliContext, OpenMarket } from './session.js';

/** What a market with allowances offers (checked by shape, like every connector contract of the CLI). */
export interface AllowanceMarket {
  /** Tokens of the market's pairs the venue's contract may not move (yet). */
  missingAllowances(): Promise<string[]>;
  /** Approves the venue's contract for these tokens; resolves with the transaction hash per token once mined. */
  approveAllowances(assets?: readonly string[]): Promise<Record<string, string>>;
}

/** True for markets of on-chain venues whose trades need token allowances. */
export function hasAllowances(m: CliMarket): m is CliMarket & AllowanceMarket {
  const x = m as unknown as Record<string, unknown>;
  return typeof x['missingAllowances'] === 'function' && typeof x['approveAllowances'] === 'function';
}

/**
 * Makes sure the venue may move `spends` (the assets an order pays with): asks
 * `Approve …? [y/N]` on a terminal, approves without asking with `approve`,
 * and otherwise fails before anything is placed, naming the flag.
 */
export async function ensureAllowances(
  ctx: CliContext,
  m: OpenMarket,
  spends: readonly string[],
  approve: boolean,
  json = false,
): Promise<void> {
  const market = m.market;
  if (!hasAllowances(market)) return;
  const missing = (await market.missingAllowances()).filter((a) => spends.includes(a));
  if (missing.length === 0) return;
  const list = missing.join(', ');
  if (!approve) {
    const prompt = ctx.prompt();
    if (!prompt.interactive)
      throw new CliError({
        exchange: m.exchange,
        what: `allowance missing for ${list}`,
        detail: `the venue's contract may not move your ${list}; pass --approve to approve it (one unlimited approval transaction per token)`,
        exitCode: EXIT_CODES['insufficient_funds'],
      });
    const answer = await prompt.ask(
      `${m.exchange}: approve the venue's contract to move your ${list} (one transaction per token, unlimited)? [y/N] `,
    );
    if (!/^y(es)?$/i.test(answer.trim()))
      throw new CliError({
        exchange: m.exchange,
        what: 'not approved',
        detail: `nothing was placed; the order needs an allowance for ${list}`,
        exitCode: EXIT_CODES['insufficient_funds'],
      });
  }
  ctx.out.status(`${m.exchange}: approving ${list}…`);
  const txs = await market.approveAllowances(missing);
  ctx.out.clearStatus();
  for (const [asset, hash] of Object.entries(txs)) {
    if (json) ctx.out.record({ type: 'approval', exchange: m.exchange, asset, transaction: hash });
    else ctx.out.line(`approved ${asset} for ${m.exchange} (transaction ${hash})`);
  }
}

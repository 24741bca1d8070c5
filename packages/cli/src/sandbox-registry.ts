// `hb sandbox serve <exchange>` leaves a note where later `--sandbox` commands look:
// `$HB_HOME/sandbox/<exchange>.json` (HB_HOME defaults to ~/.hb), so `hb order`,
// `hb orders`, `hb cancel` and `hb balance` in other terminals share one simulated
// account. The note holds the loopback URLs and the sandbox's demo keys (made-up
// keys of a local simulator), readable by the user only.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ConnectorCredentials } from './contracts.js';

/** What a running `hb sandbox serve` tells other commands. */
export interface SandboxNote {
  readonly exchange: string;
  readonly pid: number;
  readonly restUrl: string;
  readonly wsUrl: string;
  /** On-chain venues: the sandbox chain's JSON-RPC URL and id. */
  readonly rpcUrl?: string;
  readonly chainId?: number;
  readonly credentials: ConnectorCredentials;
  readonly tradingPairs: readonly string[];
  readonly startedAt: number;
}

/** The folder of the notes. */
export function sandboxDir(env: NodeJS.ProcessEnv): string {
  const home = env['HB_HOME'];
  return join(home !== undefined && home !== '' ? home : join(homedir(), '.hb'), 'sandbox');
}

/** Where the note of `exchange` lives. */
export function sandboxNotePath(env: NodeJS.ProcessEnv, exchange: string): string {
  return join(sandboxDir(env), `${exchange}.json`);
}

/** Writes the note (folder 0700, file 0600). */
export function writeSandboxNote(env: NodeJS.ProcessEnv, note: SandboxNote): string {
  mkdirSync(sandboxDir(env), { recursive: true, mode: 0o700 });
  const path = sandboxNotePath(env, note.exchange);
  writeFileSync(path, `${JSON.stringify(note)}\n`, { mode: 0o600 });
  return path;
}

/** Removes the note if it is still ours (a second `serve` may have replaced it). */
export function removeSandboxNote(env: NodeJS.ProcessEnv, exchange: string, pid: number): void {
  const note = readNote(sandboxNotePath(env, exchange));
  if (note !== undefined && note.pid === pid) rmSync(sandboxNotePath(env, exchange), { force: true });
}

/**
 * The note of a running `hb sandbox serve` for `exchange`, or undefined when
 * there is none or its process is gone (a stale note is removed).
 */
export function findRunningSandbox(env: NodeJS.ProcessEnv, exchange: string): SandboxNote | undefined {
  const path = sandboxNotePath(env, exchange);
  const note = readNote(path);
  if (note === undefined || note.exchange !== exchange) return undefined;
  if (!isAlive(note.pid)) {
    rmSync(path, { force: true });
    return undefined;
  }
  return note;
}

function readNote(path: string): SandboxNote | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null) return undefined;
  const n = raw as Record<string, unknown>;
  if (
    typeof n['exchange'] !== 'string' ||
    typeof n['pid'] !== 'number' ||
    typeof n['restUrl'] !== 'string' ||
    typeof n['wsUrl'] !== 'string' ||
    typeof n['credentials'] !== 'object' ||
    n['credentials'] === null
  )
    return undefined;
  const creds = n['credentials'] as Record<string, unknown>;
  const credentials: Record<string, string> = {};
  for (const k of ['apiKey', 'apiSecret', 'passphrase', 'privateKey', 'rpcUrl'])
    if (typeof creds[k] === 'string') credentials[k] = creds[k];
  return {
    exchange: n['exchange'],
    pid: n['pid'],
    restUrl: n['restUrl'],
    wsUrl: n['wsUrl'],
    ...(typeof n['rpcUrl'] === 'string' ? { rpcUrl: n['rpcUrl'] } : {}),
    ...(typeof n['chainId'] === 'number' ? { chainId: n['chainId'] } : {}),
    credentials,
    tradingPairs: Array.isArray(n['tradingPairs'])
      ? n['tradingPairs'].filter((p): p is string => typeof p === 'string')
      : [],
    startedAt: typeof n['startedAt'] === 'number' ? n['startedAt'] : 0,
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: alive, owned by someone else.
    return (e as { code?: string }).code === 'EPERM';
  }
}

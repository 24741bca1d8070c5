// Runs the real built `hb` binary (bin/hb.js -> dist/main.js) as a child process.
// Asynchronous on purpose: the simulator the CLI talks to lives in this process.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** The binary under test. */
export const HB_BIN = join(__dirname, '..', 'bin', 'hb.js');

/** What a run printed and how it ended. */
export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A running CLI: its output so far, and a way to wait for a line. */
export interface CliProcess {
  readonly child: ChildProcess;
  readonly done: Promise<CliRun>;
  /** Resolves with the first stdout line matching `re` (rejects if the process ends first). */
  waitForLine(re: RegExp): Promise<string>;
}

/** Every output of every run, to check that no secret ever appears. */
export const allOutput: string[] = [];

/** Starts `hb <args>` with exactly `env` (plus PATH), never inheriting the test's HB_* variables. */
export function startCli(
  args: readonly string[],
  env: Record<string, string> = {},
  cwd?: string,
  input?: string,
): CliProcess {
  const child = spawn(process.execPath, [HB_BIN, ...args], {
    cwd,
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  if (input !== undefined) child.stdin!.end(input);
  let stdout = '';
  let stderr = '';
  const waiters: { re: RegExp; resolve: (l: string) => void; reject: (e: Error) => void }[] = [];
  const check = (): void => {
    for (const w of [...waiters]) {
      const line = stdout.split('\n').find((l) => w.re.test(l));
      if (line !== undefined) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  };
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
    check();
  });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const done = new Promise<CliRun>((resolve) => {
    child.on('close', (code) => {
      allOutput.push(stdout, stderr);
      for (const w of waiters)
        w.reject(new Error(`hb exited (${code}) before printing ${w.re}; stderr: ${stderr}`));
      resolve({ code, stdout, stderr });
    });
  });
  return {
    child,
    done,
    waitForLine: (re) =>
      new Promise<string>((resolve, reject) => {
        waiters.push({ re, resolve, reject });
        check();
      }),
  };
}

/** Runs `hb <args>` to the end. */
export function runCli(
  args: readonly string[],
  env: Record<string, string> = {},
  cwd?: string,
  input?: string,
): Promise<CliRun> {
  return startCli(args, env, cwd, input).done;
}

/** Parses stdout as NDJSON: every line must be one JSON object. */
export function ndjson(stdout: string): Record<string, unknown>[] {
  const lines = stdout.split('\n');
  expect(lines[lines.length - 1]).toBe('');
  return lines.slice(0, -1).map((l) => {
    const v: unknown = JSON.parse(l);
    expect(typeof v === 'object' && v !== null && !Array.isArray(v)).toBe(true);
    return v as Record<string, unknown>;
  });
}

/** A loopback port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** IPC messages between run.ts and the two benchmark processes. */

/** run.ts -> simulator. */
export type SimCommand =
  | { readonly type: 'run' }
  | { readonly type: 'quiet' }
  | { readonly type: 'digests' }
  | { readonly type: 'stop' };

/** Simulator -> run.ts. */
export type SimReply =
  | { readonly type: 'started'; readonly restUrl: string; readonly wsUrl: string; readonly pairs: string[] }
  | {
      readonly type: 'quiet';
      readonly stepsPerSecond: number;
      readonly cpuPercent: number;
      readonly rssMb: number;
      readonly connections: number;
    }
  | { readonly type: 'digests'; readonly digests: Record<string, string> };

/** run.ts -> connector. */
export type ConnectorCommand =
  | {
      readonly type: 'start';
      readonly restUrl: string;
      readonly wsUrl: string;
      readonly pairs: string[];
      readonly readyTimeoutMs: number;
    }
  | { readonly type: 'measure'; readonly seconds: number }
  | { readonly type: 'digests' }
  | { readonly type: 'stop' };

/** Connector -> run.ts. */
export type ConnectorReply =
  | { readonly type: 'ready'; readonly readyMs: number; readonly error?: string }
  | {
      readonly type: 'measured';
      readonly rssMb: number;
      readonly heapMb: number;
      readonly maxRssMb: number;
      readonly cpuPercent: number;
      readonly diffsPerSecond: number;
      readonly resyncs: number;
    }
  | { readonly type: 'digests'; readonly digests: Record<string, string> };

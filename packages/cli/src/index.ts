// The public surface of @hb/cli: the `hb` command as a function, its argument
// parser, and the contracts it expects of connectors (for connector authors).
export { main, type MainOptions } from './main.js';
export { parseArgs, type CommonOptions, type ParsedCommand, type ParseResult } from './args.js';
export type { OpenOrder, Sandbox, SandboxOptions, StartSandbox, CliMarket } from './contracts.js';
export { credentialEnvName, envPrefix } from './credentials.js';

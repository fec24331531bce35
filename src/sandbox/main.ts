// `npm run sandbox`: the Cloud API emulator on its own — read the env config, listen, print the
// URLs to use, and shut down gracefully on SIGINT/SIGTERM.

import { loadSandboxConfig, SandboxConfigError } from './config.js';
import { startSandbox } from './server.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadSandboxConfig();
    if (process.argv.includes('--reset')) config.resetState = true;
  } catch (err) {
    if (err instanceof SandboxConfigError) {
      process.stderr.write(`sandbox: configuration error: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const sandbox = await startSandbox(config);
  const { state } = sandbox.ctx;
  const token = [...state.tokens.keys()][0] ?? '(none)';
  const number = [...state.phoneNumbers.values()][0];
  const lines = [
    `Parley sandbox (Cloud API emulator) listening on ${sandbox.url}`,
    `  Graph API base:  ${sandbox.url}/v21.0   (bearer token: ${token})`,
    number ? `  send:            POST ${sandbox.url}/v21.0/${number.id}/messages` : '',
    `  control API:     ${sandbox.url}/_sandbox/   (see docs/sandbox.md)`,
    `  phone view:      ${sandbox.url}/_sandbox/phone`,
    `  webhooks go to:  ${[...state.apps.values()].map((a) => a.callbackUrl ?? '(no callback yet)').join(', ')}`,
    `  state:           ${config.stateFile ? `kept in ${config.stateFile}${config.resetState ? ' (reset at start)' : ''}` : 'in memory (set SANDBOX_STATE_FILE to keep it)'}`,
  ];
  process.stdout.write(lines.filter(Boolean).join('\n') + '\n');

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`sandbox: ${signal}, shutting down\n`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    sandbox.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

void main();

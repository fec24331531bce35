// `npm start`: load and validate the configuration, start Parley (and, by default, the sandbox as
// its Cloud API with a demo workspace), print where everything is, stop cleanly on SIGINT/SIGTERM.

import { ConfigError, describeConfig, loadConfig, type Config } from './config.js';
import { startParley, type Parley } from './compose.js';
import { seedDemoConversations } from './services/demo-conversations.js';

function readConfig(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
}

function banner(parley: Parley): string {
  const lines = [
    `Parley     ${parley.url}        API docs: ${parley.url}/docs`,
  ];
  if (parley.sandbox) {
    lines.push(`Sandbox    ${parley.sandbox.url}        phone view: ${parley.sandbox.url}/_sandbox/phone`);
  }
  if (parley.demo) {
    lines.push(`Demo API key  ${parley.demo.apiKey}`);
    // The demo operators' passwords are printed here only (and kept in ./data/demo-users.json), never logged.
    for (const u of parley.demo.users) lines.push(`Demo ${u.role.padEnd(5)}    ${u.email}  password: ${u.password}    sign in at ${parley.url}/`);
    lines.push(`Try:  curl -s ${parley.url}/api/v1/conversations -H "Authorization: Bearer ${parley.demo.apiKey}"`);
  }
  return lines.join('\n') + '\n';
}

async function main(): Promise<void> {
  const config = readConfig();
  const parley = await startParley(config);
  parley.deps.logger.info({ config: describeConfig(config) }, 'Parley started');
  process.stdout.write(banner(parley));
  // First run on this data: the sandbox's customers write in, so the inbox has something to show.
  if (parley.demo?.created && parley.sandbox && parley.config.demoConversations) {
    seedDemoConversations(parley.deps, parley.sandbox, parley.demo).then(
      (ids) => parley.deps.logger.info({ conversations: ids.length }, 'demo conversations played'),
      (err: unknown) => parley.deps.logger.warn({ err }, 'demo conversations not played'),
    );
  }

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    parley.deps.logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    parley.close().then(() => process.exit(0), (err: unknown) => {
      process.stderr.write(`shutdown failed: ${String(err)}\n`);
      process.exit(1);
    });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`Parley failed to start: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});

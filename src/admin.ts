// `npm run admin -- <command>`: the entry point; the commands are in admin-cli.ts.

import { runAdmin } from './admin-cli.js';

void runAdmin(process.argv.slice(2));

// `npm run api:types`: regenerates web/src/api/schema.d.ts from Parley's routes (see api-types.ts).

import { readFile, writeFile } from 'node:fs/promises';
import { SCHEMA_FILE, renderApiTypes } from './api-types.js';

const text = await renderApiTypes();
const before = await readFile(SCHEMA_FILE, 'utf8').catch(() => '');
if (before === text) process.stdout.write('web/src/api/schema.d.ts is up to date\n');
else {
  await writeFile(SCHEMA_FILE, text);
  process.stdout.write('web/src/api/schema.d.ts regenerated\n');
}

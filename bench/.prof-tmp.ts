import { mkdtempSync } from 'node:fs';
import { availability } from './targets/availability';
const t = await availability.start({ database: 'sqlite', workDir: mkdtempSync('/tmp/x/bd-'), postgresUrl: null });
console.log(t.notes.join('\n'));
await t.close();
process.exit(0);

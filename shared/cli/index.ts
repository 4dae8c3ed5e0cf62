import '../bundle-globals.js';
import { startEntry } from '../entry.js';
import { runCli } from './main.js';

await startEntry(async () => {
  process.exitCode = await runCli(process.argv.slice(2));
}, import.meta.url);

import '../../../shared/bundle-globals.js';
import { startEntry } from '../../../shared/entry.js';
import { run } from './main.js';

await startEntry(run, import.meta.url);

import '../../../shared/bundle-globals.js';
import { startEntry } from '../../../shared/entry.js';

await startEntry(() => import('./main.js'), import.meta.url);

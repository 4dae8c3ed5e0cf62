import '../bundle-globals.js';
import { startEntry } from '../entry.js';

await startEntry(() => import('./main.js'), import.meta.url);

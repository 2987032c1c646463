// worker_threads bootstrap for sgdHelperNode.ts: tsx's loader does not reach worker threads by itself, so register it here.
import { register } from 'tsx/esm/api';

register();
await import('./sgdHelperNode.ts');

// Worker-thread bootstrap: registers tsx so the TypeScript feature worker loads in a plain Node worker; holds no logic.
import { register } from 'tsx/esm/api';

register();
await import('./featureWorker.ts');

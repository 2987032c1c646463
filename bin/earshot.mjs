#!/usr/bin/env node
// The `earshot` executable: registers tsx so the TypeScript CLI runs without a build step, then calls cli/main.ts; holds no logic.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
const code = await main(process.argv.slice(2));
process.exit(code);

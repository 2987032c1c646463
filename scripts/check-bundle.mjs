// The production build carries no test hooks or fault switches (src/lib/devtools.ts DEVTOOLS is false there): reads
// every built JS file under the given folder (default dist/) and fails naming each file and hook it finds. Node-only.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2] ?? 'dist';
/** What only the devtools/ hooks and the ?fault= / ?stream= switches spell. */
const MARKERS = [
  '__earshotScatter',
  '__earshotDatasets',
  '__earshot=',
  '__earshot:',
  'webgpu-lost@',
  'webgpu-create',
  'simulated by ?fault',
  'windowEmbeddings',
];

const files = (d) =>
  readdirSync(d, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(d, e.name)) : /\.m?js$/.test(e.name) ? [join(d, e.name)] : [],
  );
const all = files(dir);
if (all.length === 0) {
  console.error(`check-bundle: no built JS under ${dir}`);
  process.exit(1);
}
const found = [];
for (const f of all) {
  const text = readFileSync(f, 'utf8');
  for (const m of MARKERS) if (text.includes(m)) found.push(`${f}: ${m}`);
}
if (found.length > 0) {
  console.error(`check-bundle: the production build carries test hooks:\n  ${found.join('\n  ')}`);
  process.exit(1);
}
console.log(`check-bundle: ${all.length} built JS files, no test hooks`);

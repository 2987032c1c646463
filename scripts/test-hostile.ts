// `npm run test:hostile`: runs the WAV fuzz test and the hostile-input specs (bad audio, hostile datasets and links, dropped downloads, a many-file drop), adds up their summaries and prints the hardening figure on its last line; a test driver, must not change the app.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const SUMMARY_DIR = join('test-results', 'hostile-summary');
const SPECS = ['e2e/hostile-audio.spec.ts', 'e2e/hostile-datasets.spec.ts', 'e2e/load-many-files.spec.ts'];
const loadFiles = process.env['EARSHOT_LOAD_FILES'] ?? '10000';

interface Summary {
  spec: string;
  cases: { id: string; survived: boolean; detail: string }[];
  cspViolations: number;
  lostPoints: number;
}

let failed = false;
console.log('== fuzz (src/dsp/wav.fuzz.test.ts)');
const fuzz = spawnSync('npx', ['vitest', 'run', 'src/dsp/wav.fuzz.test.ts'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
process.stdout.write(fuzz.stdout);
process.stderr.write(fuzz.stderr);
const fuzzCases = Number(/parseWav fuzz: (\d+) cases/.exec(fuzz.stdout + fuzz.stderr)?.[1] ?? 0);
if (fuzz.status !== 0 || fuzzCases === 0) failed = true;

console.log(`== hostile specs (${SPECS.join(', ')}; EARSHOT_LOAD_FILES=${loadFiles})`);
// Playwright empties test-results/ when it starts, so the summaries read below are this run's.
rmSync(SUMMARY_DIR, { recursive: true, force: true });
const e2e = spawnSync('npx', ['playwright', 'test', ...SPECS], { stdio: 'inherit', env: { ...process.env, EARSHOT_LOAD_FILES: loadFiles, EARSHOT_HOSTILE: '1' } });
if (e2e.status !== 0) failed = true;

const summaries: Summary[] = existsSync(SUMMARY_DIR)
  ? readdirSync(SUMMARY_DIR).filter((n) => n.endsWith('.json')).map((n) => JSON.parse(readFileSync(join(SUMMARY_DIR, n), 'utf8')) as Summary)
  : [];
const expected = ['hostile-audio', 'hostile-datasets', 'load-many-files'];
for (const name of expected) {
  if (!summaries.some((s) => s.spec === name)) {
    console.log(`hostile: no summary from ${name} (the spec did not get that far)`);
    failed = true;
  }
}
const cases = summaries.flatMap((s) => s.cases);
for (const c of cases.filter((x) => !x.survived)) console.log(`hostile: did not survive: ${c.id}: ${c.detail}`);
const bad = cases.length;
const survived = cases.filter((c) => c.survived).length;
const csp = summaries.reduce((n, s) => n + s.cspViolations, 0);
const lost = summaries.reduce((n, s) => n + s.lostPoints, 0);
if (survived !== bad || csp !== 0 || lost !== 0) failed = true;
console.log(`hardening: bad_inputs=${bad} survived=${survived} fuzz_cases=${fuzzCases} csp_violations=${csp} lost_points=${lost}`);
process.exit(failed ? 1 : 0);

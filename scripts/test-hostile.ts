// `npm run test:hostile`: runs the WAV fuzz test, the hostile unit tests of the CLI and the format readers/writers, and the hostile-input specs (bad audio, hostile datasets and links, dropped downloads, a many-file drop), adds up their cases and prints the hardening figure on its last line — "hardening: FAILED (…)" and exit 1 when any of them failed; a test driver, must not change the app.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HOSTILE_UNIT_TESTS, hardeningReport, unitHostileCases } from './lib/hardening.ts';
import type { HostileSummaryInput, VitestJsonReport } from './lib/hardening.ts';

const SUMMARY_DIR = join('test-results', 'hostile-summary');
const SPECS = ['e2e/hostile-audio.spec.ts', 'e2e/hostile-datasets.spec.ts', 'e2e/load-many-files.spec.ts'];
const loadFiles = process.env['EARSHOT_LOAD_FILES'] ?? '10000';

console.log('== fuzz (src/dsp/wav.fuzz.test.ts)');
const fuzz = spawnSync('npx', ['vitest', 'run', 'src/dsp/wav.fuzz.test.ts'], {
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'pipe'],
});
process.stdout.write(fuzz.stdout);
process.stderr.write(fuzz.stderr);
const fuzzCases = Number(/parseWav fuzz: (\d+) cases/.exec(fuzz.stdout + fuzz.stderr)?.[1] ?? 0);

// Hostile unit cases (symlink loops, FIFOs, paths out of a dataset, formula cells, float32 overflow…): one case a test.
console.log(`== hostile unit tests (${HOSTILE_UNIT_TESTS.map((t) => t.file).join(', ')})`);
const reportDir = mkdtempSync(join(tmpdir(), 'earshot-hostile-units-'));
const reportFile = join(reportDir, 'vitest.json');
const units = spawnSync(
  'npx',
  [
    'vitest',
    'run',
    ...new Set(HOSTILE_UNIT_TESTS.map((t) => t.file)),
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${reportFile}`,
  ],
  {
    stdio: 'inherit',
  },
);
const report = existsSync(reportFile) ? (JSON.parse(readFileSync(reportFile, 'utf8')) as VitestJsonReport) : {};
rmSync(reportDir, { recursive: true, force: true });
const unitCases = unitHostileCases(report, process.cwd());

console.log(`== hostile specs (${SPECS.join(', ')}; EARSHOT_LOAD_FILES=${loadFiles})`);
// Playwright empties test-results/ when it starts, so the summaries read below are this run's.
rmSync(SUMMARY_DIR, { recursive: true, force: true });
const e2e = spawnSync('npx', ['playwright', 'test', ...SPECS], {
  stdio: 'inherit',
  env: { ...process.env, EARSHOT_LOAD_FILES: loadFiles, EARSHOT_HOSTILE: '1' },
});

const summaries: HostileSummaryInput[] = existsSync(SUMMARY_DIR)
  ? readdirSync(SUMMARY_DIR)
      .filter((n) => n.endsWith('.json'))
      .map((n) => JSON.parse(readFileSync(join(SUMMARY_DIR, n), 'utf8')) as HostileSummaryInput)
  : [];
summaries.push({ spec: 'unit-hostile', cases: unitCases.cases, cspViolations: 0, lostPoints: 0 });
const verdict = hardeningReport({
  fuzz: { exitCode: fuzz.status, cases: fuzzCases },
  units: { exitCode: units.status, missing: unitCases.missing },
  e2e: { exitCode: e2e.status },
  expected: ['hostile-audio', 'hostile-datasets', 'load-many-files', 'unit-hostile'],
  summaries,
});
for (const line of verdict.lines) console.log(line);
process.exit(verdict.failed ? 1 : 0);

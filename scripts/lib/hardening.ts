// The hardening figure of `npm run test:hostile`: which unit tests count as hostile cases, reading them from a Vitest JSON report, and the verdict line that can never look like success when a stage behind it failed; pure, no processes.

export interface HostileCase {
  id: string;
  survived: boolean;
  detail: string;
}

export interface HostileSummaryInput {
  spec: string;
  cases: HostileCase[];
  cspViolations: number;
  lostPoints: number;
}

/**
 * Unit tests whose every case is a hostile input for the CLI or a format reader/writer (symlink loops, FIFOs, paths
 * out of a dataset folder, formula cells, float32 overflow, unterminated quotes…): whole files, or the tests of a
 * shared file whose full name matches `titles`. Each test is one case in bad_inputs.
 */
export const HOSTILE_UNIT_TESTS: readonly { file: string; titles?: RegExp }[] = [
  { file: 'cli/inputs.test.ts' },
  { file: 'cli/verify.test.ts', titles: /^(?!.*a sane dataset verifies)/ }, // that one is the control, not a hostile input
  { file: 'cli/project.test.ts' },
  { file: 'src/intake/collectFiles.test.ts' },
  { file: 'src/analysis/analysis.test.ts', titles: /formula|unterminated quote/ },
  { file: 'src/dataset/formats/projector.test.ts', titles: /formula|beyond float32/ },
  { file: 'src/dataset/formats/scatterSounds.test.ts', titles: /not as float32/ },
  { file: 'src/dataset/formats/native.test.ts', titles: /Infinity time or position/ },
];

/** The parts of Vitest's JSON reporter output read here. */
export interface VitestJsonReport {
  testResults?: {
    name: string;
    assertionResults?: { fullName: string; status: string; failureMessages?: string[] }[];
  }[];
}

/**
 * The hostile unit cases in a Vitest JSON report (`root`: the repository folder, to match its absolute file names),
 * and the selections that produced no case at all (a file that did not run, or a title pattern that matches nothing
 * any more: either would shrink the figure silently).
 */
export function unitHostileCases(report: VitestJsonReport, root: string): { cases: HostileCase[]; missing: string[] } {
  const cases: HostileCase[] = [];
  const missing: string[] = [];
  const prefix = root.endsWith('/') ? root : `${root}/`;
  for (const sel of HOSTILE_UNIT_TESTS) {
    const file = (report.testResults ?? []).find(
      (t) => t.name === prefix + sel.file || t.name.endsWith(`/${sel.file}`),
    );
    const picked = (file?.assertionResults ?? []).filter((a) => !sel.titles || sel.titles.test(a.fullName));
    if (picked.length === 0) missing.push(sel.titles ? `${sel.file} (tests matching ${sel.titles})` : sel.file);
    for (const a of picked) {
      cases.push({
        id: `unit:${sel.file}: ${a.fullName}`,
        survived: a.status === 'passed',
        detail: a.status === 'passed' ? 'passed' : `${a.status}: ${(a.failureMessages?.[0] ?? '').split('\n')[0]}`,
      });
    }
  }
  return { cases, missing };
}

export interface HardeningInput {
  fuzz: { exitCode: number | null; cases: number };
  units: { exitCode: number | null; missing: string[] };
  e2e: { exitCode: number | null };
  /** Summary names that must be there (one per hostile spec, plus the unit cases). */
  expected: readonly string[];
  summaries: readonly HostileSummaryInput[];
}

/**
 * Every line to print, the verdict last. A failed stage — an exit status, a missing summary, a case that did not
 * survive, a CSP violation, a lost point — makes the last line start "hardening: FAILED" with the reasons, so no
 * figure reads as a pass when a spec behind it failed.
 */
export function hardeningReport(input: HardeningInput): { failed: boolean; lines: string[] } {
  const lines: string[] = [];
  const reasons: string[] = [];
  if (input.fuzz.exitCode !== 0) reasons.push(`fuzz exited with ${input.fuzz.exitCode}`);
  if (input.fuzz.cases === 0) reasons.push('fuzz ran no cases');
  if (input.units.exitCode !== 0) reasons.push(`hostile unit tests exited with ${input.units.exitCode}`);
  for (const m of input.units.missing) {
    lines.push(`hostile: no unit result from ${m}`);
    reasons.push(`no unit result from ${m}`);
  }
  if (input.e2e.exitCode !== 0) reasons.push(`hostile specs exited with ${input.e2e.exitCode}`);
  for (const name of input.expected) {
    if (!input.summaries.some((s) => s.spec === name)) {
      lines.push(`hostile: no summary from ${name} (the spec did not get that far)`);
      reasons.push(`no summary from ${name}`);
    }
  }
  const cases = input.summaries.flatMap((s) => s.cases);
  const lost = cases.filter((c) => !c.survived);
  for (const c of lost) lines.push(`hostile: did not survive: ${c.id}: ${c.detail}`);
  if (lost.length > 0) reasons.push(`${lost.length} case(s) did not survive`);
  const csp = input.summaries.reduce((n, s) => n + s.cspViolations, 0);
  const lostPoints = input.summaries.reduce((n, s) => n + s.lostPoints, 0);
  if (csp !== 0) reasons.push(`${csp} CSP violation(s)`);
  if (lostPoints !== 0) reasons.push(`${lostPoints} lost point(s)`);
  const figure = `bad_inputs=${cases.length} survived=${cases.length - lost.length} fuzz_cases=${input.fuzz.cases} csp_violations=${csp} lost_points=${lostPoints}`;
  const failed = reasons.length > 0;
  lines.push(failed ? `hardening: FAILED (${reasons.join('; ')}) ${figure}` : `hardening: ${figure}`);
  return { failed, lines };
}

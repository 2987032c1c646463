// The hardening verdict: a failed stage behind the figure (spec exit status, missing summary, a case lost, fuzz or unit run failing) makes the last line "hardening: FAILED …"; hostile unit cases are read from a Vitest JSON report and a selection that matches nothing is a failure.
import { describe, expect, it } from 'vitest';
import { HOSTILE_UNIT_TESTS, hardeningReport, unitHostileCases } from './hardening.ts';
import type { HardeningInput, VitestJsonReport } from './hardening.ts';

const ok = (spec: string, n: number) => ({
  spec,
  cases: Array.from({ length: n }, (_, i) => ({ id: `${spec}-${i}`, survived: true, detail: '' })),
  cspViolations: 0,
  lostPoints: 0,
});

const good = (): HardeningInput => ({
  fuzz: { exitCode: 0, cases: 500 },
  units: { exitCode: 0, missing: [] },
  e2e: { exitCode: 0 },
  expected: ['hostile-audio', 'unit-hostile'],
  summaries: [ok('hostile-audio', 40), ok('unit-hostile', 6)],
});

describe('hardeningReport', () => {
  it('all green: the figure alone on the last line', () => {
    const r = hardeningReport(good());
    expect(r.failed).toBe(false);
    expect(r.lines.at(-1)).toBe('hardening: bad_inputs=46 survived=46 fuzz_cases=500 csp_violations=0 lost_points=0');
  });

  it('a spec that failed behind a clean-looking figure: FAILED on the last line, with the reason', () => {
    const r = hardeningReport({ ...good(), e2e: { exitCode: 1 } });
    expect(r.failed).toBe(true);
    expect(r.lines.at(-1)).toBe(
      'hardening: FAILED (hostile specs exited with 1) bad_inputs=46 survived=46 fuzz_cases=500 csp_violations=0 lost_points=0',
    );
  });

  it('every other failure is named too', () => {
    const input = good();
    input.fuzz = { exitCode: 0, cases: 0 };
    input.units = { exitCode: 1, missing: ['cli/verify.test.ts'] };
    input.summaries = [
      {
        ...ok('hostile-audio', 2),
        cases: [{ id: 'x', survived: false, detail: 'hung' }],
        cspViolations: 1,
        lostPoints: 3,
      },
    ];
    const r = hardeningReport(input);
    expect(r.failed).toBe(true);
    expect(r.lines).toContain('hostile: did not survive: x: hung');
    expect(r.lines).toContain('hostile: no summary from unit-hostile (the spec did not get that far)');
    expect(r.lines.at(-1)).toMatch(
      /^hardening: FAILED \(fuzz ran no cases; hostile unit tests exited with 1; no unit result from cli\/verify\.test\.ts; no summary from unit-hostile; 1 case\(s\) did not survive; 1 CSP violation\(s\); 3 lost point\(s\)\) bad_inputs=1 survived=0 /,
    );
  });
});

describe('unitHostileCases', () => {
  it('takes whole files and the matching tests of shared files; a selection with no result is missing', () => {
    const root = '/repo';
    const report: VitestJsonReport = {
      testResults: [
        {
          name: '/repo/cli/inputs.test.ts',
          assertionResults: [
            { fullName: 'folder links two links', status: 'passed' },
            { fullName: 'x', status: 'failed', failureMessages: ['boom\nstack'] },
          ],
        },
        {
          name: '/repo/src/analysis/analysis.test.ts',
          assertionResults: [
            { fullName: 'raven guards labels … formulas', status: 'passed' },
            { fullName: 'kmeans converges', status: 'passed' },
          ],
        },
      ],
    };
    const { cases, missing } = unitHostileCases(report, root);
    expect(cases.map((c) => [c.id, c.survived])).toEqual([
      ['unit:cli/inputs.test.ts: folder links two links', true],
      ['unit:cli/inputs.test.ts: x', false],
      ['unit:src/analysis/analysis.test.ts: raven guards labels … formulas', true],
    ]);
    expect(cases[1]!.detail).toBe('failed: boom');
    expect(missing).toHaveLength(HOSTILE_UNIT_TESTS.length - 2);
    expect(missing).toContain('cli/project.test.ts');
    expect(missing.some((m) => m.startsWith('cli/verify.test.ts (tests matching'))).toBe(true);
  });
});

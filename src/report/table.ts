/** The verdict table of `poolspec check`: spec × configuration × backend. */
import type { CheckResult } from '../check/result.ts';
import { describeExpectation } from '../check/result.ts';

const num = (n: number | null) => (n === null ? '-' : n.toLocaleString('en-US'));

export function formatTable(results: CheckResult[]): string {
  const header = ['spec', 'config', 'backend', 'verdict', 'violated', 'distinct', 'generated', 'depth', 'seconds', 'expected', 'ok'];
  const rows = results.map((r) => [
    r.spec, r.config, r.backend, r.verdict, r.violated ?? '-', num(r.distinctStates), num(r.statesGenerated),
    num(r.depth), r.seconds.toFixed(1), describeExpectation(r.expected), r.matchesExpected ? 'yes' : 'NO',
  ]);
  const right = new Set([5, 6, 7, 8]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (right.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/**
 * `npx tsx scripts/mutation-union.ts FULL.json TARGETED.json`: the score of a module when the mutants
 * a full run let live are tested again by a narrowed run (POOLSPEC_MUTATION_TESTS, e.g. only the
 * tests written against them): a mutant counts as detected when either run detected it. Mutants are
 * matched by position, mutator and replacement; the full run decides which mutants are valid.
 */
import fs from 'node:fs';

interface Mutant { status: string; mutatorName: string; replacement?: string; location: { start: { line: number; column: number }; end: { line: number; column: number } } }
type Report = { files: Record<string, { source: string; mutants: Mutant[] }> };

const [fullFile, targetedFile] = process.argv.slice(2);
if (!fullFile || !targetedFile) {
  console.error('usage: tsx scripts/mutation-union.ts FULL.json TARGETED.json');
  process.exit(2);
}
const read = (f: string) => JSON.parse(fs.readFileSync(f, 'utf8')) as Report;
const id = (m: Mutant) => `${m.location.start.line}:${m.location.start.column}-${m.location.end.line}:${m.location.end.column} ${m.mutatorName} ${m.replacement ?? ''}`;
const detected = (s: string) => s === 'Killed' || s === 'Timeout';
const live = (s: string) => s === 'Survived' || s === 'NoCoverage';

const full = read(fullFile);
const targeted = new Map(Object.values(read(targetedFile).files).flatMap((f) => f.mutants).map((m) => [id(m), m.status]));
let det = 0;
const left: string[] = [];
let valid = 0;
for (const [file, f] of Object.entries(full.files)) {
  const lines = f.source.split('\n');
  for (const m of f.mutants) {
    if (!detected(m.status) && !live(m.status)) continue;
    valid += 1;
    if (detected(m.status) || detected(targeted.get(id(m)) ?? '')) det += 1;
    else left.push(`${file}:${m.location.start.line}:${m.location.start.column}  ${m.status === 'Survived' ? 'survived' : 'no coverage'}  ${m.mutatorName}  ${JSON.stringify(m.replacement ?? '').slice(0, 60)}  | ${lines[m.location.start.line - 1].trim().slice(0, 80)}`);
  }
}
console.log(`detected ${det} of ${valid} valid mutants: ${((100 * det) / Math.max(1, valid)).toFixed(1)}%`);
if (left.length) console.log(`\nstill live (${left.length}):\n${left.join('\n')}`);

/**
 * Evidence records in proofs/: `<Spec>.json` (for machines and `proofs:check`) and `<Spec>.md` (for
 * people). A record names the spec files it was made from by sha256, the tools (Z3, TLC and the
 * jar's sha256), the constants, each obligation with its result and seconds, and the TLC verdicts
 * on IndInv over the reachable states and on the refinement. No timestamps: a record changes only
 * when what it says changes.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Model } from '../dsl/ir.ts';
import { PROJECT_ROOT } from '../dsl/source.ts';
import { fail, formatError, ok, type Result } from '../errors.ts';
import { locateJar, tlcVersion } from '../tlc/index.ts';
import type { CheckResult } from '../check/result.ts';
import { describeExpectation } from '../check/result.ts';
import type { ProveResult } from './prove.ts';
import { constantsText } from './format.ts';
import { indInvReachable, reachabilityConfigs, refinementChecks } from './tlc-checks.ts';

export const PROOFS_DIR = path.join(PROJECT_ROOT, 'proofs');

export interface TlcVerdict {
  config: string;
  verdict: string;
  violated: string | null;
  expected: string;
  matchesExpected: boolean;
  distinctStates: number | null;
  seconds: number;
  /** What went wrong when the verdict is `error`. */
  error?: string;
}

export interface ProofRecord {
  spec: string;
  /** sha256 of each spec source the model is built from (the spec file and its imports under spec/). */
  sources: Record<string, string>;
  /** sha256 over `sources` (file and hash, in order). */
  specHash: string;
  tools: { z3: string; tlc: string | null; jarSha256: string | null };
  inductive: string;
  expect: 'proved' | 'fails';
  config: string;
  constants: Record<string, number | boolean>;
  conjuncts: string[];
  proved: boolean;
  seconds: number;
  obligations: { name: string; result: string; seconds: number; cti?: { transition: string; proc: number; source: string; broken: string[] } }[];
  /** TLC: IndInv as an invariant on the reachable states. */
  reachability: TlcVerdict[];
  /** TLC: the Refines configurations. */
  refinement: TlcVerdict[];
}

const sha = (s: string | Buffer) => crypto.createHash('sha256').update(s).digest('hex');

/** The spec file and every file under spec/ it imports, transitively, in a stable order. */
export function specSources(specFile: string): string[] {
  const specDir = path.join(PROJECT_ROOT, 'spec');
  const seen = new Set<string>();
  const visit = (abs: string) => {
    if (seen.has(abs) || !fs.existsSync(abs)) return;
    seen.add(abs);
    const text = fs.readFileSync(abs, 'utf8');
    for (const m of text.matchAll(/from\s+'(\.{1,2}\/[^']+)'/g)) {
      const dep = path.resolve(path.dirname(abs), m[1]);
      if (dep.startsWith(specDir + path.sep)) visit(dep);
    }
  };
  visit(path.resolve(PROJECT_ROOT, specFile));
  return [...seen].map((f) => path.relative(PROJECT_ROOT, f)).sort();
}

export function hashSources(specFile: string): { sources: Record<string, string>; specHash: string } {
  const sources: Record<string, string> = {};
  for (const f of specSources(specFile)) sources[f] = sha(fs.readFileSync(path.join(PROJECT_ROOT, f)));
  return { sources, specHash: sha(Object.entries(sources).map(([f, h]) => `${f} ${h}\n`).join('')) };
}

const verdict = (r: CheckResult): TlcVerdict => ({
  config: r.config, verdict: r.verdict, violated: r.violated, expected: describeExpectation(r.expected),
  matchesExpected: r.matchesExpected, distinctStates: r.distinctStates, seconds: r.seconds,
  ...(r.verdict === 'error' ? { error: r.errors.map((e) => formatError(e).split('\n')[0]).join('; ') } : {}),
});

export async function writeRecord(model: Model, r: ProveResult, z3: string, opts: { log?: (s: string) => void } = {}): Promise<Result<string[]>> {
  const jar = await locateJar();
  if (!jar.ok) return jar;
  const tlc = await tlcVersion(jar.value.path);
  if (!tlc.ok) return tlc;
  const reachability: TlcVerdict[] = [];
  for (const c of reachabilityConfigs(model)) {
    opts.log?.(`TLC: ${r.inductive} on the reachable states of ${model.name} ${c}...`);
    reachability.push(verdict(await indInvReachable(model, c, jar.value.path)));
  }
  opts.log?.(`TLC: the refinement configurations of ${model.name}...`);
  const refinement = (await refinementChecks(model, jar.value.path)).map(verdict);
  const ind = model.inductive!.find((i) => i.name === r.inductive)!;
  const rec: ProofRecord = {
    spec: model.name, ...hashSources(model.file),
    tools: { z3, tlc: tlc.value, jarSha256: jar.value.sha256 },
    inductive: r.inductive, expect: ind.expect, config: r.config, constants: r.constants,
    conjuncts: ind.conjuncts.map((c) => c.name), proved: r.proved, seconds: r.seconds,
    obligations: r.obligations.map((o) => ({
      name: o.name, result: o.result, seconds: o.seconds,
      ...(o.cti ? { cti: { transition: o.cti.transition, proc: o.cti.proc, source: o.cti.source, broken: o.cti.broken } } : {}),
    })),
    reachability, refinement,
  };
  fs.mkdirSync(PROOFS_DIR, { recursive: true });
  const json = path.join(PROOFS_DIR, `${model.name}.json`);
  const md = path.join(PROOFS_DIR, `${model.name}.md`);
  fs.writeFileSync(json, `${JSON.stringify(rec, null, 2)}\n`);
  fs.writeFileSync(md, recordMarkdown(rec));
  return ok([path.relative(PROJECT_ROOT, json), path.relative(PROJECT_ROOT, md)]);
}

export function readRecord(file: string): Result<ProofRecord> {
  try {
    return ok(JSON.parse(fs.readFileSync(file, 'utf8')) as ProofRecord);
  } catch (err) {
    return fail({ code: 'PROOFS_STALE', message: `cannot read ${path.relative(PROJECT_ROOT, file)}: ${(err as Error).message}` });
  }
}

export function recordMarkdown(r: ProofRecord): string {
  const L: string[] = [];
  const held = r.obligations.filter((o) => o.result === 'proved').length;
  L.push(`# ${r.spec}: ${r.inductive}`, '');
  L.push(r.expect === 'fails'
    ? `A candidate inductive invariant kept to show why ${r.spec} is wrong: some obligation must fail.`
    : `The inductive invariant \`${r.inductive}\` of ${r.spec}, discharged by Z3 for fixed constants.`, '');
  L.push(`- configuration: \`${r.config}\`, constants ${constantsText(r.constants)}`);
  L.push(`- result: ${held} of ${r.obligations.length} obligations proved${r.proved ? '' : `; ${r.obligations.filter((o) => o.result !== 'proved').map((o) => `${o.name} ${o.result}`).join(', ')}`} (${r.seconds.toFixed(1)} s)`);
  L.push(`- Z3: ${r.tools.z3}; TLC: ${r.tools.tlc ?? '-'}, jar sha256 ${r.tools.jarSha256 ?? '-'}`);
  L.push(`- made from (sha256): ${Object.entries(r.sources).map(([f, h]) => `\`${f}\` ${h.slice(0, 12)}…`).join(', ')}`);
  L.push(`- spec hash: \`${r.specHash}\``, '');
  L.push('## Obligations', '', '| obligation | result | seconds |', '|---|---|---|');
  for (const o of r.obligations) {
    const cti = o.cti ? ` — CTI: thread${o.cti.proc} ${o.cti.transition} (${o.cti.source}) breaks ${o.cti.broken.join(', ') || 'the typing'}` : '';
    L.push(`| \`${o.name}\` | ${o.result}${cti} | ${o.seconds.toFixed(1)} |`);
  }
  L.push('', `Conjuncts of ${r.inductive}: ${r.conjuncts.map((c) => `\`${c}\``).join(', ')}.`, '');
  L.push('## TLC', '', '| check | configuration | verdict | expected | distinct states | seconds |', '|---|---|---|---|---|---|');
  const what = (v: TlcVerdict) => `${v.verdict}${v.violated ? ` (${v.violated})` : ''}${v.error ? `: ${v.error}` : ''}`;
  for (const v of r.reachability) L.push(`| ${r.inductive} on the reachable states | ${v.config.replace(/^indinv_/, '')} | ${what(v)} | ${v.expected} | ${v.distinctStates ?? '-'} | ${v.seconds.toFixed(1)} |`);
  for (const v of r.refinement) L.push(`| Refines AtomicPool | ${v.config.replace(/^refines_/, '')} | ${what(v)} | ${v.expected} | ${v.distinctStates ?? '-'} | ${v.seconds.toFixed(1)} |`);
  L.push('', `Regenerate with \`npx poolspec prove ${r.spec} --write\`; \`npm run proofs:check\` fails when this record is stale.`, '');
  return L.join('\n');
}

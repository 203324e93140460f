/**
 * Type-checks the mutated functions of a set of mutants in one TypeScript program: each mutated
 * function is added, renamed, beside its original in one copy per spec (the same scope), so a patch
 * that names a local or helper the emitter no longer has is an error before anything runs.
 */
import { Project, ts } from 'ts-morph';
import { applyMutant, functionText, type Mutant } from './patch.ts';

/** The diagnostics (`Spec.ts:line: message`), none when every mutated function checks. */
export function typecheckMutants(mutants: Mutant[], moduleText: (spec: string) => string): string[] {
  const copies = new Map<string, string>();
  const errors: string[] = [];
  for (const m of mutants) {
    const a = applyMutant(moduleText(m.spec), m);
    if (!a.ok) continue; // reported by the caller
    if (m.patches.some((p) => !p.fn)) { errors.push(`${m.id}: a module-level patch: only patches inside a function are checked`); continue; }
    const base = applyMutant(moduleText(m.spec), { ...m, patches: [] });
    let copy = copies.get(m.spec) ?? (base.ok ? base.text : '');
    for (const fn of new Set(m.patches.map((p) => p.fn!))) {
      const original = functionText(copy, fn);
      const mutated = functionText(a.text, fn);
      if (!original || !mutated) { errors.push(`${m.id}: function ${fn} not found`); continue; }
      copy = copy.replace(original, `${original}\n${mutated.replace(`function ${fn}(`, `function ${fn}__${m.id.replace(/-/g, '_')}(`)}`);
    }
    copies.set(m.spec, copy);
  }
  const project = new Project({ useInMemoryFileSystem: true, compilerOptions: { strict: false, target: ts.ScriptTarget.ES2022, lib: ['lib.es2022.d.ts'] } });
  for (const [name, text] of copies) project.createSourceFile(`/${name}.ts`, text);
  for (const d of project.getPreEmitDiagnostics()) {
    const f = d.getSourceFile();
    errors.push(`${f ? f.getBaseName() : '?'}:${d.getLineNumber() ?? '?'}: ${ts.flattenDiagnosticMessageText(d.getMessageText() as string | ts.DiagnosticMessageChain, ' ')}`);
  }
  return errors;
}

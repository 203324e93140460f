/**
 * Type-checking spec files with the TypeScript compiler before anything is generated: one
 * ts.Program for all the spec files being checked (their imports, the DSL, come along), reporting
 * the compiler's errors and JavaScript operators that silently misbehave on DSL expressions (`a || b`
 * keeps `a`, `!a` is false, `a === b` compares objects): each a SPEC_* error at file:line.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
// ts-morph is loaded only when the compiler runs (not on a cache hit): it takes a while to load.
import type { ts as TS } from 'ts-morph';
type Ts = typeof TS;
import type { PoolspecError } from '../errors.ts';
import { PROJECT_ROOT, relativeToRoot } from './source.ts';

const options = (ts: Ts): TS.CompilerOptions => ({
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  noEmit: true,
  allowImportingTsExtensions: true,
  skipLibCheck: true,
  esModuleInterop: true,
  types: [],
  lib: ['lib.es2022.d.ts'],
  // A spec anywhere may import the DSL as 'poolspec' (the loader maps it the same way).
  baseUrl: PROJECT_ROOT,
  paths: { poolspec: [path.join(PROJECT_ROOT, 'src', 'dsl', 'index.ts')] },
});

/** Operators whose result on a DSL expression is a JavaScript value, not an expression. */
const badBinary = (ts: Ts): Partial<Record<TS.SyntaxKind, string>> => ({
  [ts.SyntaxKind.BarBarToken]: '`||` keeps its left operand: use or(a, b) or a.or(b)',
  [ts.SyntaxKind.AmpersandAmpersandToken]: '`&&` keeps its right operand: use and(a, b) or a.and(b)',
  [ts.SyntaxKind.QuestionQuestionToken]: '`??` keeps its left operand: use ite(c, a, b)',
  [ts.SyntaxKind.EqualsEqualsEqualsToken]: '`===` compares JavaScript objects: use a.eq(b)',
  [ts.SyntaxKind.EqualsEqualsToken]: '`==` compares JavaScript objects: use a.eq(b)',
  [ts.SyntaxKind.ExclamationEqualsEqualsToken]: '`!==` compares JavaScript objects: use a.ne(b)',
  [ts.SyntaxKind.ExclamationEqualsToken]: '`!=` compares JavaScript objects: use a.ne(b)',
});

/** A DSL expression type: the class E and its subclasses (they carry `expr` and the `eq` method). */
function isDslExpr(checker: TS.TypeChecker, node: TS.Expression): boolean {
  const t = checker.getTypeAtLocation(node);
  return !!t.getProperty('expr') && !!t.getProperty('eq') && !!t.getProperty('implies');
}

function misuses(ts: Ts, sf: TS.SourceFile, checker: TS.TypeChecker): { node: TS.Node; message: string }[] {
  const out: { node: TS.Node; message: string }[] = [];
  const BAD_BINARY = badBinary(ts);
  const visit = (n: TS.Node): void => {
    if (ts.isBinaryExpression(n)) {
      const why = BAD_BINARY[n.operatorToken.kind];
      if (why && (isDslExpr(checker, n.left) || isDslExpr(checker, n.right))) out.push({ node: n.operatorToken, message: `JavaScript operator on a DSL expression: ${why}` });
    } else if (ts.isPrefixUnaryExpression(n) && n.operator === ts.SyntaxKind.ExclamationToken && isDslExpr(checker, n.operand)) {
      out.push({ node: n, message: 'JavaScript operator on a DSL expression: `!x` is always false: use not(x) or x.not()' });
    } else if (ts.isConditionalExpression(n) && isDslExpr(checker, n.condition)) {
      out.push({ node: n.condition, message: 'a DSL expression as a JavaScript condition is always true: use ite(c, a, b)' });
    } else if ((ts.isIfStatement(n) || ts.isWhileStatement(n)) && isDslExpr(checker, n.expression)) {
      out.push({ node: n.expression, message: 'a DSL expression as a JavaScript condition is always true: guards go in `when:`' });
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

const posOf = (sf: TS.SourceFile, start: number) => {
  const { line, character } = sf.getLineAndCharacterOfPosition(start);
  return { file: relativeToRoot(sf.fileName), line: line + 1, col: character + 1 };
};

const sha = (text: string) => crypto.createHash('sha256').update(text).digest('hex');
const readOrNull = (f: string) => { try { return fs.readFileSync(f, 'utf8'); } catch { return null; } };

/**
 * A clean result is remembered with the hash of every source file the program read (outside
 * node_modules): while none of them changes, the next check skips the compiler (seconds).
 */
function cacheFile(abs: string[]): string {
  // The jar's cache directory (src/tlc/jar.ts cacheDir, not imported: it brings the process tools along).
  const dir = process.env.POOLSPEC_CACHE || path.join(os.homedir(), '.cache', 'poolspec');
  return path.join(dir, 'typecheck', `${sha([...abs].sort().join('\n')).slice(0, 32)}.json`);
}
function cachedClean(abs: string[]): boolean {
  const text = readOrNull(cacheFile(abs));
  if (!text) return false;
  try {
    const entries = JSON.parse(text) as [string, string][];
    return entries.every(([f, h]) => { const t = readOrNull(f); return t !== null && sha(t) === h; });
  } catch {
    return false;
  }
}
function rememberClean(abs: string[], sources: string[]): void {
  try {
    const entries = sources.map((f) => [f, sha(readOrNull(f) ?? '')]);
    fs.mkdirSync(path.dirname(cacheFile(abs)), { recursive: true });
    fs.writeFileSync(cacheFile(abs), JSON.stringify(entries));
  } catch {
    // a cache that cannot be written only costs time
  }
}

/** Type errors and DSL misuses in the given spec files (absolute paths); files outside them are not reported. */
export async function typecheckSpecs(files: string[], opts: { cache?: boolean } = {}): Promise<PoolspecError[]> {
  const abs = files.map((f) => path.resolve(f));
  const useCache = opts.cache ?? true;
  if (useCache && cachedClean(abs)) return [];
  const { Project, ts } = await import('ts-morph');
  // ts-morph (a dependency) carries the compiler and its standard library files.
  const project = new Project({ compilerOptions: options(ts), skipAddingFilesFromTsConfig: true, skipFileDependencyResolution: false });
  for (const f of abs) project.addSourceFileAtPath(f);
  project.resolveSourceFileDependencies();
  const program = project.getProgram().compilerObject;
  const checker = program.getTypeChecker();
  const errors: PoolspecError[] = [];
  const wanted = new Set(abs.map((f) => path.normalize(f)));
  for (const sf of program.getSourceFiles()) {
    if (!wanted.has(path.normalize(sf.fileName))) continue;
    // A syntax error makes the rest of the file's diagnostics noise: its first one says it all.
    const syntax = program.getSyntacticDiagnostics(sf);
    const diags = syntax.length ? syntax.slice(0, 1) : program.getSemanticDiagnostics(sf);
    for (const d of diags) {
      errors.push({
        code: 'SPEC_TSC',
        message: `TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`,
        at: d.start !== undefined ? posOf(sf, d.start) : { file: relativeToRoot(sf.fileName), line: 1 },
      });
    }
    for (const m of misuses(ts, sf, checker)) errors.push({ code: 'SPEC_EXPR', message: m.message, at: posOf(sf, m.node.getStart(sf)) });
  }
  if (useCache && errors.length === 0) {
    rememberClean(abs, program.getSourceFiles().map((sf) => sf.fileName).filter((f) => !f.includes('node_modules') && fs.existsSync(f)));
  }
  return errors;
}

/**
 * SMT-LIB2 terms as text, with the folding that keeps them small: the encoding binds every process
 * id, quantified block and choice to a concrete value, so most comparisons fold to true or false.
 */
export type Term = string;

export const TRUE: Term = 'true';
export const FALSE: Term = 'false';

export const num = (n: number): Term => (n < 0 ? `(- ${-n})` : String(n));

/** The integer a term denotes when it is a numeral. */
export function numeral(t: Term): number | null {
  if (/^\d+$/.test(t)) return Number(t);
  const m = /^\(- (\d+)\)$/.exec(t);
  return m ? -Number(m[1]) : null;
}

export function and(...xs: Term[]): Term {
  const out: Term[] = [];
  for (const x of xs) {
    if (x === FALSE) return FALSE;
    if (x !== TRUE && !out.includes(x)) out.push(x);
  }
  return out.length === 0 ? TRUE : out.length === 1 ? out[0] : `(and ${out.join(' ')})`;
}

export function or(...xs: Term[]): Term {
  const out: Term[] = [];
  for (const x of xs) {
    if (x === TRUE) return TRUE;
    if (x !== FALSE && !out.includes(x)) out.push(x);
  }
  return out.length === 0 ? FALSE : out.length === 1 ? out[0] : `(or ${out.join(' ')})`;
}

export function not(x: Term): Term {
  if (x === TRUE) return FALSE;
  if (x === FALSE) return TRUE;
  const m = /^\(not (.*)\)$/s.exec(x);
  if (m && balanced(m[1])) return m[1];
  return `(not ${x})`;
}

export const implies = (a: Term, b: Term): Term => or(not(a), b);

export function iff(a: Term, b: Term): Term {
  if (a === b) return TRUE;
  if (a === TRUE) return b;
  if (b === TRUE) return a;
  if (a === FALSE) return not(b);
  if (b === FALSE) return not(a);
  return `(= ${a} ${b})`;
}

export function ite(c: Term, a: Term, b: Term): Term {
  if (c === TRUE || a === b) return a;
  if (c === FALSE) return b;
  if (a === TRUE && b === FALSE) return c;
  if (a === FALSE && b === TRUE) return not(c);
  return `(ite ${c} ${a} ${b})`;
}

export function eqInt(a: Term, b: Term): Term {
  if (a === b) return TRUE;
  const x = numeral(a);
  const y = numeral(b);
  if (x !== null && y !== null) return x === y ? TRUE : FALSE;
  return `(= ${a} ${b})`;
}

export function cmp(op: '<' | '<=' | '>' | '>=', a: Term, b: Term): Term {
  const x = numeral(a);
  const y = numeral(b);
  if (x !== null && y !== null) {
    const r = op === '<' ? x < y : op === '<=' ? x <= y : op === '>' ? x > y : x >= y;
    return r ? TRUE : FALSE;
  }
  return `(${op} ${a} ${b})`;
}

export function arith(op: '+' | '-', a: Term, b: Term): Term {
  const x = numeral(a);
  const y = numeral(b);
  if (x !== null && y !== null) return num(op === '+' ? x + y : x - y);
  if (y === 0) return a;
  return `(${op} ${a} ${b})`;
}

export function sum(xs: Term[]): Term {
  let k = 0;
  const rest: Term[] = [];
  for (const x of xs) {
    const n = numeral(x);
    if (n !== null) k += n;
    else rest.push(x);
  }
  if (rest.length === 0) return num(k);
  if (k !== 0) rest.push(num(k));
  return rest.length === 1 ? rest[0] : `(+ ${rest.join(' ')})`;
}

function balanced(s: string): boolean {
  let d = 0;
  for (const ch of s) {
    if (ch === '(') d += 1;
    else if (ch === ')') { d -= 1; if (d < 0) return false; }
  }
  return d === 0;
}

/**
 * Parser for TLA+ values as TLC 2.18 prints them in states, and for whole printed states.
 *
 * What TLC prints (checked against real output):
 *   -42  TRUE  "a \"q\"\n"  p1 (model value)  <<1, 2>>  << >> (empty function/sequence)
 *   {1, 2}  1..3 / -2..1 (intervals)  [a |-> 1, b |-> "x"]  (p1 :> 1 @@ p2 :> 2)
 * Functions whose domain is 1..n print as sequences and functions whose domain is a set of
 * strings print as records, so the printed form (not the TLA+ type) decides the shape here.
 * Long values wrap over several indented lines; whitespace between tokens is insignificant.
 */

export type TlaValue =
  | number
  | boolean
  | string
  | { seq: TlaValue[] }
  | { set: TlaValue[] }
  | { record: Record<string, TlaValue> }
  | { fn: [TlaValue, TlaValue][] }
  | { modelValue: string };

export class TlaValueSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

type Token =
  | { kind: 'num'; value: number; at: number }
  | { kind: 'str'; value: string; at: number }
  | { kind: 'ident'; value: string; at: number }
  | { kind: 'punct'; value: string; at: number }
  | { kind: 'eof'; at: number };

// Longest first so "<<" wins over "<" etc.
const PUNCT = ['|->', '<<', '>>', ':>', '@@', '..', '/\\', '{', '}', '[', ']', '(', ')', ',', '='];
const NUM = /-?\d+/y;
const IDENT = /[A-Za-z_][A-Za-z0-9_]*/y;
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', f: '\f', '"': '"', '\\': '\\' };

function matchAt(re: RegExp, text: string, at: number): string | null {
  re.lastIndex = at;
  const m = re.exec(text);
  return m ? m[0] : null;
}

/** Sets a key even if it is "__proto__" (field names are arbitrary identifiers). */
function put(obj: Record<string, TlaValue>, key: string, value: TlaValue): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const at = i;
    if (c === '"') {
      let s = '';
      i++;
      for (;;) {
        if (i >= text.length) throw new TlaValueSyntaxError('unterminated string', at);
        const d = text[i]!;
        if (d === '"') break;
        if (d === '\\') {
          const e = text[i + 1];
          if (e === undefined) throw new TlaValueSyntaxError('unterminated string', at);
          s += ESCAPES[e] ?? e;
          i += 2;
        } else {
          s += d;
          i++;
        }
      }
      i++;
      tokens.push({ kind: 'str', value: s, at });
      continue;
    }
    const numMatch = matchAt(NUM, text, i);
    if (numMatch) {
      tokens.push({ kind: 'num', value: Number(numMatch), at });
      i += numMatch.length;
      continue;
    }
    const ident = matchAt(IDENT, text, i);
    if (ident) {
      tokens.push({ kind: 'ident', value: ident, at });
      i += ident.length;
      continue;
    }
    const p = PUNCT.find((q) => text.startsWith(q, i));
    if (!p) throw new TlaValueSyntaxError(`unexpected character ${JSON.stringify(c)}`, at);
    tokens.push({ kind: 'punct', value: p, at });
    i += p.length;
  }
  tokens.push({ kind: 'eof', at: text.length });
  return tokens;
}

/** Refuses to expand absurd intervals into memory. */
const MAX_INTERVAL = 1_000_000;

class Parser {
  private i = 0;
  constructor(private readonly toks: Token[]) {}

  peek(): Token {
    return this.toks[this.i]!;
  }
  next(): Token {
    return this.toks[this.i++]!;
  }
  isPunct(v: string): boolean {
    const t = this.peek();
    return t.kind === 'punct' && t.value === v;
  }
  expect(v: string): void {
    const t = this.next();
    if (t.kind !== 'punct' || t.value !== v) throw new TlaValueSyntaxError(`expected ${v} but found ${describe(t)}`, t.at);
  }
  atEof(): boolean {
    return this.peek().kind === 'eof';
  }

  value(): TlaValue {
    const first = this.primary();
    // An interval `lo..hi` is the only infix form TLC prints for a value.
    if (this.isPunct('..')) {
      const dots = this.next();
      const hi = this.primary();
      if (typeof first !== 'number' || typeof hi !== 'number') throw new TlaValueSyntaxError('interval bounds must be integers', dots.at);
      if (hi - first >= MAX_INTERVAL) throw new TlaValueSyntaxError(`interval ${first}..${hi} too large`, dots.at);
      const set: number[] = [];
      for (let k = first; k <= hi; k++) set.push(k);
      return { set };
    }
    return first;
  }

  primary(): TlaValue {
    const t = this.next();
    switch (t.kind) {
      case 'num':
        return t.value;
      case 'str':
        return t.value;
      case 'ident':
        if (t.value === 'TRUE') return true;
        if (t.value === 'FALSE') return false;
        return { modelValue: t.value };
      case 'punct':
        if (t.value === '<<') return { seq: this.list('>>') };
        if (t.value === '{') return { set: this.list('}') };
        if (t.value === '[') return this.record();
        if (t.value === '(') return this.fn();
        break;
      case 'eof':
        break;
    }
    throw new TlaValueSyntaxError(`expected a value but found ${describe(t)}`, t.at);
  }

  list(close: string): TlaValue[] {
    const items: TlaValue[] = [];
    if (this.isPunct(close)) {
      this.next();
      return items;
    }
    for (;;) {
      items.push(this.value());
      if (this.isPunct(',')) {
        this.next();
        continue;
      }
      this.expect(close);
      return items;
    }
  }

  record(): TlaValue {
    const record: Record<string, TlaValue> = {};
    for (;;) {
      const key = this.next();
      if (key.kind !== 'ident') throw new TlaValueSyntaxError(`expected a field name but found ${describe(key)}`, key.at);
      this.expect('|->');
      put(record, key.value, this.value());
      if (this.isPunct(',')) {
        this.next();
        continue;
      }
      this.expect(']');
      return { record };
    }
  }

  /** `(k1 :> v1 @@ k2 :> v2)`; the parentheses are part of how TLC prints functions. */
  fn(): TlaValue {
    const pairs: [TlaValue, TlaValue][] = [];
    for (;;) {
      const k = this.value();
      this.expect(':>');
      const v = this.value();
      pairs.push([k, v]);
      if (this.isPunct('@@')) {
        this.next();
        continue;
      }
      this.expect(')');
      return { fn: pairs };
    }
  }
}

function describe(t: Token): string {
  if (t.kind === 'eof') return 'end of input';
  if (t.kind === 'str') return JSON.stringify(t.value);
  return `'${String(t.value)}'`;
}

/** Parses one printed value; throws TlaValueSyntaxError on anything TLC would not print. */
export function parseTlaValue(text: string): TlaValue {
  const p = new Parser(tokenize(text));
  const v = p.value();
  if (!p.atEof()) throw new TlaValueSyntaxError(`unexpected ${describe(p.peek())} after value`, p.peek().at);
  return v;
}

/**
 * Parses a printed state: `/\ x = 1` lines (values may wrap over several lines), or a bare
 * `x = 1` when the spec has a single variable. Variables keep the order TLC printed them in.
 */
export function parseTlaState(text: string): Record<string, TlaValue> {
  const p = new Parser(tokenize(text));
  const vars: Record<string, TlaValue> = {};
  while (!p.atEof()) {
    if (p.isPunct('/\\')) p.next();
    const name = p.next();
    if (name.kind !== 'ident') throw new TlaValueSyntaxError(`expected a variable name but found ${describe(name)}`, name.at);
    p.expect('=');
    put(vars, name.value, p.value());
  }
  return vars;
}

/** Prints a value the way TLC would (single line); handy in messages and tests. */
export function formatTlaValue(v: TlaValue): string {
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (typeof v === 'string') return `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\t/g, '\\t')}"`;
  if ('modelValue' in v) return v.modelValue;
  if ('seq' in v) return `<<${v.seq.map(formatTlaValue).join(', ')}>>`;
  if ('set' in v) return `{${v.set.map(formatTlaValue).join(', ')}}`;
  if ('record' in v) return `[${Object.entries(v.record).map(([k, x]) => `${k} |-> ${formatTlaValue(x)}`).join(', ')}]`;
  return `(${v.fn.map(([k, x]) => `${formatTlaValue(k)} :> ${formatTlaValue(x)}`).join(' @@ ')})`;
}

import { describe, expect, it } from 'vitest';
import { formatTlaValue, parseTlaState, parseTlaValue, TlaValueSyntaxError } from '../../src/tlc/tla-value.ts';

describe('parseTlaValue', () => {
  it('reads scalars', () => {
    expect(parseTlaValue('42')).toBe(42);
    expect(parseTlaValue('-42')).toBe(-42);
    expect(parseTlaValue('0')).toBe(0);
    expect(parseTlaValue('TRUE')).toBe(true);
    expect(parseTlaValue('FALSE')).toBe(false);
    expect(parseTlaValue('"hello world"')).toBe('hello world');
    expect(parseTlaValue('""')).toBe('');
    expect(parseTlaValue('p1')).toEqual({ modelValue: 'p1' });
    expect(parseTlaValue('Nil_2')).toEqual({ modelValue: 'Nil_2' });
  });

  it('decodes string escapes as TLC prints them', () => {
    // verbatim from TLC 2.18 for "a \"q\" b\\c\nnew\tline"
    expect(parseTlaValue('"a \\"q\\" b\\\\c\\nnew\\tline"')).toBe('a "q" b\\c\nnew\tline');
  });

  it('reads sequences, including the empty forms << >> and <<>>', () => {
    expect(parseTlaValue('<<1, "a", p1>>')).toEqual({ seq: [1, 'a', { modelValue: 'p1' }] });
    expect(parseTlaValue('<<>>')).toEqual({ seq: [] });
    expect(parseTlaValue('<< >>')).toEqual({ seq: [] });
    expect(parseTlaValue('<<<<1, <<>>>>, <<2>>>>')).toEqual({ seq: [{ seq: [1, { seq: [] }] }, { seq: [2] }] });
  });

  it('reads sets, nested sets and intervals', () => {
    expect(parseTlaValue('{}')).toEqual({ set: [] });
    expect(parseTlaValue('{{}, {1}, {2}, {1, 2}}')).toEqual({ set: [{ set: [] }, { set: [1] }, { set: [2] }, { set: [1, 2] }] });
    expect(parseTlaValue('1..3')).toEqual({ set: [1, 2, 3] });
    expect(parseTlaValue('-2..1')).toEqual({ set: [-2, -1, 0, 1] });
    expect(parseTlaValue('3..2')).toEqual({ set: [] });
    expect(parseTlaValue('{<<3, 3>>}')).toEqual({ set: [{ seq: [3, 3] }] });
  });

  it('reads records, keeping field order', () => {
    const v = parseTlaValue('[id |-> 1, name |-> "process", flags |-> {FALSE, TRUE}]');
    expect(v).toEqual({ record: { id: 1, name: 'process', flags: { set: [false, true] } } });
    expect(Object.keys((v as { record: object }).record)).toEqual(['id', 'name', 'flags']);
    expect(parseTlaValue('[a |-> <<m1>>]')).toEqual({ record: { a: { seq: [{ modelValue: 'm1' }] } } });
  });

  it('treats a field named __proto__ as data', () => {
    const v = parseTlaValue('[__proto__ |-> 1]') as { record: Record<string, unknown> };
    expect(Object.keys(v.record)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(v.record)).toBe(Object.prototype);
  });

  it('reads functions printed with :> and @@', () => {
    expect(parseTlaValue('(p1 :> "start" @@ p2 :> "done")')).toEqual({
      fn: [
        [{ modelValue: 'p1' }, 'start'],
        [{ modelValue: 'p2' }, 'done'],
      ],
    });
    expect(parseTlaValue('(TRUE :> FALSE)')).toEqual({ fn: [[true, false]] });
    expect(parseTlaValue('(<<1, "a">> :> 1 @@ <<2, "a">> :> 2)')).toEqual({
      fn: [
        [{ seq: [1, 'a'] }, 1],
        [{ seq: [2, 'a'] }, 2],
      ],
    });
    expect(parseTlaValue('(1 :> -1 @@ 2 :> (3 :> 4))')).toEqual({ fn: [[1, -1], [2, { fn: [[3, 4]] }]] });
  });

  it('ignores the line wrapping TLC uses for long values', () => {
    const printed = '<< [id |-> 1, name |-> "p"],\n   [id |-> 2, name |-> "p"],\n   [id |-> 3, name |-> "p"] >>';
    expect(parseTlaValue(printed)).toEqual({
      seq: [1, 2, 3].map((id) => ({ record: { id, name: 'p' } })),
    });
  });

  it('rejects malformed input with a position', () => {
    const bad = ['', '<<1, 2', '{1 2}', '[a = 1]', '"open', '(1 :> 2', '1 2', '[1 |-> 2]', '#', '"a"..3'];
    for (const text of bad) expect(() => parseTlaValue(text), text).toThrow(TlaValueSyntaxError);
    let thrown: unknown;
    try {
      parseTlaValue('{1, 2]');
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(TlaValueSyntaxError);
    expect((thrown as TlaValueSyntaxError).offset).toBe(5);
  });

  it('round-trips through formatTlaValue', () => {
    const texts = [
      '<<1, "a", p1>>',
      '{[x |-> 1], [x |-> 2]}',
      '(p1 :> "start" @@ p2 :> "start")',
      '[count |-> 0, last |-> "none"]',
      '"q\\"uote"',
      '-7',
      'TRUE',
    ];
    for (const t of texts) expect(formatTlaValue(parseTlaValue(t))).toBe(t);
  });
});

describe('parseTlaState', () => {
  it('reads /\\ var = value lines (verbatim TLC 2.18 state)', () => {
    const state = [
      '/\\ seen = {p1}',
      '/\\ pc = (p1 :> "done" @@ p2 :> "start")',
      '/\\ info = [count |-> 1, last |-> "p1"]',
      '/\\ log = <<p1>>',
    ].join('\n');
    const vars = parseTlaState(state);
    expect(Object.keys(vars)).toEqual(['seen', 'pc', 'info', 'log']);
    expect(vars).toEqual({
      seen: { set: [{ modelValue: 'p1' }] },
      pc: {
        fn: [
          [{ modelValue: 'p1' }, 'done'],
          [{ modelValue: 'p2' }, 'start'],
        ],
      },
      info: { record: { count: 1, last: 'p1' } },
      log: { seq: [{ modelValue: 'p1' }] },
    });
  });

  it('reads the bare `var = value` form TLC uses for a single variable', () => {
    expect(parseTlaState('n = 3')).toEqual({ n: 3 });
    expect(parseTlaState('on = FALSE\n')).toEqual({ on: false });
  });

  it('reads values spanning several lines', () => {
    const state = '/\\ str = "x"\n/\\ longseq = << 1000,\n   2000,\n   3000 >>\n/\\ iv = 1..3\n';
    expect(parseTlaState(state)).toEqual({ str: 'x', longseq: { seq: [1000, 2000, 3000] }, iv: { set: [1, 2, 3] } });
  });

  it('returns no variables for an empty state and rejects junk', () => {
    expect(parseTlaState('')).toEqual({});
    expect(() => parseTlaState('/\\ x 1')).toThrow(TlaValueSyntaxError);
    expect(() => parseTlaState('/\\ = 1')).toThrow(TlaValueSyntaxError);
  });
});

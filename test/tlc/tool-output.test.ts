/**
 * Parsers for TLC / SANY / pcal.trans output, fed verbatim excerpts of real TLC 2.18 output
 * (the end-to-end behaviour is covered by the run-tlc tests against the real jar).
 */
import { describe, expect, it } from 'vitest';
import { cfgProperties } from '../../src/tlc/run-tlc.ts';
import { parsePcalOutput } from '../../src/tlc/pcal.ts';
import { ModuleFiles, parseSanyReport, parseTlaRange } from '../../src/tlc/sany.ts';
import {
  GENERAL,
  CFG_ERROR_READING_FILE,
  parseInitGenerated,
  parseSearchDepth,
  parseStats,
  parseToolOutput,
  PLAIN_TEXT,
  TLC_INVARIANT_EVALUATION_FAILED,
  TLC_MODULE_ARGUMENT_ERROR_AN,
  TLC_STATE_PRINT2,
  TLC_VERSION,
  ToolOutputParser,
  type ToolMessage,
} from '../../src/tlc/tool-output.ts';

const START = (code: number, sev: number) => `@!@!@STARTMSG ${code}:${sev} @!@!@`;
const END = (code: number) => `@!@!@ENDMSG ${code} @!@!@`;

describe('parseToolOutput', () => {
  it('splits messages and keeps text outside them', () => {
    const out = [
      START(2262, 0),
      'TLC2 Version 2.18 of 20 March 2023',
      END(2262),
      'Parsing file /tmp/x/Counter.tla',
      'Semantic processing of module Counter',
      START(2217, 4),
      '2: <IncX line 8, col 9 to line 8, col 42 of module Counter>',
      '/\\ x = 1',
      '/\\ y = 0',
      '',
      END(2217),
    ].join('\n');
    const msgs = parseToolOutput(out);
    expect(msgs).toEqual([
      { code: TLC_VERSION, severity: 0, body: 'TLC2 Version 2.18 of 20 March 2023' },
      { code: PLAIN_TEXT, severity: 0, body: 'Parsing file /tmp/x/Counter.tla\nSemantic processing of module Counter' },
      {
        code: TLC_STATE_PRINT2,
        severity: 4,
        body: '2: <IncX line 8, col 9 to line 8, col 42 of module Counter>\n/\\ x = 1\n/\\ y = 0',
      },
    ]);
  });

  it('handles nested messages, including one opened mid-line (verbatim 2.18)', () => {
    const out = [
      START(1000, 1),
      'TLC threw an unexpected exception.',
      'The exception was a tlc2.tool.ConfigFileException',
      `: ${START(5001, 0)}`,
      'TLC encountered the following error when trying to read the configuration file Missing.cfg:',
      'File not found.',
      END(5001),
      END(1000),
      START(2111, 1),
      'Evaluating invariant Inv failed.',
      START(2266, 0),
      'The first argument of < should be an integer, but instead it is:',
      '"a"',
      END(2266),
      END(2111),
    ].join('\n');
    const msgs = parseToolOutput(out);
    expect(msgs.map((m) => [m.code, m.nested ?? false])).toEqual([
      [CFG_ERROR_READING_FILE, true],
      [GENERAL, false],
      [TLC_MODULE_ARGUMENT_ERROR_AN, true],
      [TLC_INVARIANT_EVALUATION_FAILED, false],
    ]);
    expect(msgs[1]!.body).toContain(': \nTLC encountered the following error');
    expect(msgs[1]!.body).toContain('File not found.');
    expect(msgs[3]!.body).toBe(
      'Evaluating invariant Inv failed.\nThe first argument of < should be an integer, but instead it is:\n"a"',
    );
  });

  it('gives the same result however the text is chunked', () => {
    const out = `${START(2262, 0)}\nTLC2 Version 2.18\n${END(2262)}\nplain\n${START(2193, 0)}\nModel checking completed.\n${END(2193)}\n`;
    const whole = parseToolOutput(out);
    const pieces: ToolMessage[] = [];
    const p = new ToolOutputParser((m) => pieces.push(m));
    for (let i = 0; i < out.length; i += 7) p.push(out.slice(i, i + 7));
    p.end();
    expect(pieces).toEqual(whole);
  });

  it('flushes an unterminated message when the process was killed', () => {
    const msgs = parseToolOutput(`${START(2200, 0)}\nProgress(3) at x: 10 states generated`);
    expect(msgs).toEqual([{ code: 2200, severity: 0, body: 'Progress(3) at x: 10 states generated' }]);
  });
});

describe('parseToolOutput: line edges', () => {
  const bodies = (out: string) => parseToolOutput(out).map((m) => [m.code, m.body]);

  it('strips one carriage return at the end of a line, and keeps one inside it', () => {
    expect(bodies(`${START(2200, 0)}\r\n10%\r20%\r\ndone\r\n${END(2200)}\r\n`)).toEqual([[2200, '10%\r20%\ndone']]);
  });

  it('keeps blank lines inside text, drops trailing whitespace, and skips whitespace-only text', () => {
    expect(bodies(`a\n\nb\n${START(2217, 4)}\nx\n\ny\n \n\n${END(2217)}\n   \n \n`)).toEqual([
      [PLAIN_TEXT, 'a\n\nb'], [TLC_STATE_PRINT2, 'x\n\ny'],
    ]);
  });

  it('splits text before and after a marker on the same line', () => {
    expect(bodies(`before ${START(2185, 0)}Starting... ${END(2185)} after\n`)).toEqual([
      [PLAIN_TEXT, 'before'], [2185, 'Starting...'], [PLAIN_TEXT, ' after'],
    ]);
  });

  it('whitespace beside a marker is not text, and blank lines before a message are dropped', () => {
    expect(bodies(`a\n\n\n${START(1000, 1)}\nouter\n  ${START(2103, 0)}inner${END(2103)}   \nmore\n${END(1000)}\n`)).toEqual([
      [PLAIN_TEXT, 'a'], [2103, 'inner'], [GENERAL, 'outer\ninner\nmore'],
    ]);
  });

  it('an empty nested message adds nothing to the one around it', () => {
    expect(bodies(`${START(1000, 1)}\nouter\n${START(2103, 0)}\n${END(2103)}\nmore\n${END(1000)}\n`)).toEqual([
      [2103, ''], [GENERAL, 'outer\nmore'],
    ]);
  });

  it('ignores an END without its START, and delivers a flushed line once', () => {
    expect(bodies(`${END(2186)}\nplain\n`)).toEqual([[PLAIN_TEXT, 'plain']]);
    const got: ToolMessage[] = [];
    const p = new ToolOutputParser((m) => got.push(m));
    p.push('no newline yet');
    p.end();
    p.end();
    expect(got).toEqual([{ code: PLAIN_TEXT, severity: 0, body: 'no newline yet' }]);
  });
});

describe('stats lines', () => {
  it('reads the singular forms TLC prints for one state', () => {
    expect(parseStats('1 state generated, 1 distinct state found, 1 state left on queue.')).toEqual({ statesGenerated: 1, distinctStates: 1, queue: 1 });
    expect(parseInitGenerated('Finished computing initial states: 1 distinct state generated at 2026-11-27 09:00:00.')).toBe(1);
    expect(parseInitGenerated('Finished computing initial states: 1,024 distinct states generated at 2026-11-27 09:00:00.')).toBe(1024);
    expect(parseInitGenerated('Computing initial states...')).toBeNull();
    expect(parseSearchDepth('The depth of the complete state graph search is 1,234.')).toBe(1234);
    expect(parseSearchDepth('no depth here')).toBeNull();
  });

  it('reads progress (with rates and thousands separators) and final stats', () => {
    expect(
      parseStats(
        'Progress(179) at 2026-11-26 12:11:17: 2,866,984 states generated (2,866,984 s/min), 971,746 distinct states found (971,746 ds/min), 16,109 states left on queue.',
      ),
    ).toEqual({ statesGenerated: 2866984, distinctStates: 971746, queue: 16109, depth: 179 });
    expect(parseStats('Progress(2) at 2026-11-26 12:09:25: 3 states generated, 2 distinct states found, 0 states left on queue.')).toEqual({
      statesGenerated: 3,
      distinctStates: 2,
      queue: 0,
      depth: 2,
    });
    expect(parseStats('14 states generated, 9 distinct states found, 0 states left on queue.')).toEqual({
      statesGenerated: 14,
      distinctStates: 9,
      queue: 0,
    });
    expect(parseStats('nonsense')).toBeNull();
    expect(parseSearchDepth('The depth of the complete state graph search is 5.')).toBe(5);
  });
});

describe('parseSanyReport', () => {
  const modules = () => new ModuleFiles('/specs');

  it('reads semantic errors with their ranges', () => {
    const report = [
      'Parsing file /specs/Multi.tla',
      'Parsing file /tmp/Naturals.tla',
      'Semantic processing of module Naturals',
      'Semantic processing of module Multi',
      'Semantic errors:',
      '',
      '*** Errors: 2',
      '',
      'line 4, col 13 to line 4, col 15 of module Multi',
      '',
      "Unknown operator: `Foo'.",
      '',
      '',
      'line 5, col 14 to line 5, col 16 of module Multi',
      '',
      "Unknown operator: `Bar'.",
      '',
    ].join('\n');
    expect(parseSanyReport(report, modules())).toEqual([
      { message: "Unknown operator: `Foo'.", file: '/specs/Multi.tla', line: 4, col: 13 },
      { message: "Unknown operator: `Bar'.", file: '/specs/Multi.tla', line: 5, col: 14 },
    ]);
  });

  it('keeps multi-line messages whole and maps other modules to their files', () => {
    const report = [
      'Parsing file /specs/Warn.tla',
      'Parsing file /tmp/Sequences.tla',
      '*** Errors: 1',
      '',
      'line 6, col 1 to line 6, col 8 of module Warn',
      '',
      "Multiply-defined symbol 'Seq': this definition or declaration conflicts ",
      'with the one at line 20, col 1 to line 20, col 41 of module Sequences.',
    ].join('\n');
    const [issue] = parseSanyReport(report, modules());
    expect(issue).toEqual({
      message:
        "Multiply-defined symbol 'Seq': this definition or declaration conflicts with the one at line 20, col 1 to line 20, col 41 of module Sequences.",
      file: '/specs/Warn.tla',
      line: 6,
      col: 1,
    });
  });

  it('reads parse and lexical errors against the file being parsed, without repeating the abort', () => {
    const parse = [
      'Parsing file /specs/P.tla',
      '***Parse Error***',
      'Encountered "====" at line 6, column 1 and token "1" ',
      '',
      'Residual stack trace follows:',
      'ExtendableExpr starting at line 5, column 14.',
      '',
      'Fatal errors while parsing TLA+ spec in file P',
      '',
      'tla2sany.semantic.AbortException',
      '*** Abort messages: 1',
      '',
      'In module P',
      '',
      'Could not parse module P from file P.tla',
    ].join('\n');
    expect(parseSanyReport(parse, modules())).toEqual([
      { message: 'Encountered "====" at line 6, column 1 and token "1"', file: '/specs/P.tla', line: 6, col: 1 },
    ]);
    const lexical = 'Parsing file /specs/L.tla\nLexical error at line 3, column 17.  Encountered: "\\n" (10), after : "\\"abc"\n';
    expect(parseSanyReport(lexical, modules())[0]).toMatchObject({ file: '/specs/L.tla', line: 3, col: 17 });
  });

  it('reports a missing module without a position', () => {
    const report = [
      'Parsing file /specs/Ext.tla',
      '',
      'Fatal errors while parsing TLA+ spec in file Ext',
      '',
      'tla2sany.semantic.AbortException',
      '*** Abort messages: 1',
      '',
      'Unknown location',
      '',
      'Cannot find source file for module NoSuchMod imported in module Ext.',
    ].join('\n');
    expect(parseSanyReport(report, modules())).toEqual([
      { message: 'Cannot find source file for module NoSuchMod imported in module Ext.', file: undefined },
    ]);
  });

  it('parses TLC/SANY ranges', () => {
    expect(parseTlaRange('<A line 10, col 12 to line 14, col 73 of module Procs>')).toEqual({
      module: 'Procs',
      line: 10,
      col: 12,
      endLine: 14,
      endCol: 73,
    });
  });
});

describe('parsePcalOutput', () => {
  it('reads the position of a translator error', () => {
    const out = 'pcal.trans Version 1.11 of 31 December 2020\n\nUnrecoverable error:\n -- Expected ":=" but found ";"\n    line 11, column 29.\n';
    expect(parsePcalOutput(out)).toEqual({ message: 'Expected ":=" but found ";"', line: 11, col: 29 });
    const inline = 'Unrecoverable error:\n -- \nLabel Loop redefined at line 11, column 33.\n';
    expect(parsePcalOutput(inline)).toEqual({ message: 'Label Loop redefined', line: 11, col: 33 });
    expect(parsePcalOutput('Unrecoverable error:\n -- Beginning of algorithm string --algorithm not found..\n')).toEqual({
      message: 'Beginning of algorithm string --algorithm not found.',
    });
    expect(parsePcalOutput('Parsing completed.\nTranslation completed.\n')).toBeNull();
  });
});

describe('cfgProperties', () => {
  it('lists PROPERTY names, ignoring comments and other sections', () => {
    const cfg = '\\* c\nSPECIFICATION Spec\nPROPERTIES A (* B *) C\nINVARIANT Inv\nPROPERTY D\n';
    expect(cfgProperties(cfg)).toEqual(['A', 'C', 'D']);
  });
});

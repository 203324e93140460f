/**
 * The HTML report: `check --html` and `view TRACE --html` on DwcasPool `small` (the GH #1275 race),
 * opened in a real headless Chromium; the same counterexample from an ITF file and a --json document;
 * a model without block memory; a lasso.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import view from '../../src/cli/commands/view.ts';
import { checkWithEngine } from '../../src/check/check.ts';
import { renderReport } from '../../src/report/html/index.ts';
import { cxView } from '../../src/report/html/steps.ts';
import { config, fixtureSpec, spec } from '../helpers.ts';
import type { Browser } from 'puppeteer-core';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const OUT = path.join(ROOT, 'test-output', 'html');

/** The system's Chromium (Debian's `chromium`), or the one CHROME_PATH names. */
function findBrowser(): string | null {
  const candidates = [process.env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
  return candidates.find((c): c is string => !!c && fs.existsSync(c)) ?? null;
}

/** The counterexample sections of a page (everything but the verdict table and header). */
const sections = (page: string) => page.match(/<section class="cx"[\s\S]*?<\/section>/g) ?? [];

let checkRun: { exitCode?: number; stderr: string; stdout: string };

beforeAll(async () => {
  fs.mkdirSync(OUT, { recursive: true });
  for (const f of ['r.html', 't.itf.json', 'r.json', 'v-itf.html', 'v-json.html']) fs.rmSync(path.join(OUT, f), { force: true });
  // stderr is a pipe here, not a terminal: no progress line may appear on it.
  checkRun = await execa('node', ['bin/poolspec.js', 'check', 'DwcasPool', '--config', 'small', '--workers', '1', '--no-gen', '--json',
    '--html', path.join(OUT, 'r.html'), '--out-itf', path.join(OUT, 't.itf.json')], { cwd: ROOT, reject: false });
  fs.writeFileSync(path.join(OUT, 'r.json'), checkRun.stdout);
});

describe('poolspec check --html / view --html', () => {
  it('check writes a self-contained page, and prints no progress to a non-terminal stderr', () => {
    expect(checkRun.exitCode).toBe(0);
    expect(checkRun.stderr).not.toMatch(/\x1b|states\/s|distinct ·/);
    const page = fs.readFileSync(path.join(OUT, 'r.html'), 'utf8');
    expect(page).toContain(`Content-Security-Policy" content="default-src 'none'`);
    // no external asset: every src/href is a fragment
    expect([...page.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((m) => m[1]).filter((u) => !u.startsWith('#'))).toEqual([]);
    expect(page).not.toMatch(/<link\b|@import|url\((?!#)/);
    expect(sections(page)).toHaveLength(1);
  });

  it('view draws the same counterexample from the ITF file and from the --json document', async () => {
    expect(await view.run([path.join(OUT, 't.itf.json'), '--html', path.join(OUT, 'v-itf.html')])).toBe(0);
    expect(await view.run([path.join(OUT, 'r.json'), '--html', path.join(OUT, 'v-json.html')])).toBe(0);
    const [fromCheck] = sections(fs.readFileSync(path.join(OUT, 'r.html'), 'utf8'));
    const [fromItf] = sections(fs.readFileSync(path.join(OUT, 'v-itf.html'), 'utf8'));
    const jsonPage = fs.readFileSync(path.join(OUT, 'v-json.html'), 'utf8');
    expect(fromItf).toBe(fromCheck);
    expect(sections(jsonPage)[0]).toBe(fromCheck);
    // the --json document also carries the verdict table's figures
    expect(jsonPage).toMatch(/<td class="n">1,573<\/td><td class="n">3,315<\/td><td class="n">23<\/td>/);
  });

  it('view rejects what is not a trace, naming the file', async () => {
    const bad = path.join(OUT, 'not-a-trace.json');
    fs.writeFileSync(bad, '{"hello": 1}');
    const errors: string[] = [];
    const orig = console.error;
    const origWrite = process.stderr.write.bind(process.stderr);
    console.error = (s: string) => errors.push(s);
    // Errors are printed through console.error or straight to stderr: catch both.
    process.stderr.write = ((s: string | Uint8Array) => { errors.push(String(s).replace(/\n$/, '')); return true; }) as typeof process.stderr.write;
    try {
      expect(await view.run([bad, '--html', path.join(OUT, 'x.html')])).toBe(2);
      expect(await view.run([path.join(OUT, 'missing.json')])).toBe(2);
    } finally {
      console.error = orig;
      process.stderr.write = origWrite;
    }
    expect(errors[0]).toBe(`poolspec view: ${bad}: USAGE: neither an ITF trace (no "states") nor a \`check --json\` document (no "results")`);
    // Called in-process (not through main), the command prefix may read `poolspec poolspec:`.
    expect(errors[1]).toMatch(/^poolspec (view|poolspec): USAGE: cannot read .*missing\.json: no such file/);
  });
});

describe('the counterexample view', () => {
  it('DwcasPool small: the fault at step 23 is thread2 reading the link of b1, which is at the OS', async () => {
    const model = await spec('DwcasPool');
    const doc = JSON.parse(fs.readFileSync(path.join(OUT, 'r.json'), 'utf8'));
    const r = doc.results[0];
    const trace = r.trace.map((s: { index: number; proc: number | null; transition: string; args: object; state: object }) => (
      s.proc === null ? { index: s.index, state: s.state } : { index: s.index, via: { proc: s.proc, procType: 'Thread', transition: s.transition, args: s.args }, state: s.state }));
    const v = cxView(model, config(model, 'small'), trace, { violated: 'NoUseAfterFree' });
    expect(v.steps).toHaveLength(23);
    expect(v.focus).toBe(22);
    const last = v.steps[22];
    expect(last).toMatchObject({ index: 23, thread: 'thread2', transition: 'A4_deref', breaks: ['NoUseAfterFree'] });
    expect(last.source).toEqual({
      file: 'spec/lib/dwcas.ts', line: 42,
      text: "t.step('A4', { branch: 'deref', to: 'A5', when: isBlock(ch), do: [nh.set(next.at(ch)), deref(ch)] });",
      statement: "t.step('A4', { branch: 'deref', to: 'A5', when: isBlock(ch), do: [nh.set(next.at(ch)), deref(ch)] });",
    });
    // a declaration over several lines is shown whole
    expect(v.steps[18].source).toMatchObject({ line: 43, text: "t.step('A5', {", statement: expect.stringMatching(/^t\.step\('A5', \{ branch: 'ok', to: 'idle', .* doc: 'the caller owns ch' \}\);$/) });
    expect(last.accesses).toEqual([{ proc: 2, block: 1, write: false, fault: true }]);
    expect(last.memory!.blocks[0]).toMatchObject({ b: 1, mapped: false, place: { kind: 'os' }, refs: [{ proc: 2, local: 'ch' }] });
    expect(last.props.find((p) => p.name === 'NoUseAfterFree')!.holds).toBe(false);
    expect(last.props.find((p) => p.name === 'FreeListIntact')).toMatchObject({ holds: true });
    expect(last.props.find((p) => p.name === 'FreeListIntact')!.conjuncts).toHaveLength(6);
    // step 19: thread1's DWCAS pops b1 into its hands, while thread2 still holds the stale pointer
    expect(v.steps[18].memory!.blocks[0]).toMatchObject({ place: { kind: 'set', proc: 1, local: 'held' }, refs: [{ proc: 2, local: 'ch' }] });
    expect(v.steps.slice(0, 22).every((s) => s.breaks.length === 0 && s.accesses.every((a) => !a.fault))).toBe(true);
  });

  it('a model without block memory shows variables only; a lasso is marked', async () => {
    const model = await fixtureSpec('../engine/fixtures/Stuck.ts');
    const r = checkWithEngine(model, config(model, 'deadlock'));
    expect(r.violated).toBe('Deadlock');
    const page = renderReport({ results: [{ ...r, loopStart: 2 }], models: [model] });
    expect(page).not.toContain('<svg class="mem"');
    expect(page).toContain('<table class="vars">');
    expect(page).toContain('↻ back to step 2: the loop repeats forever');
    const rows = [...page.matchAll(/<tr class="([^"]*)" data-i="(\d+)"/g)];
    expect(rows.length).toBe(r.trace!.length);
    expect(rows.filter((m) => m[1].split(' ').includes('loop')).map((m) => Number(m[2]) + 1)).toEqual(r.trace!.slice(1).map((s) => s.index));
  });
});

const browserPath = findBrowser();
if (!browserPath) {
  console.warn('test/report/html.test.ts: no Chromium found (looked for CHROME_PATH, /usr/bin/chromium, /usr/bin/chromium-browser, /usr/bin/google-chrome); the browser test is skipped. Install it with `apt-get install chromium` (.ci/run does).');
}

// CI (.ci/run sets POOLSPEC_REQUIRE_TOOLS=1) installs Chromium: there a missing browser fails, never skips.
it.runIf(!browserPath && process.env.POOLSPEC_REQUIRE_TOOLS === '1')('Chromium is installed (POOLSPEC_REQUIRE_TOOLS=1)', () => {
  expect.fail('no Chromium found: the browser test cannot run (apt-get install chromium, or set CHROME_PATH)');
});

describe.skipIf(!browserPath)('the report in headless Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    const puppeteer = (await import('puppeteer-core')).default;
    browser = await puppeteer.launch({ executablePath: browserPath!, headless: true, args: ['--no-sandbox'] });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('DwcasPool small: 23 steps, the fault marked at step 23 with b1 at the OS, arrow keys move the selection, no network', async () => {
    const page = await browser.newPage();
    await page.setViewport({ width: 1500, height: 1000 });
    const requests: string[] = [];
    const problems: string[] = [];
    page.on('request', (rq) => requests.push(rq.url()));
    page.on('pageerror', (e) => problems.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
    const url = `file://${path.join(OUT, 'r.html')}`;
    await page.goto(url, { waitUntil: 'load' });

    const steps = await page.$$eval('section.cx tr.step', (rows) => rows.map((r) => ({
      index: Number((r as HTMLElement).dataset.index), cls: r.className, marks: r.querySelector('.marks')!.textContent,
    })));
    expect(steps).toHaveLength(23);
    const faulty = steps.filter((s) => s.cls.split(' ').includes('fault'));
    expect(faulty.map((s) => s.index)).toEqual([23]);
    expect(faulty[0].marks).toContain('NoUseAfterFree');
    expect(faulty[0].marks).toContain('b1 unmapped');

    const selected = () => page.evaluate(() => ({
      row: Number((document.querySelector('section.cx tr.step.sel') as HTMLElement | null)?.dataset.index),
      shown: [...document.querySelectorAll('section.cx .state')].filter((d) => !(d as HTMLElement).hidden).map((d) => Number((d as HTMLElement).dataset.index)),
    }));
    // the page opens on the step where the property breaks
    expect(await selected()).toEqual({ row: 23, shown: [23] });
    const b1 = await page.$eval('.state[data-index="23"] svg.mem g.block[data-block="1"]', (g) => ({
      place: g.getAttribute('data-place'), fault: g.getAttribute('data-fault'), text: g.textContent,
    }));
    expect(b1.place).toBe('os');
    expect(b1.fault).toBe('true');
    expect(b1.text).toContain('thread2 reads the link — unmapped!');
    expect(await page.$eval('.state[data-index="23"] svg.mem', (s) => s.getBoundingClientRect().height)).toBeGreaterThan(100);

    await page.$eval('section.cx tr.step.sel', (r) => r.scrollIntoView({ block: 'center' }));
    await page.screenshot({ path: path.join(OUT, 'dwcas-small-step23.png') });

    await page.keyboard.press('ArrowUp');
    expect(await selected()).toEqual({ row: 22, shown: [22] });
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowLeft');
    expect(await selected()).toEqual({ row: 20, shown: [20] });
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowRight');
    expect(await selected()).toEqual({ row: 22, shown: [22] });
    await page.keyboard.press('Home');
    expect(await selected()).toEqual({ row: 1, shown: [1] });
    await page.keyboard.press('ArrowUp'); // stays at the first step
    expect(await selected()).toEqual({ row: 1, shown: [1] });
    await page.click('section.cx tr.step[data-index="19"]');
    expect(await selected()).toEqual({ row: 19, shown: [19] });
    // step 19: b1 is in thread1's hands, thread2 still points at it
    expect(await page.$eval('.state[data-index="19"] g.block[data-block="1"]', (g) => [g.getAttribute('data-place'), g.getAttribute('data-where')]))
      .toEqual(['set', 'thread1.held']);
    await page.$eval('section.cx tr.step.sel', (r) => r.scrollIntoView({ block: 'center' }));
    await page.screenshot({ path: path.join(OUT, 'dwcas-small-step19.png') });

    // step 11: thread1's CAS pushed b1: head -> b1 -> NULL in the free list
    await page.click('section.cx tr.step[data-index="11"]');
    expect(await selected()).toEqual({ row: 11, shown: [11] });
    expect(await page.$eval('.state[data-index="11"] svg.mem', (svg) => ({
      roots: [...svg.querySelectorAll('g.root')].map((g) => g.getAttribute('data-root')),
      b1: svg.querySelector('g.block[data-block="1"]')!.getAttribute('data-place'),
      arrows: svg.querySelectorAll('line.link[marker-end]').length,
    }))).toEqual({ roots: ['head'], b1: 'list', arrows: 1 });
    await page.$eval('section.cx tr.step.sel', (r) => r.scrollIntoView({ block: 'center' }));
    await page.screenshot({ path: path.join(OUT, 'dwcas-small-step11.png') });

    expect(problems).toEqual([]);
    expect(requests).toEqual([url]);
    await page.close();
  });
});

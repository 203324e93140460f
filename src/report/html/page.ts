/**
 * The self-contained HTML report: the verdict table, then per counterexample the interleaving (one
 * column per thread, one row per step, with the transition, its doc and its spec line) beside the
 * selected step's state (the block memory drawn, the properties, every variable with its changes).
 * No network: styles and script are inline and a Content-Security-Policy forbids any fetch.
 */
import type { Expectation, Model } from '../../dsl/ir.ts';
import type { TraceStep } from '../../engine/trace.ts';
import { procName } from '../render.ts';
import { PAGE_CSS, PAGE_JS } from './assets.ts';
import { cxView, type CxView, type StepView } from './steps.ts';
import { memorySvg, SVG_DEFS, THREAD_COLOURS, threadClass } from './svg.ts';
import { cls, html, raw, type Html } from './template.ts';
import { localsTable, sharedTable } from './values.ts';

/** What the page needs of a result; a CheckResult (and a `check --json` result) has this shape. */
export interface ReportResult {
  spec: string;
  config: string;
  backend: string;
  verdict: string;
  violated: string | null;
  expected?: Expectation;
  matchesExpected?: boolean;
  distinctStates?: number | null;
  statesGenerated?: number | null;
  depth?: number | null;
  seconds?: number | null;
  trace: TraceStep[] | null;
  /** `index` of the first state of a lasso's loop; absent or null: no loop. */
  loopStart?: number | null;
  stuttering?: boolean;
  errors?: { code: string; message: string }[];
}

export interface ReportInput {
  title?: string;
  tool?: { tlc: string | null; jarSha256?: string | null } | null;
  /** Where the results come from (a command line, a trace file). */
  origin?: string;
  results: ReportResult[];
  models: Model[];
}

const num = (n: number | null | undefined) => (n === null || n === undefined ? '–' : n.toLocaleString('en-US'));
const expectText = (e?: Expectation) => (!e ? '–' : e.verdict === 'holds' ? 'holds' : `violates ${e.oneOf.join(' | ')}`);

export function renderReport(input: ReportInput): string {
  const cxs: { id: string; r: ReportResult; view: CxView }[] = [];
  input.results.forEach((r, i) => {
    const model = input.models.find((m) => m.name === r.spec);
    const config = model?.configs.find((c) => c.name === r.config);
    if (!model || !config || !r.trace || r.trace.length === 0) return;
    cxs.push({ id: `cx-${i + 1}`, r, view: cxView(model, config, r.trace, { violated: r.violated, loopStart: r.loopStart, stuttering: r.stuttering }) });
  });
  const idOf = (r: ReportResult) => cxs.find((c) => c.r === r)?.id;
  const title = input.title ?? 'poolspec report';
  const page = html`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title><style>${raw(PAGE_CSS)}${raw(threadCss())}</style></head>
<body>${SVG_DEFS}
<header><h1>${title}</h1><p class="meta">${input.origin ?? ''}${input.tool?.tlc ? html` · ${input.tool.tlc}` : ''} · keys: ↑/↓ or ←/→ step, Home/End first/last</p></header>
<main>
<section class="verdicts"><h2>Verdicts</h2>${verdictTable(input.results, idOf)}</section>
${cxs.map((c) => counterexample(c.id, c.r, c.view))}
${cxs.length === 0 ? html`<p class="none">No counterexamples.</p>` : ''}
</main>
<script>${raw(PAGE_JS)}</script>
</body></html>
`;
  return page.text;
}

function verdictTable(results: ReportResult[], idOf: (r: ReportResult) => string | undefined): Html {
  const rows = results.map((r) => {
    const id = idOf(r);
    const ok = r.matchesExpected;
    const vcls = r.verdict.replace(/\W+/g, '-');
    return html`<tr class="${cls(vcls, ok === false && 'mismatch')}">
<td>${id ? html`<a href="#${id}">${r.spec}</a>` : r.spec}</td><td>${r.config}</td><td>${r.backend}</td>
<td><span class="verdict ${vcls}">${r.verdict}</span></td><td>${r.violated ?? '–'}</td>
<td class="n">${num(r.distinctStates)}</td><td class="n">${num(r.statesGenerated)}</td><td class="n">${num(r.depth)}</td>
<td class="n">${r.seconds === null || r.seconds === undefined ? '–' : r.seconds.toFixed(1)}</td>
<td>${expectText(r.expected)}</td><td>${ok === undefined ? '–' : ok ? 'yes' : html`<b class="bad">NO</b>`}</td>
<td>${id ? html`<a href="#${id}">${r.trace!.length} steps →</a>` : ''}${(r.errors ?? []).map((e) => html`<div class="err">${e.code}: ${e.message}</div>`)}</td></tr>`;
  });
  return html`<table class="vt"><thead><tr><th>spec</th><th>config</th><th>backend</th><th>verdict</th><th>violated</th><th>distinct</th><th>generated</th><th>depth</th><th>seconds</th><th>expected</th><th>ok</th><th>counterexample</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function counterexample(id: string, r: ReportResult, v: CxView): Html {
  const n = v.steps.length;
  const focus = v.steps[v.focus];
  const how = v.stuttering
    ? html`by a behaviour that stops at step ${n} and stutters there forever`
    : v.loopStart !== null
      ? html`by a lasso: steps ${v.loopStart}–${n} repeat forever`
      : r.violated === 'Deadlock'
        ? html`at step ${n}: no thread can take a step`
        : html`at step ${focus.index}`;
  const summary = r.violated ? html`<b>${r.violated}</b> is violated ${how}` : html`${r.verdict}`;
  return html`<section class="cx" id="${id}" data-focus="${v.focus}" data-steps="${n}">
<h2>${r.spec} <span class="sub">${r.config} · ${r.backend}</span></h2>
<p class="summary">${summary}. ${n} states${v.config.doc ? html` — <i>${v.config.doc}</i>` : ''}</p>
<div class="cx-body">
<div class="lanes">${lanes(v)}</div>
<aside class="detail"><div class="nav"><button type="button" class="prev" aria-label="previous step">◀</button><span class="pos">step ${focus.index} of ${n}</span><button type="button" class="next" aria-label="next step">▶</button></div>
${v.steps.map((s, i) => stepDetail(v, s, i))}</aside>
</div></section>`;
}

function lanes(v: CxView): Html {
  const { model } = v;
  const head = v.procs.map((p) => html`<th class="lane ${threadClass(p)}">${procName(model, p)}</th>`);
  const deadlock = v.violated === 'Deadlock';
  const rows = v.steps.map((s, i) => {
    const marks = [
      ...s.breaks.map((b) => html`<span class="badge bad">✗ ${b}</span>`),
      ...s.accesses.filter((a) => a.fault).map((a) => html`<span class="badge bad">⚡ b${a.block} unmapped</span>`),
      ...(s.memory?.duplicated ?? []).length && i > 0 && !(v.steps[i - 1].memory?.duplicated.length) ? [html`<span class="badge bad">duplicated</span>`] : [],
      ...(s.memory?.lost ?? []).length && i > 0 && !(v.steps[i - 1].memory?.lost.length) ? [html`<span class="badge bad">lost</span>`] : [],
      ...(v.loopStart !== null && s.index === v.loopStart ? [html`<span class="badge loop">loop starts</span>`] : []),
      ...(deadlock && i === v.steps.length - 1 ? [html`<span class="badge bad">deadlock</span>`] : []),
    ];
    const fault = s.breaks.length > 0 || s.accesses.some((a) => a.fault) || (deadlock && i === v.steps.length - 1);
    const rowCls = cls('step', fault && 'fault', s.inLoop && 'loop', i === v.focus && 'focus');
    const num = html`<td class="num">${s.index}</td>`;
    if (s.proc === null) {
      return html`<tr class="${rowCls}" data-i="${i}" data-index="${s.index}"${fault ? html` data-breaks="${s.breaks.join(' ')}"` : ''}>${num}<td class="init" colspan="${v.procs.length}">initial state</td><td class="marks">${marks}</td></tr>`;
    }
    const cells = v.procs.map((p) => {
      if (p !== s.proc) return html`<td class="lane ${threadClass(p)}"></td>`;
      return html`<td class="lane ${threadClass(p)} act"><div class="tr">${s.transition}<span class="args">${s.args}</span></div>
${s.doc ? html`<div class="doc">${s.doc}</div>` : ''}
${s.source ? html`<div class="src"><span class="loc">${s.source.file}:${s.source.line}</span>${s.source.text ? html`<code title="${s.source.statement ?? s.source.text}">${s.source.statement ?? s.source.text}</code>` : ''}</div>` : ''}</td>`;
    });
    return html`<tr class="${rowCls}" data-i="${i}" data-index="${s.index}" data-thread="${s.thread ?? ''}"${fault ? html` data-breaks="${s.breaks.join(' ')}"` : ''}>${num}${cells}<td class="marks">${marks}</td></tr>`;
  });
  const back = v.stuttering
    ? html`<tr class="back"><td></td><td colspan="${v.procs.length + 1}">⟳ from here the system stutters forever</td></tr>`
    : v.loopStart !== null
      ? html`<tr class="back"><td></td><td colspan="${v.procs.length + 1}">↻ back to step ${v.loopStart}: the loop repeats forever</td></tr>`
      : '';
  const cols = html`<colgroup><col class="num">${v.procs.map(() => html`<col>`)}<col class="marks"></colgroup>`;
  return html`<table class="steps">${cols}<thead><tr><th>#</th>${head}<th></th></tr></thead><tbody>${rows}${back}</tbody></table>`;
}

function stepDetail(v: CxView, s: StepView, i: number): Html {
  const { model } = v;
  const state = v.trace[i].state;
  const prev = i > 0 ? v.trace[i - 1].state : undefined;
  const temporal = v.violated !== null && model.properties.some((p) => p.name === v.violated);
  const props = s.props.map((p) => {
    const mark = p.holds === true ? '✓' : p.holds === false ? '✗' : '·';
    const conj = p.conjuncts.map((c) => html`<li class="${c.holds === false ? 'no' : c.holds === true ? 'yes' : ''}" title="${c.text}"><span class="m">${c.holds === true ? '✓' : c.holds === false ? '✗' : '·'}</span> <code>${shorten(c.text, 110)}</code></li>`);
    return html`<li class="${cls('prop', p.holds === false && 'no', p.holds === true && 'yes', s.breaks.includes(p.name) && 'breaks', v.violated === p.name && 'violated')}" data-prop="${p.name}" data-holds="${String(p.holds)}">
<span class="m">${mark}</span> <b title="${p.doc ?? ''}">${p.name}</b>${p.kind === 'temporal' ? html` <small>temporal</small>` : ''}${s.breaks.includes(p.name) ? html` <span class="badge bad">breaks here</span>` : ''}${p.note ? html` <span class="note">${p.note}</span>` : ''}
${conj.length ? html`<ul class="conj">${conj}</ul>` : ''}</li>`;
  });
  const title = s.proc === null ? html`initial state` : html`<span class="who ${threadClass(s.proc)}">${s.thread}</span> ${s.transition}${s.args}`;
  return html`<div class="state" data-i="${i}" data-index="${s.index}"${i === v.focus ? '' : html` hidden`}>
<h3>Step ${s.index} · ${title}</h3>
${s.source ? html`<div class="stmt"><span class="loc">${s.source.file}:${s.source.line}</span> <code>${s.source.statement ?? s.source.text ?? ''}</code>${s.doc ? html`<div class="doc">${s.doc}</div>` : ''}</div>` : ''}
${s.memory ? html`<div class="svgwrap">${memorySvg(model, s.memory, { stuck: temporal && s.inLoop })}</div>${legend(v)}` : ''}
<h4>Properties</h4><ul class="props">${props}</ul>
<h4>Shared and ghost variables</h4>${sharedTable(model, state, prev)}
<h4>Threads</h4>${localsTable(model, v.procs, state, prev, s.proc)}
</div>`;
}

function legend(v: CxView): Html {
  const sw = (stroke: string, fill: string, label: string, dashed = false) =>
    html`<span class="sw"><i style="background:${fill};border-color:${stroke};${dashed ? 'border-style:dashed' : ''}"></i>${label}</span>`;
  return html`<div class="legend">${sw('#2563eb', '#dbeafe', 'in the free list')}${v.procs.map((p) => sw(THREAD_COLOURS[(p - 1) % THREAD_COLOURS.length][0], THREAD_COLOURS[(p - 1) % THREAD_COLOURS.length][1], procName(v.model, p)))}${sw('#6b7280', '#fff', 'dashed: only a thread’s pointer to it (in transit, flush walk)', true)}${sw('#6b7280', '#e5e7eb', 'at the OS (unmapped)', true)}${sw('#dc2626', '#fff', 'fault, lost or duplicated')}</div>`;
}

/** Per-thread colours of lanes, acting cells and thread names (the SVG uses the same palette). */
function threadCss(): string {
  return THREAD_COLOURS.map(([stroke, fill], i) => {
    const t = `.t${i + 1}`;
    return `td.act${t} { background: ${fill}80; box-shadow: inset 3px 0 0 ${stroke}; } .who${t}, th.actor${t} { background: ${fill}; color: ${stroke}; } th.lane${t} { border-bottom-color: ${stroke}; }`;
  }).join('\n');
}

function shorten(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}


/** The report page's inline style and script (the page loads nothing else). */

export const PAGE_CSS = `
:root { --fg:#1f2937; --muted:#6b7280; --line:#e5e7eb; --bad:#dc2626; --ok:#059669; --sel:#fff7d6; --loop:#7c3aed; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: #f8fafc; }
header { padding: 14px 24px 8px; background: #0f172a; color: #f8fafc; }
header h1 { margin: 0; font-size: 20px; font-weight: 600; }
header .meta { margin: 2px 0 0; color: #cbd5e1; font-size: 12px; }
main { padding: 8px 24px 40px; }
h2 { font-size: 18px; margin: 22px 0 6px; }
h2 .sub { color: var(--muted); font-weight: 400; font-size: 15px; }
h3 { font-size: 15px; margin: 0 0 8px; }
h4 { font-size: 12px; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); margin: 14px 0 4px; }
code, .tr, .blink, .vars td, .loc { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; }
table { border-collapse: collapse; }
.vt { background: #fff; border: 1px solid var(--line); font-size: 13px; }
.vt th, .vt td { padding: 4px 10px; border-bottom: 1px solid var(--line); text-align: left; white-space: nowrap; }
.vt th { background: #f1f5f9; font-weight: 600; }
.vt td.n { text-align: right; font-variant-numeric: tabular-nums; }
.vt tr.mismatch { background: #fef2f2; }
.verdict { padding: 1px 7px; border-radius: 9px; font-size: 12px; }
.verdict.holds { background: #d1fae5; color: #065f46; }
.verdict.violated { background: #fee2e2; color: #991b1b; }
.verdict.error { background: #fde68a; color: #92400e; }
.bad { color: var(--bad); }
.err { color: var(--bad); white-space: normal; font-size: 12px; }
a { color: #2563eb; }
section.cx { margin-top: 26px; border-top: 2px solid #cbd5e1; }
.summary { margin: 0 0 10px; }
.cx-body { display: grid; grid-template-columns: minmax(440px, 1fr) minmax(500px, 1.15fr); gap: 18px; align-items: start; }
.lanes { background: #fff; border: 1px solid var(--line); border-radius: 8px; overflow-x: auto; }
.steps { width: 100%; font-size: 13px; table-layout: fixed; }
.steps col.num { width: 2.8em; } .steps col.marks { width: 8.5em; }
.steps th { position: sticky; top: 0; background: #f1f5f9; padding: 6px 8px; text-align: left; border-bottom: 3px solid var(--line); z-index: 1; }
.steps td { padding: 5px 8px; border-bottom: 1px solid #f1f5f9; vertical-align: top; }
.steps td.num { color: var(--muted); text-align: right; width: 2.5em; font-variant-numeric: tabular-nums; }
.steps td.lane { border-left: 1px dashed var(--line); overflow: hidden; }
.steps td.act { background: #fafafa; }
.steps td.init { color: var(--muted); font-style: italic; }
.steps td.marks { padding-left: 2px; padding-right: 4px; }
.steps tr.step { cursor: pointer; }
.steps tr.step:hover td { background: #f8fafc; }
.steps tr.sel td { background: #dbeafe !important; }
.steps tr.sel td.act { background: #bfdbfe !important; }
.steps tr.sel td.num { box-shadow: inset 4px 0 0 #2563eb; color: var(--fg); font-weight: 700; }
.steps tr.fault td { border-bottom-color: #fecaca; }
.steps tr.fault td.num { color: var(--bad); font-weight: 700; }
.steps tr.loop td.num { box-shadow: inset -3px 0 0 var(--loop); }
.steps tr.back td { color: var(--loop); font-weight: 600; padding: 6px 8px; }
.tr { font-weight: 600; }
.args { font-weight: 400; color: var(--muted); }
.doc { color: #374151; font-size: 12px; margin-top: 1px; }
.src { font-size: 11.5px; margin-top: 2px; color: var(--muted); }
.src .loc { margin-right: 6px; font-size: 11px; }
.src code { display: block; background: #f1f5f9; padding: 0 4px; border-radius: 3px; color: #334155; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.badge { display: inline-block; font-size: 11px; padding: 1px 6px; border-radius: 8px; margin: 1px 2px; background: #e5e7eb; }
.badge.bad { background: #fee2e2; color: #991b1b; font-weight: 600; }
.badge.loop { background: #ede9fe; color: var(--loop); }
.detail { position: sticky; top: 8px; max-height: calc(100vh - 16px); overflow: auto; background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px 16px; }
.nav { display: flex; align-items: center; gap: 10px; margin-bottom: 8px; color: var(--muted); font-size: 12px; }
.nav button { border: 1px solid var(--line); background: #f8fafc; border-radius: 6px; padding: 2px 10px; cursor: pointer; }
.who { padding: 0 6px; border-radius: 4px; }
.stmt { font-size: 12px; margin: -4px 0 10px; color: var(--muted); }
.stmt code { color: #334155; background: #f1f5f9; padding: 1px 5px; border-radius: 3px; white-space: pre-wrap; word-break: break-word; }
.svgwrap { overflow-x: auto; border: 1px solid var(--line); border-radius: 8px; background: #fcfcfd; width: fit-content; max-width: 100%; }
svg.mem { display: block; max-width: 100%; height: auto; font-family: system-ui, sans-serif; }
svg.mem .root rect { fill: #0f172a; }
svg.mem .root text { fill: #fff; font: 600 13px ui-monospace, monospace; text-anchor: middle; }
svg.mem .root text.ghost { font-style: italic; fill: #cbd5e1; }
svg.mem .link { stroke: #334155; stroke-width: 1.6; fill: none; }
svg.mem .link.shared { stroke-dasharray: 4 3; }
svg.mem .link.cycle { stroke: var(--bad); stroke-width: 2.2; }
svg.mem .term rect { fill: #f1f5f9; stroke: #94a3b8; }
svg.mem .term text { font: 600 11px ui-monospace, monospace; text-anchor: middle; fill: #475569; }
svg.mem .term.busy rect { fill: #fde68a; stroke: #d97706; }
svg.mem .term.stuck rect { fill: #fee2e2; stroke: var(--bad); stroke-width: 3; }
svg.mem .bname { font: 700 16px system-ui, sans-serif; fill: #111827; }
svg.mem .bsub { font: 600 11px system-ui, sans-serif; fill: #374151; }
svg.mem .blink { font: 12px ui-monospace, monospace; fill: #1f2937; }
svg.mem .btag { font-size: 10px; fill: #6b7280; }
svg.mem .ref { font: 600 11.5px ui-monospace, monospace; text-anchor: middle; }
svg.mem .acc { font: 600 12px system-ui, sans-serif; fill: #334155; }
svg.mem .acc.fault { fill: var(--bad); }
svg.mem .ztitle { font: 600 13px system-ui, sans-serif; }
.legend { display: flex; flex-wrap: wrap; gap: 12px; font-size: 11.5px; color: var(--muted); margin: 6px 2px 0; }
.legend .sw i { display: inline-block; width: 12px; height: 12px; border: 2px solid; border-radius: 3px; vertical-align: -2px; margin-right: 4px; }
ul.props { list-style: none; margin: 0; padding: 0; font-size: 13px; }
ul.props > li { padding: 3px 6px; border-radius: 5px; }
ul.props > li.no { background: #fef2f2; }
ul.props > li.breaks { outline: 2px solid #fca5a5; }
ul.props .m { display: inline-block; width: 1em; font-weight: 700; }
ul.props li.yes > .m { color: var(--ok); }
ul.props li.no > .m { color: var(--bad); }
ul.props .note { color: var(--loop); font-size: 12px; }
ul.conj { list-style: none; margin: 2px 0 2px 18px; padding: 0; font-size: 11.5px; }
ul.conj li.no { color: var(--bad); }
ul.conj li.yes .m { color: var(--ok); }
ul.conj code { font-size: 11px; }
table.vars { font-size: 12.5px; width: 100%; }
table.vars th { text-align: left; font-weight: 600; padding: 2px 8px 2px 0; white-space: nowrap; vertical-align: top; width: 1%; }
table.vars th small { color: var(--muted); font-weight: 400; }
table.vars td { padding: 2px 8px 2px 0; vertical-align: top; }
table.vars tr.chg > th { color: #b45309; }
table.locals td { border-left: 1px dashed var(--line); padding-left: 6px; }
table.locals th.actor { text-decoration: underline; }
.arr .el { display: inline-block; margin-right: 8px; }
.arr .el > i { font-style: normal; color: var(--muted); margin-right: 3px; }
.arr .el > i::after { content: ":"; }
.set .el + .el::before { content: ", "; color: var(--fg); text-decoration: none; }
mark, .el.chg > span, .el.add { background: #fde68a; border-radius: 3px; padding: 0 2px; }
del.el { color: var(--bad); }
td.chg { background: #fffbeb; }
.none { color: var(--muted); }
`;

/** Selection and keyboard navigation: one selected step per counterexample, the last one touched is current. */
export const PAGE_JS = `
(function () {
  var sections = Array.prototype.slice.call(document.querySelectorAll('section.cx'));
  var current = sections[0] || null;
  function select(sec, i, scroll) {
    var rows = sec.querySelectorAll('tr.step');
    var n = rows.length;
    if (n === 0) return;
    i = Math.max(0, Math.min(n - 1, i));
    for (var k = 0; k < n; k++) {
      var on = k === i;
      rows[k].classList.toggle('sel', on);
      rows[k].setAttribute('aria-selected', on ? 'true' : 'false');
    }
    var states = sec.querySelectorAll('.state');
    for (var j = 0; j < states.length; j++) states[j].hidden = Number(states[j].dataset.i) !== i;
    sec.dataset.sel = String(i);
    sec.querySelector('.pos').textContent = 'step ' + rows[i].dataset.index + ' of ' + n;
    current = sec;
    if (scroll) rows[i].scrollIntoView({ block: 'nearest' });
  }
  sections.forEach(function (sec) {
    select(sec, Number(sec.dataset.focus), false);
    sec.addEventListener('click', function (e) {
      var row = e.target.closest('tr.step');
      if (row) select(sec, Number(row.dataset.i), false);
      else if (e.target.closest('.prev')) select(sec, Number(sec.dataset.sel) - 1, true);
      else if (e.target.closest('.next')) select(sec, Number(sec.dataset.sel) + 1, true);
      current = sec;
    });
  });
  current = sections[0] || null;
  function fromHash() {
    var sec = location.hash && document.getElementById(location.hash.slice(1));
    if (sec && sec.classList.contains('cx')) current = sec;
  }
  window.addEventListener('hashchange', fromHash);
  fromHash();
  document.addEventListener('keydown', function (e) {
    if (!current || e.altKey || e.ctrlKey || e.metaKey) return;
    var i = Number(current.dataset.sel);
    var n = current.querySelectorAll('tr.step').length;
    var to = null;
    if (e.key === 'ArrowDown' || e.key === 'ArrowRight' || e.key === 'j') to = i + 1;
    else if (e.key === 'ArrowUp' || e.key === 'ArrowLeft' || e.key === 'k') to = i - 1;
    else if (e.key === 'Home') to = 0;
    else if (e.key === 'End') to = n - 1;
    if (to === null) return;
    e.preventDefault();
    select(current, to, true);
  });
})();
`;

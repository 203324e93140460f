/**
 * The block memory of one state as SVG: each root pointer (head, a ghost list head) with NULL, BUSY or
 * an arrow to the blocks its list links through the link word; below, the blocks that are elsewhere,
 * grouped by where they are (a thread's sets or pointers, the OS, nowhere = lost). Colours say where a
 * block is; a fault (a link word touched in an unmapped block), a duplicated or lost block and a
 * stuck BUSY head are drawn in red.
 */
import type { Model } from '../../dsl/ir.ts';
import { BUSY_PTR, NULL_PTR } from '../../dsl/ir.ts';
import type { Value } from '../../engine/value.ts';
import { procName } from '../render.ts';
import type { BlockView, MemoryView, Place } from './memory.ts';
import { html, type Html } from './template.ts';

const BW = 116;
const BH = 64;
const GAP = 48;
const ROOT_W = 84;
const ROW_H = 112;
const LEFT = 12;

/** Thread colours (stroke, fill); thread p uses entry (p-1) mod length. */
export const THREAD_COLOURS: [string, string][] = [
  ['#d97706', '#fef3c7'], ['#059669', '#d1fae5'], ['#7c3aed', '#ede9fe'], ['#db2777', '#fce7f3'],
  ['#0891b2', '#cffafe'], ['#65a30d', '#ecfccb'],
];
export const threadColour = (p: number) => THREAD_COLOURS[(p - 1) % THREAD_COLOURS.length];
/** The CSS class of thread p's colour. */
export const threadClass = (p: number) => `t${(p - 1) % THREAD_COLOURS.length + 1}`;

const ptrText = (v: Value) => (v === NULL_PTR ? 'NULL' : v === BUSY_PTR ? 'BUSY' : typeof v === 'number' ? `b${v}` : String(v));

function placeKey(p: Place): string {
  return p.kind === 'set' || p.kind === 'ptr' ? `t${p.proc}` : p.kind === 'list' ? `list:${p.root}` : p.kind;
}

function placeLabel(model: Model, p: Place): string {
  switch (p.kind) {
    case 'os': return 'the OS';
    case 'list': return `list (${p.root})`;
    case 'set': return `${procName(model, p.proc)}.${p.local}`;
    case 'ptr': return `${procName(model, p.proc)}.${p.local}`;
    case 'lost': return 'lost';
  }
}

function blockColours(b: BlockView): [string, string] {
  const p = b.place;
  if (p.kind === 'os') return ['#6b7280', 'url(#ps-hatch)'];
  if (p.kind === 'list') return ['#2563eb', '#dbeafe'];
  if (p.kind === 'lost') return ['#dc2626', '#ffffff'];
  return threadColour(p.proc);
}

function accessText(model: Model, b: BlockView): string {
  if (!b.access) return '';
  const fault = b.access.fault;
  return `${fault ? '⚡ ' : ''}${procName(model, b.access.proc)} ${b.access.write ? 'writes' : 'reads'} the link${fault ? ' — unmapped!' : ''}`;
}

function block(model: Model, b: BlockView, x: number, y: number, sub: string | null): Html {
  const [stroke, fill] = blockColours(b);
  const dup = b.claims.length > 1;
  const fault = b.access?.fault === true;
  const bad = fault || dup || b.place.kind === 'lost';
  const where = placeLabel(model, b.place);
  const tip = `b${b.b}: ${b.mapped ? 'mapped' : 'unmapped'}, ${b.place.kind === 'os' ? 'at the OS' : `in ${where}`}${dup ? `; duplicated: ${b.claims.map((c) => placeLabel(model, c)).join(' and ')}` : ''}`;
  const access = b.access ? html`<text class="acc${fault ? ' fault' : ''}" x="${x}" y="${y - 7}">${accessText(model, b)}</text>` : '';
  const refs = b.refs.slice(0, 3).map((r, i) =>
    html`<text class="ref" x="${x + BW / 2}" y="${y + BH + 15 + i * 13}" fill="${threadColour(r.proc)[0]}">↑ ${procName(model, r.proc)}.${r.local}</text>`);
  return html`<g class="block" data-block="${b.b}" data-place="${b.place.kind}" data-where="${where}"${fault ? html` data-fault="true"` : ''}${dup ? html` data-dup="true"` : ''}><title>${tip}</title>
<rect x="${x}" y="${y}" width="${BW}" height="${BH}" rx="7" fill="${fill}" stroke="${bad ? '#dc2626' : stroke}" stroke-width="${bad ? 3.5 : 1.6}"${!b.mapped || b.place.kind === 'ptr' ? html` stroke-dasharray="5 3"` : ''}/>
${b.place.kind === 'os' ? html`<rect x="${x + 1}" y="${y + 1}" width="${BW - 2}" height="${BH - 2}" rx="6" fill="#f3f4f6" opacity="0.55"/>` : ''}
<text class="bname" x="${x + 10}" y="${y + 20}">b${b.b}</text>
<text class="bsub" x="${x + BW - 9}" y="${y + 19}" text-anchor="end">${b.mapped ? (sub ?? '') : 'unmapped'}</text>
<text class="blink" x="${x + 10}" y="${y + 39}">next: ${ptrText(b.link)}</text>
${b.tags.map((t, i) => html`<text class="btag" x="${x + 10}" y="${y + 55 + i * 11}">${t.name}=${t.value}</text>`)}
${dup ? html`<text class="acc fault" x="${x + BW}" y="${y - 7}" text-anchor="end">duplicated</text>` : ''}
${access}${refs}</g>`;
}

const arrow = (x1: number, y1: number, x2: number, y2: number, cls = 'link') =>
  html`<line class="${cls}" x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" marker-end="url(#ps-arrow)"/>`;

function terminal(x: number, y: number, v: Value, stuck: boolean): Html {
  const text = ptrText(v);
  const busy = v === BUSY_PTR;
  return html`<g class="term${busy ? ' busy' : ''}${stuck ? ' stuck' : ''}"><rect x="${x}" y="${y - 13}" width="${busy ? 52 : 46}" height="26" rx="13"/><text x="${x + (busy ? 26 : 23)}" y="${y + 4}">${text}</text>${stuck ? html`<text class="acc fault" x="${x + 26}" y="${y - 19}">stuck</text>` : ''}</g>`;
}

export interface DrawOptions {
  /** Highlight a BUSY root as a stuck lock (a liveness violation's loop). */
  stuck: boolean;
}

export function memorySvg(model: Model, mem: MemoryView, opts: DrawOptions): Html {
  const parts: Html[] = [];
  const pos = new Map<number, { x: number; y: number }>();
  const byB = new Map(mem.blocks.map((b) => [b.b, b]));
  let y = 30;
  let width = 400;
  // Rows of list roots: each root, then its chain of blocks through the link word.
  for (const c of mem.chains) {
    const cy = y + BH / 2;
    parts.push(html`<g class="root" data-root="${c.root}"><rect x="${LEFT}" y="${cy - 16}" width="${ROOT_W}" height="32" rx="5"/><text x="${LEFT + ROOT_W / 2}" y="${cy + 5}" class="${c.ghost ? 'ghost' : ''}">${c.root}</text></g>`);
    let x = LEFT + ROOT_W + GAP;
    let fromX = LEFT + ROOT_W;
    if (c.blocks.length === 0) {
      parts.push(html`<line class="link" x1="${fromX}" y1="${cy}" x2="${x - 4}" y2="${cy}"/>`, terminal(x - 4, cy, c.value, opts.stuck && c.value === BUSY_PTR));
      width = Math.max(width, x + 60);
      y += ROW_H - 22;
      continue;
    }
    let ended = false;
    for (const b of c.blocks) {
      const at = pos.get(b);
      if (at) {
        // A tail another root's row already drew: point at it.
        parts.push(arrow(fromX, cy, at.x + BW / 2, at.y + BH, 'link shared'));
        ended = true;
        break;
      }
      parts.push(arrow(fromX, cy, x - 3, cy));
      pos.set(b, { x, y });
      parts.push(block(model, byB.get(b)!, x, y, null));
      fromX = x + BW;
      x += BW + GAP;
    }
    if (!ended) {
      const last = byB.get(c.blocks[c.blocks.length - 1])!;
      if (c.cycleTo !== null) {
        const to = pos.get(c.cycleTo)!;
        parts.push(html`<path class="link cycle" d="M ${fromX} ${cy} C ${fromX + 40} ${cy}, ${fromX + 40} ${y - 26}, ${to.x + BW / 2} ${y - 26} L ${to.x + BW / 2} ${y - 3}" marker-end="url(#ps-arrow)"/><text class="acc fault" x="${fromX + 30}" y="${y - 30}">cycle</text>`);
        x += 40;
      } else {
        parts.push(html`<line class="link" x1="${fromX}" y1="${cy}" x2="${x - 4}" y2="${cy}"/>`, terminal(x - 4, cy, last.link, false));
        x += 56;
      }
    }
    width = Math.max(width, x);
    y += ROW_H;
  }
  // Blocks elsewhere, one zone per place (thread, OS, lost).
  const zones = new Map<string, BlockView[]>();
  for (const b of mem.blocks) {
    if (pos.has(b.b)) continue;
    const k = placeKey(b.place);
    zones.set(k, [...(zones.get(k) ?? []), b]);
  }
  const order = [...zones.keys()].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b, 'en', { numeric: true }));
  let zx = LEFT;
  let zy = y + 8;
  const maxW = Math.max(width, 560);
  let rowH = 0;
  for (const k of order) {
    const bs = zones.get(k)!;
    const refRows = Math.max(0, ...bs.map((b) => Math.min(3, b.refs.length)));
    const first = bs[0].place;
    const title = k === 'os' ? 'the OS (unmapped)' : k === 'lost' ? 'lost: mapped, but nowhere' : first.kind === 'set' || first.kind === 'ptr' ? procName(model, first.proc) : k;
    // Wide enough for the title and for the access labels over the blocks.
    const labels = bs.map((b, i) => 16 + i * (BW + 14) + accessText(model, b).length * 7.4 + 12);
    const zw = Math.max(16 + bs.length * (BW + 14) - 14 + 16, 28 + title.length * 8.2, ...labels);
    const zh = 44 + BH + 10 + refRows * 13 + 8;
    if (zx > LEFT && zx + zw > maxW) {
      zx = LEFT;
      zy += rowH + 14;
      rowH = 0;
    }
    const [stroke, fill] = k === 'os' ? ['#6b7280', '#f9fafb'] : k === 'lost' ? ['#dc2626', '#fef2f2'] : first.kind === 'set' || first.kind === 'ptr' ? threadColour(first.proc) : ['#2563eb', '#eff6ff'];
    parts.push(html`<g class="zone" data-zone="${k}"><rect x="${zx}" y="${zy}" width="${zw}" height="${zh}" rx="10" fill="${fill}" fill-opacity="0.45" stroke="${stroke}" stroke-dasharray="${k === 'os' ? '4 3' : ''}"/><text class="ztitle" x="${zx + 12}" y="${zy + 18}" fill="${stroke}">${title}</text></g>`);
    bs.forEach((b, i) => {
      const sub = b.place.kind === 'set' || b.place.kind === 'ptr' ? b.place.local : null;
      parts.push(block(model, b, zx + 16 + i * (BW + 14), zy + 44, sub));
    });
    zx += zw + 14;
    rowH = Math.max(rowH, zh);
    width = Math.max(width, zx);
  }
  const height = zy + rowH + 8;
  return html`<svg class="mem" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="block memory">${parts}</svg>`;
}

function rank(k: string): number {
  if (k.startsWith('t')) return 1;
  if (k === 'lost') return 2;
  if (k === 'os') return 3;
  return 0;
}

/** Marker and pattern definitions, once per page (inline SVGs share the document's ids). */
export const SVG_DEFS = html`<svg width="0" height="0" style="position:absolute" aria-hidden="true"><defs>
<marker id="ps-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#334155"/></marker>
<pattern id="ps-hatch" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="8" height="8" fill="#e5e7eb"/><line x1="0" y1="0" x2="0" y2="8" stroke="#9ca3af" stroke-width="3"/></pattern>
</defs></svg>`;

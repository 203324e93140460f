/**
 * A tiny HTML/SVG template tag: interpolated values are escaped unless they are already markup
 * (`Html`, made by the tag itself or by `raw`). Arrays are joined, null/undefined/false render nothing,
 * so templates can use `cond && html\`...\`` and `list.map(...)` directly.
 */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

export type Part = Html | string | number | boolean | null | undefined | Part[];

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESC[c]);
}

function render(p: Part): string {
  if (p === null || p === undefined || p === false) return '';
  if (p instanceof Html) return p.text;
  if (Array.isArray(p)) return p.map(render).join('');
  return escape(String(p));
}

export function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  let out = strings[0];
  for (let i = 0; i < values.length; i += 1) out += render(values[i]) + strings[i + 1];
  return new Html(out);
}

/** Markup that is trusted as is (the page's own CSS and script). */
export const raw = (s: string): Html => new Html(s);

/** `class="a b"` from the truthy entries. */
export function cls(...names: (string | false | null | undefined)[]): string {
  return names.filter(Boolean).join(' ');
}

// Module resolution hook (runs in Node's loader thread, so plain JavaScript):
// - a `.ts` spec outside any package of "type": "module" (e.g. in a folder with no package.json)
//   still loads as an ES module, as specs in this project do, instead of failing as CommonJS;
// - a spec anywhere may import the DSL as `poolspec` (this project's src/dsl/index.ts).
const DSL = new URL('./../dsl/index.ts', import.meta.url).href;

export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'poolspec' || specifier === 'poolspec/dsl') return { url: DSL, format: 'module', shortCircuit: true };
  const r = await nextResolve(specifier, context);
  if (r.url.startsWith('file:') && r.url.endsWith('.ts') && !r.url.includes('/node_modules/') && r.format !== 'module') {
    return { ...r, format: 'module' };
  }
  return r;
}

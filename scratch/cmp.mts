import { loadSpec, resolveSpecs } from '/work/wt/fastengine/src/dsl/load.ts';
import { explore } from '/work/wt/fastengine/src/engine/explore.ts';
import { exploreFast } from '/work/wt/fastengine/src/engine/compiled/explore.ts';
import { compile } from '/work/wt/fastengine/src/engine/compiled/program.ts';
import { machine } from '/work/wt/fastengine/src/engine/step.ts';
const ids = process.argv.slice(2);
for (const id of ids) {
  const [spec, cfg0] = id.split(':'); const [cfg, sizes] = cfg0.split('+');
  const files = resolveSpecs([spec]);
  const r = await loadSpec((files as any).value[0]);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  if (sizes) { const base = r.value.configs.find((c) => c.name === cfg)!; r.value.configs.push({ ...base, name: cfg0, constants: { ...base.constants, ...Object.fromEntries(sizes.split(',').map((kv) => [kv.split('=')[0], Number(kv.split('=')[1])])) } }); }
  const m = machine(r.value, cfg0); m.config = { ...m.config, properties: [] };
  if (process.env.SRC) { console.log(compile(m).source); continue; }
  const f = exploreFast(m);
  const slow = process.env.FAST ? null : explore(m);
  const fig = (x: any) => JSON.stringify({ v: x.verdict, viol: x.violated, d: x.distinctStates, g: x.statesGenerated, depth: x.depth, err: x.error?.message });
  console.log(id, 'compiled', f.compiled, fig(f), f.seconds.toFixed(2), 's', Math.round(f.distinctStates / f.seconds), '/s', 'words', compile(m).L.words);
  if (slow) {
    console.log(id, 'interp  ', fig(slow), slow.seconds.toFixed(2), 's', fig(slow) === fig(f) ? 'SAME' : 'DIFF');
    const same = JSON.stringify(slow.trace) === JSON.stringify(f.trace);
    console.log('  trace same:', same, slow.trace?.length);
    if (!same) { console.log(JSON.stringify(slow.trace?.slice(-2))); console.log(JSON.stringify(f.trace?.slice(-2))); }
  }
}

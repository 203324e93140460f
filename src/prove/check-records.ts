/**
 * `poolspec prove --check` (npm run proofs:check): every record in proofs/ still matches its spec
 * (the sha256 of its sources) and every obligation still has its recorded result when Z3 is asked
 * again at the recorded configuration and constants; every spec with an inductive invariant has a
 * record. TLC verdicts are not re-run here (`prove --write` does that).
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadSpec, listSpecFiles } from '../dsl/load.ts';
import { PROJECT_ROOT } from '../dsl/source.ts';
import { formatError } from '../errors.ts';
import { prove } from './prove.ts';
import { hashSources, PROOFS_DIR, readRecord } from './record.ts';

export interface RecordCheck { file: string; ok: boolean; message: string }

const regen = (spec: string) => `run \`npx poolspec prove ${spec} --write\``;

export async function checkRecords(names: string[], opts: { timeoutSeconds: number; parallel: number; dir?: string; log?: (s: string) => void }): Promise<RecordCheck[]> {
  const out: RecordCheck[] = [];
  const specFiles = listSpecFiles();
  const wanted = (spec: string) => names.length === 0 || names.includes(spec);
  for (const file of specFiles) {
    const spec = path.basename(file, '.ts');
    if (!wanted(spec)) continue;
    const loaded = await loadSpec(file);
    if (!loaded.ok) {
      out.push({ file: path.relative(PROJECT_ROOT, file), ok: false, message: loaded.errors.map(formatError).join('; ') });
      continue;
    }
    const model = loaded.value;
    const recFile = path.join(opts.dir ?? PROOFS_DIR, `${model.name}.json`);
    const rel = path.relative(PROJECT_ROOT, recFile);
    if (!model.inductive?.length) continue;
    if (!fs.existsSync(recFile)) {
      out.push({ file: rel, ok: false, message: `missing: ${model.name} declares ${model.inductive[0].name}; ${regen(model.name)}` });
      continue;
    }
    const rec = readRecord(recFile);
    if (!rec.ok) {
      out.push({ file: rel, ok: false, message: rec.errors[0].message });
      continue;
    }
    const now = hashSources(model.file);
    if (now.specHash !== rec.value.specHash) {
      const changed = [...new Set([...Object.keys(now.sources), ...Object.keys(rec.value.sources)])]
        .filter((f) => now.sources[f] !== rec.value.sources[f]);
      out.push({ file: rel, ok: false, message: `stale: ${changed.join(', ')} changed since the record was made; ${regen(model.name)}` });
      continue;
    }
    const ind = model.inductive.find((i) => i.name === rec.value.inductive);
    const config = model.configs.find((c) => c.name === rec.value.config);
    if (!ind || !config) {
      out.push({ file: rel, ok: false, message: `stale: ${model.name} has no ${ind ? `configuration ${rec.value.config}` : `inductive invariant ${rec.value.inductive}`}; ${regen(model.name)}` });
      continue;
    }
    const sizes: Record<string, number> = {};
    for (const [k, v] of Object.entries(rec.value.constants)) if (typeof v === 'number') sizes[k] = v;
    opts.log?.(`re-proving ${model.name} ${config.name} (${Object.entries(sizes).map(([k, v]) => `${k}=${v}`).join(', ')})...`);
    const r = await prove(model, config, ind, sizes, { timeoutSeconds: opts.timeoutSeconds, parallel: opts.parallel });
    if (!r.ok) {
      out.push({ file: rel, ok: false, message: formatError(r.errors[0]) });
      continue;
    }
    const was = new Map(rec.value.obligations.map((o) => [o.name, o.result]));
    const diffs: string[] = [];
    for (const o of r.value.obligations) {
      const before = was.get(o.name);
      if (before === undefined) diffs.push(`${o.name} is new (${o.result})`);
      else if (before !== o.result) diffs.push(`${o.name} was ${before}, now ${o.result}`);
      was.delete(o.name);
    }
    for (const name of was.keys()) diffs.push(`${name} is gone`);
    out.push(diffs.length
      ? { file: rel, ok: false, message: `no longer holds as recorded: ${diffs.join('; ')}; ${regen(model.name)}` }
      : { file: rel, ok: true, message: `${r.value.obligations.length} obligations as recorded (${r.value.obligations.filter((o) => o.result === 'proved').length} proved), ${r.value.seconds.toFixed(1)} s` });
  }
  return out;
}

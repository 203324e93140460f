/**
 * `npm run readme:table`: runs the main job (`check --no-gen --workers 1 --json`) and rewrites the
 * verdict table block of README.md, header sentence included. The one source of that table.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../src/dsl/source.ts';
import { renderBlock, replaceBlock, runMainJob, formatWall } from '../src/report/readme-table.ts';

const readmePath = path.join(PROJECT_ROOT, 'README.md');
const { results, wallSeconds } = await runMainJob();
fs.writeFileSync(readmePath, replaceBlock(fs.readFileSync(readmePath, 'utf8'), renderBlock(results, wallSeconds)));
const bad = results.filter((r) => !r.matchesExpected);
console.log(`README.md: ${results.length} results written (${bad.length} not matching), the run took ${formatWall(wallSeconds)}`);

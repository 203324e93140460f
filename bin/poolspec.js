#!/usr/bin/env node
// The `poolspec` command: registers tsx so specs (TypeScript) and the sources load directly, and a
// hook that loads .ts specs as ES modules wherever they are (a folder with no package.json too).
import { register } from 'tsx/esm/api';
import { register as registerHooks } from 'node:module';

register();
registerHooks(new URL('../src/cli/esm-ts-hook.mjs', import.meta.url));
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2), { guards: true });

#!/usr/bin/env node
// The `poolspec` command: registers tsx so specs (TypeScript) and the sources load directly.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));

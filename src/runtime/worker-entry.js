// Worker threads do not inherit the TypeScript loader: register tsx here (and the hook that loads
// .ts specs as ES modules wherever they are), then load the real module.
import { register } from 'tsx/esm/api';
import { register as registerHooks } from 'node:module';
import { workerData } from 'node:worker_threads';

register();
registerHooks(new URL('../cli/esm-ts-hook.mjs', import.meta.url));
await import(workerData.entry);

// Worker threads do not inherit the TypeScript loader: register tsx here, then load the real module.
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.entry);

/** One simulation worker thread of sim-pool.ts: runs its share and posts the result. */
import { parentPort, workerData } from 'node:worker_threads';
import type { Model } from '../../dsl/ir.ts';
import type { SimulateOptions } from '../simulate.ts';
import { machine } from '../step.ts';
import { simulateFast } from './simulate.ts';

const { model, config, opts, index, workers, stop } = workerData as {
  model: Model; config: string; opts: SimulateOptions; index: number; workers: number; stop: Int32Array;
};
try {
  const value = simulateFast(machine(model, config), opts, { index, workers, stop, countDistinct: workers === 1 });
  parentPort!.postMessage({ ok: true, value });
} catch (err) {
  parentPort!.postMessage({ ok: false, message: (err as Error)?.message ?? String(err) });
}

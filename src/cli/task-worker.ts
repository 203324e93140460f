/**
 * The worker side of src/cli/tasks.ts: runs named tasks (spec loading, the engine) one
 * at a time and posts each result back. In a worker so that the main thread can end a task that
 * never finishes (a spec module stuck at load time, an exploration beyond --timeout).
 */
import { parentPort } from 'node:worker_threads';

type Task = (...args: never[]) => unknown;

/** The task running now, so that its progress reports reach the caller of that task. */
let current = 0;
const progress = (p: unknown) => parentPort!.postMessage({ id: current, progress: p });

const TASKS: Record<string, () => Promise<Task>> = {
  loadSpec: async () => (await import('../dsl/load.ts')).loadSpec as Task,
  checkWithEngine: async () => {
    const { checkWithEngine } = await import('../check/check.ts');
    return ((model: Parameters<typeof checkWithEngine>[0], config: Parameters<typeof checkWithEngine>[1]) =>
      checkWithEngine(model, config, { onProgress: progress })) as Task;
  },
};

parentPort!.on('message', async (msg: { id: number; task: string; args: unknown[] }) => {
  try {
    current = msg.id;
    const fn = await TASKS[msg.task]!();
    const value = await (fn as (...a: unknown[]) => unknown)(...msg.args);
    parentPort!.postMessage({ id: msg.id, ok: true, value });
  } catch (err) {
    parentPort!.postMessage({ id: msg.id, ok: false, message: (err as Error)?.message ?? String(err) });
  }
});
parentPort!.postMessage({ ready: true });

/**
 * The no-cache baseline (HAProxy built without pools, or DEBUG_NO_POOLS): there is no shared free
 * list; every allocation comes from the OS and every free gives the block back to the OS. It is the
 * reference the pools are measured against in `npm run bench:runtime` (with the runtime's policy
 * never keeping a block in the local cache), and it holds every property trivially.
 */
import { holds, protocol } from '../src/dsl/index.ts';
import { crowdedFree, poolProtocol } from './lib/pool.ts';

export default protocol('NoCachePool', (p) => {
  poolProtocol(p, {
    declare: () => ({}),
    pop({ t }) {
      t.label('nocache_alloc', 'pool_alloc_nocache: straight to the OS');
      t.step('nocache_alloc', { to: 'os' });
      return 'nocache_alloc';
    },
    push(c) {
      c.t.label('nocache_free', 'pool_free_nocache: free(ptr) to the OS');
      crowdedFree(c, 'nocache_free');
      return 'nocache_free';
    },
    flush({ t }) {
      t.label('nocache_flush', 'nothing to flush: there is no shared list');
      t.step('nocache_flush', { to: 'idle' });
      return 'nocache_flush';
    },
  });
  p.config('small', { constants: { T: 2, N: 2, OsFree: true, Flush: false }, expect: holds() });
  p.config('standard', { constants: { T: 3, N: 2, OsFree: true, Flush: true }, expect: holds() });
  p.config('flush', { constants: { T: 2, N: 2, OsFree: true, Flush: true }, expect: holds(), doc: 'small, with pool_flush' });
}, 'No pool: every allocation from the OS, every free to the OS (the baseline)');

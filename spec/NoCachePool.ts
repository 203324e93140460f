/**
 * The no-cache baseline (HAProxy built without pools, or DEBUG_NO_POOLS): there is no shared free
 * list; every allocation comes from the OS and every free gives the block back to the OS. It is the
 * reference the pools are measured against in `npm run bench:runtime` (with the runtime's policy
 * never keeping a block in the local cache), and it holds every property trivially.
 */
import { holds, protocol } from '../src/dsl/index.ts';
import { crowdedFree, poolConfigs, poolProtocol } from './lib/pool.ts';
import { at, forallThreads, isBlock, local, poolInductive, refinesAtomicPool } from './lib/proofs.ts';

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
  poolConfigs(p, {
    small: holds(), standard: holds(), flush: holds(),
    starvation: { expect: holds(), why: 'every operation is a fixed number of the thread\'s own steps and none waits for another thread' },
  });

  // ------------------------------------------------------------ proofs (poolspec prove, Refines)
  poolInductive(p, { pushLabels: ['nocache_free'], walkLabels: ['walk'], flushLabels: ['nocache_flush'] }, {
    FreeHasBlock: forallThreads((th) => at(th, 'nocache_free').implies(isBlock(local('blk').of(th)))),
  });
  refinesAtomicPool(p, { small: holds(), standard: holds() });
}, 'No pool: every allocation from the OS, every free to the OS (the baseline)');

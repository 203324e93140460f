/**
 * The no-cache baseline (HAProxy built without pools, or DEBUG_NO_POOLS): there is no shared free
 * list; every allocation comes from the OS and every free gives the block back to the OS. It is the
 * reference the pools are measured against in `npm run bench:runtime` (with the runtime's policy
 * never keeping a block in the local cache), and it holds every property trivially.
 */
import { holds, protocol } from '../src/dsl/index.ts';
import { nocacheDeclare, nocacheFlush, nocachePop, nocachePush } from './lib/nocache.ts';
import { poolConfigs, poolProtocol } from './lib/pool.ts';
import { at, forallThreads, isBlock, local, poolInductive, refinesAtomicPool } from './lib/proofs.ts';

export default protocol('NoCachePool', (p) => {
  poolProtocol(p, { declare: nocacheDeclare, pop: nocachePop, push: nocachePush, flush: nocacheFlush });
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

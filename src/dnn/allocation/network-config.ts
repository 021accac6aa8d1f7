/** What an allocation network is built from: scheme, tasks, problem parameters and sizes (Table I defaults). */
import { TABLE_I, type AllocationParams, type AllocationTask, type Scheme } from './tasks.js';

export interface NetworkConfig {
  scheme: Scheme;
  tasks: AllocationTask[];
  params: AllocationParams;
  /** d1..d6. */
  hiddenWidths: number[];
  routerHidden: number;
  gamma: number;
  routerMu: number;
  routerSigma: number;
  /**
   * Scale-normalise the rDNN hidden vector of each task to its initial norm (mu sqrt(T)).
   * Without it Adam shrinks a task's whole hidden vector and every mask of that task dies
   * at once (ReLU(tanh) has zero gradient at 0); see docs/allocation.md.
   */
  routerNorm: boolean;
  /**
   * Present each sample's gains in descending order and map the outputs back (both
   * problems are symmetric in the users, so this is exact). Lets the network learn
   * rank-based policies (water-filling) instead of discovering ranks itself.
   */
  sortInputs: boolean;
}

export function defaultNetworkConfig(scheme: Scheme, tasks: AllocationTask[], params: AllocationParams): NetworkConfig {
  return {
    scheme,
    tasks,
    params,
    hiddenWidths: [...TABLE_I.hiddenWidths],
    routerHidden: TABLE_I.routerHidden,
    gamma: TABLE_I.gamma,
    routerMu: TABLE_I.routerMu,
    routerSigma: TABLE_I.routerSigma,
    routerNorm: true,
    sortInputs: true,
  };
}

/**
 * Reads the user's kubeconfig (`$KUBECONFIG`, a path list, or
 * `~/.kube/config`) for its EKS clusters. A missing or unreadable file is
 * no clusters, never an error.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { clustersInKubeconfig } from '../live/discovery';
import type { ClusterTarget } from '../live/types';

const MAX_KUBECONFIG_BYTES = 4 * 1024 * 1024;

export function kubeconfigClusters(env: NodeJS.ProcessEnv = process.env): ClusterTarget[] {
  const files = env.KUBECONFIG ? env.KUBECONFIG.split(path.delimiter).filter((f) => f !== '') : [path.join(env.HOME ?? os.homedir(), '.kube', 'config')];
  const targets: ClusterTarget[] = [];
  for (const file of files) {
    try {
      if (fs.statSync(file).size > MAX_KUBECONFIG_BYTES) continue;
      targets.push(...clustersInKubeconfig(fs.readFileSync(file, 'utf8')));
    } catch {
      // Absent or unreadable: nothing to add.
    }
  }
  return targets;
}

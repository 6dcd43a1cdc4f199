/**
 * The parts of `@kubernetes/client-node` the live checks use, and only
 * those: `node/kubernetes.ts` imports this module lazily, and the bundler
 * keeps from the client what these names need (the whole client, with
 * every API group and model, is several times larger).
 */
export { CoreV1Api, KubeConfig, Observable } from '@kubernetes/client-node';

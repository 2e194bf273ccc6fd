import { runProgram } from "./program";

const stack = runProgram();

export const clusterName = stack.clusterName;
export const kubeconfig = stack.kubeconfig;
export const identity = stack.identity;
export const pools = stack.pools;

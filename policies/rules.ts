import { gpuCapacityCap } from "./capacity";
import { eksControlPlaneLogs, eksEndpointRestricted, eksSecretsEncrypted } from "./eks";
import { gpuRequestIsOneSlice, gpuSliceMemoryFits, gpuWorkloadToleratesGpuTaintAndSelectsGpuPool } from "./gpu";
import { iamNoWildcardMutations } from "./iam";
import { lambdaHasTimeoutLogRetentionAndDlq } from "./lambda";
import type { GpufleetRule } from "./policy-kit";
import { queueEncrypted, queueHasDlq, queueVisibilityCoversProcessing } from "./queue";
import { spotHasOnDemandFallback, spotPoolDiversified } from "./spot";
import { requiredCostTags } from "./tags";

/** The pack's name, as `pulumi preview --policy-pack` and `gpufleet plan` report it. */
export const POLICY_PACK_NAME = "gpufleet";

/** Every rule of the pack, listed explicitly: importing this module has no side effects. */
export const rules: readonly GpufleetRule[] = [
  gpuWorkloadToleratesGpuTaintAndSelectsGpuPool,
  gpuSliceMemoryFits,
  gpuRequestIsOneSlice,
  spotPoolDiversified,
  spotHasOnDemandFallback,
  queueEncrypted,
  queueHasDlq,
  queueVisibilityCoversProcessing,
  iamNoWildcardMutations,
  lambdaHasTimeoutLogRetentionAndDlq,
  eksSecretsEncrypted,
  eksEndpointRestricted,
  eksControlPlaneLogs,
  requiredCostTags,
  gpuCapacityCap,
];

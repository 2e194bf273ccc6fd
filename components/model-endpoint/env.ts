/**
 * The worker contract's environment variables. The names live in the shared kernel, where the
 * worker sidecar reads them too; re-exported here for the component's public API.
 */
export { isReservedEnvName, SIDECAR_ENV, WORKER_ENV } from "../../functions/contract";

/**
 * Entry point Pulumi's schema inference reads (it follows these exports to the components'
 * constructors and args). At run time the language host loads index.js, the same exports.
 * Only components whose args and outputs the inference accepts are listed; GpuCluster and
 * ModelEndpoint join when theirs do (README, "Other Pulumi languages").
 */
export { FleetControl } from "../components";

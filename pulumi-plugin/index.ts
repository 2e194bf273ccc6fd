/**
 * Entry point Pulumi's schema inference reads (it follows these exports to the components'
 * constructors and args). At run time the language host loads index.js, the same exports.
 */
export { ClusterAddons, FleetControl, GpuCluster, ModelEndpoint, ModelWorkload } from "../components";

export { ClusterAddons, FleetControl, GpuCluster, ModelEndpoint, ModelWorkload } from "../components";

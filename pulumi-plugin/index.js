const { ClusterAddons, FleetControl, GpuCluster, ModelEndpoint, ModelWorkload } = require("../components");
module.exports = { ClusterAddons, FleetControl, GpuCluster, ModelEndpoint, ModelWorkload };

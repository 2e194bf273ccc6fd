// The component classes the plugin host serves; index.ts declares the same exports for the schema.
const { ClusterAddons, FleetControl, GpuCluster, ModelEndpoint, ModelWorkload } = require("../components");

module.exports = { ClusterAddons, FleetControl, GpuCluster, ModelEndpoint, ModelWorkload };

// The component classes the plugin host serves; index.ts declares the same exports for the schema.
const { FleetControl } = require("../components");

module.exports = { FleetControl };

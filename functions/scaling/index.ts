/** The scaling an endpoint deploys and the inputs its autoscaler plans with: shared by components/ and sim/. */
export * from "./config";
export * from "./planning";
export * from "./queue";

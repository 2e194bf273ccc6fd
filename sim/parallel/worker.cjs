// A comparison's worker thread: TypeScript run in place, like the CLI (bin/gpufleet.cjs).
require("tsx/cjs/api").register();
require("./worker-main.ts");

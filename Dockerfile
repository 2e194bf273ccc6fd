# The gpufleet worker sidecar (`gpufleet worker`) and the scale-in packer (`gpufleet packer`):
# a bundled JavaScript file each on a distroless Node.js runtime. No shell, no package manager, runs as a numeric non-root user, writes
# nothing to disk, so it runs with a read-only root filesystem.
#
#   docker build -t <registry>/gpufleet-worker:<version> .
#   ModelEndpoint: sidecar.workerImage = "<registry>/gpufleet-worker:<version>"
#   GpuCluster:    addons.scaleInPacker.image = the same image (it runs /app/packer.js)

FROM node:22-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
# No install scripts: the bundle needs esbuild's prebuilt binary (an optional dependency), not them.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY functions ./functions
COPY components ./components
COPY cli ./cli
COPY worker ./worker
COPY packer ./packer
COPY scripts ./scripts
RUN npx tsx scripts/build-functions.ts

FROM gcr.io/distroless/nodejs22-debian12:nonroot
WORKDIR /app
COPY --from=build /src/build/worker/index.js /app/worker.js
COPY --from=build /src/build/packer/index.js /app/packer.js
# Numeric, so Kubernetes can verify runAsNonRoot.
USER 65532:65532
ENV NODE_ENV=production
EXPOSE 8081
# The base image's entrypoint is node; options come as arguments or GPUFLEET_* variables.
CMD ["/app/worker.js"]

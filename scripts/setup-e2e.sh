#!/usr/bin/env bash
# Builds the toolchain the end-to-end suite (npm run test:e2e) runs on: the Pulumi CLI, the
# Kubernetes provider plugin, the YAML language host (the suite's Pulumi YAML program uses the
# component package through it), etcd, kube-apiserver, kube-controller-manager and kubectl, all
# from source fetched through the Go module proxy, plus the pinned Helm charts the suite
# installs from local directories. Everything lands in a cache outside the repository:
#   ${GPUFLEET_E2E_CACHE:-$HOME/.cache/gpufleet-e2e}/{bin,charts}
# Idempotent: a step whose output exists is skipped, so a second run takes seconds.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: npm run setup:e2e   (or: bash scripts/setup-e2e.sh [--help])

Builds the end-to-end toolchain from the Go module proxy into
  ${GPUFLEET_E2E_CACHE:-$HOME/.cache/gpufleet-e2e}
Needs: Go >= 1.24, Node.js, openssl, about 15 GB of disk for the Go build cache.
A cold run takes about 75 minutes or more on 2 cores; later runs skip what is built.
Environment: GPUFLEET_E2E_CACHE  cache directory (default ~/.cache/gpufleet-e2e)
EOF
}
if [ "${1:-}" = "--help" ] || [ "${1:-}" = "-h" ]; then
  usage
  exit 0
fi

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/e2e/versions.sh
source "$root/scripts/e2e/versions.sh"

cache="${GPUFLEET_E2E_CACHE:-$HOME/.cache/gpufleet-e2e}"
bin="$cache/bin"
work="$cache/build"
mkdir -p "$bin" "$work"
export GOWORK=off GOFLAGS=-mod=mod GOTOOLCHAIN=local

for tool in go node openssl; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "gpufleet e2e: '$tool' is required on PATH to build the toolchain." >&2
    exit 1
  fi
done

log() { echo "gpufleet e2e: $*" >&2; }
started_all=$(date +%s)
log "building the toolchain into $cache (a cold run takes ~75+ min on 2 cores; built steps are skipped)"

# Runs one named step unless its output exists, and reports how long it took.
step() {
  local name="$1" output="$2"
  shift 2
  if [ -e "$output" ]; then
    log "$name: already built ($output)"
    return
  fi
  local t0
  t0=$(date +%s)
  log "$name: building..."
  "$@"
  log "$name: done in $(($(date +%s) - t0)) s"
}

# Prints the directory of a module version in the module cache, downloading it first.
module_dir() {
  go mod download -json "$1" | node -e '
    let s = ""; process.stdin.on("data", (c) => (s += c)).on("end", () => {
      const m = JSON.parse(s);
      if (m.Error || !m.Dir) { console.error(m.Error || "no Dir in go mod download output"); process.exit(1); }
      console.log(m.Dir);
    });'
}

# Copies a module out of the read-only module cache into a writable build directory.
writable_copy() {
  rm -rf "$2"
  mkdir -p "$(dirname "$2")"
  cp -r "$1" "$2"
  chmod -R u+w "$2"
}

build_pulumi() {
  local dir="$work/pulumi"
  writable_copy "$(module_dir "github.com/pulumi/pulumi/pkg/v3@$PULUMI_VERSION")" "$dir/pkg"
  writable_copy "$(module_dir "github.com/pulumi/pulumi/sdk/v3@$PULUMI_VERSION")" "$dir/sdk"
  (cd "$dir/pkg" && go build \
    -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$PULUMI_VERSION" \
    -o "$bin/pulumi" ./cmd/pulumi)
}

build_kubernetes_provider() {
  local dir="$work/pulumi-kubernetes/provider"
  writable_copy "$(module_dir "github.com/pulumi/pulumi-kubernetes/provider/v4@$KUBERNETES_PROVIDER_MODULE")" "$dir"
  # The upstream module points its own SDK at a sibling directory the module zip lacks.
  (cd "$dir" && go mod edit -dropreplace=github.com/pulumi/pulumi-kubernetes/sdk/v4)
  # generate.go stamps the version into the schema the provider embeds.
  (cd "$dir/cmd/pulumi-resource-kubernetes" && VERSION="$KUBERNETES_PROVIDER_VERSION" go generate .)
  (cd "$dir" && go build \
    -ldflags "-X github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version=$KUBERNETES_PROVIDER_VERSION" \
    -o "$bin/pulumi-resource-kubernetes" ./cmd/pulumi-resource-kubernetes)
}

build_etcd() {
  local dir="$work/etcd"
  writable_copy "$(module_dir "go.etcd.io/etcd/server/v3@$ETCD_VERSION")" "$dir"
  # The module's replace lines point at sibling modules of the etcd repository; use the released ones.
  (cd "$dir" && for r in $(go mod edit -json | node -e '
      let s = ""; process.stdin.on("data", (c) => (s += c)).on("end", () => {
        for (const r of JSON.parse(s).Replace || []) if (r.New.Path.startsWith("../")) console.log(r.Old.Path);
      });'); do go mod edit -dropreplace="$r" -require="$r@$ETCD_VERSION"; done)
  (cd "$dir" && go build -o "$bin/etcd" .)
}

build_kubernetes() {
  local dir="$work/kubernetes"
  writable_copy "$(module_dir "k8s.io/kubernetes@$KUBERNETES_VERSION")" "$dir"
  # k8s.io/kubernetes resolves its k8s.io/* libraries from ./staging, which the module zip lacks;
  # pin each to the published release of the same minor instead.
  # Staging modules that k8s.io/kubernetes does not require (the samples) only lose their replace line.
  (cd "$dir" && go mod edit -json | node -e '
      let s = ""; process.stdin.on("data", (c) => (s += c)).on("end", () => {
        const mod = JSON.parse(s);
        const required = new Set((mod.Require || []).map((r) => r.Path));
        for (const r of mod.Replace || []) {
          if (r.New.Path.startsWith("./staging")) console.log(required.has(r.Old.Path) ? "pin" : "drop", r.Old.Path);
        }
      });' | while read -r action module; do
        if [ "$action" = pin ]; then
          go mod edit -dropreplace="$module" -require="$module@$KUBERNETES_LIBRARY_VERSION"
        else
          go mod edit -dropreplace="$module"
        fi
      done)
  (cd "$dir" && go build -o "$bin/kube-apiserver" ./cmd/kube-apiserver)
  (cd "$dir" && go build -o "$bin/kube-controller-manager" ./cmd/kube-controller-manager)
  (cd "$dir" && go build -o "$bin/kubectl" ./cmd/kubectl)
}

build_pulumi_yaml() {
  local dir="$work/pulumi-yaml"
  writable_copy "$(module_dir "github.com/pulumi/pulumi-yaml@$PULUMI_YAML_VERSION")" "$dir"
  (cd "$dir" && go build \
    -ldflags "-X github.com/pulumi/pulumi-yaml/pkg/version.Version=$PULUMI_YAML_VERSION" \
    -o "$bin/pulumi-language-yaml" ./cmd/pulumi-language-yaml)
}

# Assembles the stand-in add-on charts (tests/e2e/charts) with KEDA's real CRDs. Always
# refreshed: it takes a second and keeps the cache in step with the repository.
assemble_charts() {
  local charts="$cache/charts"
  rm -rf "$charts"
  mkdir -p "$charts"
  cp -r "$root/tests/e2e/charts/keda" "$root/tests/e2e/charts/nvidia-device-plugin" \
    "$root/tests/e2e/charts/cluster-autoscaler" "$charts/"
  mkdir -p "$charts/keda/crds"
  cp "$(module_dir "github.com/kedacore/keda/v2@$KEDA_VERSION")"/config/crd/bases/*.yaml "$charts/keda/crds/"
  chmod -R u+w "$charts"
}

# Keys the test apiserver signs service account tokens with.
generate_keys() {
  mkdir -p "$cache/pki"
  openssl genrsa -out "$cache/pki/sa.key" 2048 2>/dev/null
  openssl rsa -in "$cache/pki/sa.key" -pubout -out "$cache/pki/sa.pub" 2>/dev/null
}

t0=$(date +%s)
assemble_charts
log "charts: assembled in $cache/charts in $(($(date +%s) - t0)) s"
step "service account signing keys" "$cache/pki/sa.pub" generate_keys
step "Pulumi CLI $PULUMI_VERSION" "$bin/pulumi" build_pulumi
step "pulumi-language-yaml $PULUMI_YAML_VERSION" "$bin/pulumi-language-yaml" build_pulumi_yaml
step "etcd $ETCD_VERSION" "$bin/etcd" build_etcd
step "kube-apiserver, kube-controller-manager, kubectl $KUBERNETES_VERSION" "$bin/kubectl" build_kubernetes
step "pulumi-resource-kubernetes $KUBERNETES_PROVIDER_VERSION" "$bin/pulumi-resource-kubernetes" build_kubernetes_provider

log "toolchain ready in $bin (total $(($(date +%s) - started_all)) s)"

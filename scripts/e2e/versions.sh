# Pinned versions of the end-to-end toolchain and chart fixtures (sourced by setup-e2e.sh).
# shellcheck disable=SC2034
PULUMI_VERSION=v3.248.0
# The Go module proxy serves provider/v4 only as a pseudo-version; it is installed as the plugin
# version the @pulumi/kubernetes package in package.json asks for.
KUBERNETES_PROVIDER_MODULE=v4.0.0-20260115033456-f47bc2d6f199
KUBERNETES_PROVIDER_VERSION=4.34.2
KUBERNETES_VERSION=v1.34.4
KUBERNETES_LIBRARY_VERSION=v0.34.4
ETCD_VERSION=v3.6.16
KEDA_VERSION=v2.17.2
# The YAML language host, so the suite can run a non-TypeScript program that uses a component.
PULUMI_YAML_VERSION=v1.25.0

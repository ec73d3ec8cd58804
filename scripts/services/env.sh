# Shared locations of the services the tests use. Sourced by scripts/test.sh and the service scripts.
export DHARMA_SERVICES_DIR="${DHARMA_SERVICES_DIR:-$PWD/.services}"
mkdir -p "$DHARMA_SERVICES_DIR"

# Sourced by ops/run and ops/test: installs what is missing on a fresh Debian machine of this kind.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# apt_install PACKAGE... : installs the Debian packages that are not installed yet.
apt_install() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "Installing ${missing[*]} (apt-get)"
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

ensure_dotnet() {
  command -v dotnet >/dev/null || { echo "The .NET 10 SDK (dotnet) is required and not on PATH." >&2; exit 1; }
}

# The local package folder: the Patched.DistributedLock.Core stand-in Marten needs (see README.md).
ensure_local_packages() {
  if [ ! -f "$ROOT/.packages/Patched.DistributedLock.Core.1.0.11.nupkg" ]; then
    say "Packing the local Patched.DistributedLock.Core shim into .packages/"
    mkdir -p "$ROOT/.packages"
    dotnet pack "$ROOT/ops/nuget-shim/Patched.DistributedLock.Core.csproj" -v q --nologo >/dev/null
  fi
}

ensure_postgres() {
  # Only needed when we run our own cluster.
  [ -x /usr/lib/postgresql/15/bin/initdb ] || apt_install postgresql
}

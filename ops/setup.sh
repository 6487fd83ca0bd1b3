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

# Marten's leader election (the async daemon in HotCold mode) needs the real Patched.DistributedLock.Core, which the
# registry now serves. Machines that restored the old metadata-only stand-in of the same id and version keep it in the
# NuGet cache, where it would shadow the real package: drop it, so the next restore fetches the real one (see README.md).
ensure_local_packages() {
  local cached="${NUGET_PACKAGES:-$HOME/.nuget/packages}/patched.distributedlock.core/1.0.11"
  if [ -d "$cached" ] && [ ! -d "$cached/lib" ]; then
    say "Dropping the old Patched.DistributedLock.Core stand-in from the NuGet cache"
    rm -rf "$cached"
  fi
}

ensure_postgres() {
  # Only needed when we run our own cluster.
  [ -x /usr/lib/postgresql/15/bin/initdb ] || apt_install postgresql
}

# write_sections DOC TITLE INTRO DIR KEEP: writes DOC as TITLE, INTRO and its "## " sections. Each section in DIR (a
# file starting with its heading, written by this run) is stamped with the commit, day and load, and replaces the
# section of the same heading; with KEEP=yes the sections of earlier runs stay where they were, so a run of one suite
# rewrites only its own (they are read back from DOC itself: a fresh clone has no other copy).
write_sections() {
  local doc=$1 title=$2 intro=$3 dir=$4 keep=$5 stamp old new section heading
  stamp="_Run on $(date -u +%Y-%m-%d) at commit $(git -C "$ROOT" rev-parse --short HEAD), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at its end._"
  for section in "$dir"/*.md; do [ -e "$section" ] && sed -i "1a\\\n$stamp" "$section"; done
  old=$(mktemp -d)
  if [ "$keep" = yes ] && [ -f "$doc" ]; then
    awk -v d="$old" '/^## /{n++; f=sprintf("%s/%03d.md", d, n)} n>0{print > f}' "$doc"
  fi
  trimmed() { awk '{line[NR]=$0} NF{last=NR} END{for(i=1;i<=last;i++) print line[i]}' "$1"; }
  {
    echo "$title"; echo; echo "$intro"
    for section in "$old"/*.md; do
      if [ ! -e "$section" ]; then continue; fi
      heading=$(head -n1 "$section"); new=$(grep -lxF -- "$heading" "$dir"/*.md 2>/dev/null | head -n1 || true)
      echo; if [ -n "$new" ]; then trimmed "$new"; touch "$new.used"; else trimmed "$section"; fi
    done
    for section in "$dir"/*.md; do
      if [ -e "$section" ] && [ ! -e "$section.used" ]; then echo; trimmed "$section"; fi
    done
  } > "$doc.new"
  mv "$doc.new" "$doc"
  rm -rf "$old"
}

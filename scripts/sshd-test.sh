#!/usr/bin/env bash
# A throwaway OpenSSH server on 127.0.0.1 for the PowerShell-remoting-over-SSH
# tests (host/tests/SshRemoting.Tests.ps1). Loopback only, key auth only.
#
#   scripts/sshd-test.sh start DIR PORT   create DIR (keys, config, tmp), start sshd,
#                                         wait until PORT accepts connections, print
#                                         port=, key=, known_hosts=, ssh_config=, pwsh= lines
#   scripts/sshd-test.sh stop DIR         stop the sshd started for DIR (by its pid file)
#
# The powershell subsystem is the pwsh apphost of the PowerShell dotnet tool
# pinned in .config/dotnet-tools.json, found in the NuGet packages folder
# ($NUGET_PACKAGES, else ~/.nuget/packages). Needs /usr/sbin/sshd (Debian:
# apt-get install -y openssh-server) and ssh-keygen, and must run as a user
# that may create /run/sshd (root in CI containers).
set -euo pipefail

die() { echo "sshd-test: $*" >&2; exit 1; }
usage() { die "usage: $0 start DIR PORT | stop DIR"; }

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sshd_bin=/usr/sbin/sshd

find_pwsh() {
  local tools="$repo_root/.config/dotnet-tools.json" version packages candidate
  [[ -f "$tools" ]] || die "missing $tools"
  version="$(sed -n '/"powershell"/,/}/s/.*"version"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' "$tools" | head -n 1)"
  [[ -n "$version" ]] || die "no powershell version in $tools"
  packages="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
  for candidate in "$packages"/powershell/"$version"/tools/*/any/unix/pwsh; do
    if [[ -f "$candidate" ]]; then
      [[ -x "$candidate" ]] || die "pwsh apphost $candidate is not executable"
      echo "$candidate"
      return 0
    fi
  done
  die "pwsh $version is not installed: no $packages/powershell/$version/tools/*/any/unix/pwsh (run 'dotnet tool restore')"
}

port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

start() {
  local dir="$1" port="$2" pwsh dotnet_root="" pid i
  [[ "$port" =~ ^[0-9]+$ ]] && (( port >= 1024 && port <= 65535 )) || die "PORT must be a number from 1024 to 65535, got '$port'"
  [[ -x "$sshd_bin" ]] || die "sshd is not installed ($sshd_bin missing): apt-get install -y openssh-server"
  command -v ssh-keygen >/dev/null 2>&1 || die "ssh-keygen is not installed: apt-get install -y openssh-client"
  pwsh="$(find_pwsh)"
  if port_open "$port"; then die "127.0.0.1:$port is already in use"; fi

  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  [[ "$dir" =~ ^[A-Za-z0-9_./-]+$ ]] || die "DIR must be a path of letters, digits and _ . / - (sshd_config cannot quote it): $dir"
  [[ ! -f "$dir/sshd.pid" ]] || die "$dir/sshd.pid exists: run '$0 stop $dir' first"
  mkdir -p /run/sshd 2>/dev/null || die "cannot create /run/sshd (sshd's privilege separation directory); run as root"
  chmod 0755 /run/sshd 2>/dev/null || true

  mkdir -p "$dir/tmp"
  rm -f "$dir/ssh_host_ed25519_key" "$dir/ssh_host_ed25519_key.pub" "$dir/client_key" "$dir/client_key.pub"
  ssh-keygen -q -t ed25519 -N '' -C "snapready-test-host" -f "$dir/ssh_host_ed25519_key"
  ssh-keygen -q -t ed25519 -N '' -C "snapready-test-client" -f "$dir/client_key"
  cp "$dir/client_key.pub" "$dir/authorized_keys"
  chmod 600 "$dir/client_key" "$dir/ssh_host_ed25519_key" "$dir/authorized_keys"
  echo "[127.0.0.1]:$port $(cut -d' ' -f1,2 "$dir/ssh_host_ed25519_key.pub")" > "$dir/known_hosts"

  # The apphost finds the .NET runtime through DOTNET_ROOT when dotnet is not
  # in a default location; sshd starts subsystems with a minimal environment.
  if command -v dotnet >/dev/null 2>&1; then
    dotnet_root="$(dirname "$(readlink -f "$(command -v dotnet)")")"
  fi

  {
    echo "ListenAddress 127.0.0.1"
    echo "Port $port"
    echo "HostKey $dir/ssh_host_ed25519_key"
    echo "PermitRootLogin prohibit-password"
    echo "PasswordAuthentication no"
    echo "KbdInteractiveAuthentication no"
    echo "PubkeyAuthentication yes"
    echo "AuthorizedKeysFile $dir/authorized_keys"
    echo "StrictModes no"
    echo "UsePAM no"
    echo "PidFile $dir/sshd.pid"
    echo "LogLevel VERBOSE"
    # Sessions get their own temp folder (DIR/tmp), so what a test copies to
    # the "remote" side stays in DIR.
    if [[ -n "$dotnet_root" && "$dotnet_root" =~ ^[A-Za-z0-9_./-]+$ ]]; then
      echo "SetEnv DOTNET_ROOT=$dotnet_root TMPDIR=$dir/tmp"
    else
      echo "SetEnv TMPDIR=$dir/tmp"
    fi
    echo "Subsystem powershell $pwsh -sshs -NoLogo -NoProfile"
  } > "$dir/sshd_config"

  {
    echo "Host 127.0.0.1"
    echo "  Port $port"
    echo "  User root"
    echo "  IdentityFile $dir/client_key"
    echo "  IdentitiesOnly yes"
    echo "  UserKnownHostsFile $dir/known_hosts"
    echo "  StrictHostKeyChecking yes"
    echo "  BatchMode yes"
  } > "$dir/ssh_config"

  "$sshd_bin" -t -f "$dir/sshd_config" || die "sshd rejected $dir/sshd_config"
  "$sshd_bin" -f "$dir/sshd_config" -E "$dir/sshd.log"

  for (( i = 0; i < 100; i++ )); do
    if port_open "$port"; then
      echo "port=$port"
      echo "key=$dir/client_key"
      echo "known_hosts=$dir/known_hosts"
      echo "ssh_config=$dir/ssh_config"
      echo "pwsh=$pwsh"
      return 0
    fi
    sleep 0.1
  done
  pid="$(cat "$dir/sshd.pid" 2>/dev/null || true)"
  [[ -n "$pid" ]] && kill "$pid" 2>/dev/null || true
  die "sshd did not accept connections on 127.0.0.1:$port within 10 s (see $dir/sshd.log)"
}

stop() {
  local dir="$1" pid i
  [[ -f "$dir/sshd.pid" ]] || { echo "sshd-test: no $dir/sshd.pid, nothing to stop" >&2; return 0; }
  pid="$(cat "$dir/sshd.pid")"
  [[ "$pid" =~ ^[0-9]+$ ]] || die "$dir/sshd.pid does not hold a process id"
  # Only the sshd started for this DIR: its command line names DIR/sshd_config.
  if [[ -r "/proc/$pid/cmdline" ]] && tr '\0' ' ' < "/proc/$pid/cmdline" | grep -qF "$dir/sshd_config"; then
    kill "$pid"
    for (( i = 0; i < 50; i++ )); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
  fi
  rm -f "$dir/sshd.pid"
}

[[ $# -ge 1 ]] || usage
case "$1" in
  start) [[ $# -eq 3 ]] || usage; start "$2" "$3" ;;
  stop) [[ $# -eq 2 ]] || usage; stop "$(cd "$2" 2>/dev/null && pwd || echo "$2")" ;;
  *) usage ;;
esac

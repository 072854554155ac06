# Shared helpers of the project's scripts: ./jlocust, ./run-tests, .ci/run, bench/run,
# bench/master-merge/run and bench/http-clients/run source this file (it runs nothing itself,
# sets no shell options and defines only functions and constants).
#
#   . "$(dirname "${BASH_SOURCE[0]}")/bin/lib.sh"

JLOCUST_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# the JDK the project builds, tests and benchmarks with (the code compiles with --release 21)
TEMURIN_25=/usr/lib/jvm/temurin-25-jdk-amd64
# The launcher's JVM options beyond heap and GC, for every script that starts jlocust's JVM:
# native access for OSHI's JNA; --add-opens lets a master or an OTel recorder add its compiler
# directive for 80 ms of CPU instead of 0.6 s; JDKs before 23 ignore the option they lack.
JLOCUST_JVM_OPTIONS=(--enable-native-access=ALL-UNNAMED --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED
                     -XX:+IgnoreUnrecognizedVMOptions --sun-misc-unsafe-memory-access=allow)

# ---------------------------------------------------------------- JDK

# The feature version of a java binary (21, 25, ...).
java_major() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -n1; }

# jdk_home CANDIDATE...: prints the first candidate that is a JDK (java and javac) of version 21 or
# newer. Empty candidates are skipped; "any" stands for every JDK under /usr/lib/jvm and then the
# one the javac on PATH belongs to.
jdk_home() {
  local c home v homes=()
  for c in "$@"; do
    if [ "$c" = any ]; then
      for home in /usr/lib/jvm/*; do homes+=("$home"); done
      if command -v javac >/dev/null 2>&1; then homes+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")"); fi
    elif [ -n "$c" ]; then
      homes+=("$c")
    fi
  done
  for home in "${homes[@]}"; do
    [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || continue
    v=$(java_major "$home/bin/java")
    if [ -n "$v" ] && [ "${v%%.*}" -ge 21 ] 2>/dev/null; then echo "$home"; return 0; fi
  done
  return 1
}

# use_jdk SCRIPT CANDIDATE...: exports JAVA_HOME as jdk_home chooses it, or tells the user what to
# install and exits 2.
use_jdk() {
  local who=$1 home
  shift
  if ! home=$(jdk_home "$@"); then
    echo "$who: no JDK 21 or newer found. Install one (for example: apt-get install -y openjdk-21-jdk) or set JAVA_HOME." >&2
    exit 2
  fi
  export JAVA_HOME=$home
}

# ---------------------------------------------------------------- packages and builds

# ensure_packages SCRIPT PACKAGE=FILE...: installs the Debian packages whose FILE is missing (as
# root, with apt-get); otherwise prints the command that would and exits 2.
ensure_packages() {
  local who=$1 spec missing=()
  shift
  for spec in "$@"; do [ -e "${spec#*=}" ] || missing+=("${spec%%=*}"); done
  [ "${#missing[@]}" -gt 0 ] || return 0
  if [ "$(id -u)" != 0 ]; then
    echo "$who: missing ${missing[*]}; install with:" >&2
    echo "  sudo apt-get install -y ${missing[*]}" >&2
    exit 2
  fi
  echo "$who: installing ${missing[*]} (apt-get)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# mvnw_logged LOG ARGS...: ./mvnw -q -B ARGS at the root, its output into LOG; when the build
# fails, prints LOG (with -q, the warnings and errors) and returns 1.
mvnw_logged() {
  local log=$1
  shift
  (cd "$JLOCUST_ROOT" && ./mvnw -q -B "$@") >"$log" 2>&1 || { cat "$log" >&2; return 1; }
}

# ---------------------------------------------------------------- benchmark scripts

# usage [STATUS]: prints the comment block at the top of the calling script without its "# " (its
# --help), and exits with STATUS (0).
usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit "${1:-0}"; }

# require_whole_numbers VAR...: exits 2 naming the first variable whose value is not a whole number.
require_whole_numbers() {
  local v
  for v in "$@"; do
    case "${!v}" in ''|*[!0-9]*) echo "${v,,} must be a whole number" >&2; exit 2 ;; esac
  done
}

# A line into $RUN_DIR/run.log and on the terminal, with the UTC time.
log() { echo "[$(date -u +%H:%M:%S)] $*" | tee -a "$RUN_DIR/run.log"; }

# A TCP port of 127.0.0.1 that nothing listens on, below the kernel's ephemeral range.
free_port() {
  local p
  for _ in $(seq 100); do
    p=$((20000 + RANDOM % 12000))
    if ! ss -Hltn "sport = :$p" | grep -q .; then echo "$p"; return 0; fi
  done
  return 1
}

# stop_pid PID [SIGNAL] [TENTHS]: signals PID (TERM), waits up to TENTHS tenths of a second
# (50) for it to end, then kills it.
stop_pid() {
  local p=$1 sig=${2:-TERM} waits=${3:-50}
  [ -n "$p" ] && kill -0 "$p" 2>/dev/null || return 0
  kill -"$sig" "$p" 2>/dev/null || true
  for _ in $(seq "$waits"); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$p" 2>/dev/null || true
  wait "$p" 2>/dev/null || true
}

# utime+stime of a pid, in clock ticks (/proc/PID/stat).
proc_ticks() {
  local s; s=$(<"/proc/$1/stat"); s=${s##*) }
  awk '{print $12 + $13}' <<<"$s"
}

# The machine and JVM lines every benchmark records first: env_header JAVA.
env_header() {
  echo "date_utc: $(date -u +%FT%TZ)"
  echo "nproc: $(nproc)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
  echo "kernel: $(uname -r)"
  echo "java: $("$1" -version 2>&1 | head -2 | tail -1)"
}

# csv_aggregated FILE COLUMN...: the named columns of the Aggregated row of a Locust-format
# _stats.csv, on one line (nothing when the file is missing).
csv_aggregated() {
  local file=$1
  shift
  local IFS='|'
  awk -F',' -v want="$*" '
    NR == 1 { for (i = 1; i <= NF; i++) { gsub(/"/, "", $i); col[$i] = i }; n = split(want, w, "|"); next }
    { name = $(col["Name"]); gsub(/"/, "", name) }
    name == "Aggregated" { line = ""; for (i = 1; i <= n; i++) { v = $(col[w[i]]); gsub(/"/, "", v); line = line (i > 1 ? " " : "") v }
                           print line }' \
    "$file" 2>/dev/null || true
}

# nginx_www DIR BYTES: DIR/www/file.txt of BYTES bytes (x's and a newline), readable by nginx's
# workers, which run as an unprivileged user when nginx is started as root.
nginx_www() {
  chmod 755 "$1"
  mkdir -p "$1/www"
  head -c $(($2 - 1)) /dev/zero | tr '\0' 'x' >"$1/www/file.txt"
  echo >>"$1/www/file.txt"
  chmod 755 "$1/www"; chmod 644 "$1/www/file.txt"
}

# tls_certificate DIR: a self-signed ECDSA P-256 certificate for 127.0.0.1 and localhost, valid
# for two days, as DIR/cert.pem and its unencrypted key as DIR/key.pem (openssl).
tls_certificate() {
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=127.0.0.1 \
    -addext subjectAltName=IP:127.0.0.1,DNS:localhost -keyout "$1/key.pem" -out "$1/cert.pem" >/dev/null 2>&1
}

# launch_nginx DIR WWW CPU PORT [EXTRA_PORT...]: a private nginx (one worker pinned to CPU, access
# log off, /nginx-status) serving WWW on 127.0.0.1:PORT and the extra ports (one source address
# holds only ~28k connections to one destination port). Its pid file, logs and temp files go to
# DIR; its pid lands in LAUNCHED_PID. Returns 1 when it does not serve WWW/file.txt within 5 s.
# With NGINX_TLS set to a directory holding cert.pem and key.pem (tls_certificate), it serves
# HTTPS instead: TLS 1.3 only, and one line per request into DIR/tls.log (buffered): whether the
# handshake resumed a session ("r" or "."), the connection's request number (1: a new
# connection), protocol and cipher.
# With NGINX_HTTP2=1 every port speaks HTTP/2 too: over TLS (NGINX_TLS) as ALPN negotiates it,
# beside HTTP/1.1; in clear text with prior knowledge only (h2c: nginx 1.22 then answers no
# HTTP/1.1). It then logs one line per request into DIR/http2.log instead (buffered): the
# request's protocol (HTTP/2.0, HTTP/1.1), its connection's serial number and the TLS protocol
# ("-" in clear text). The status reads are never logged.
launch_nginx() {
  local dir=$1 www=$2 cpu=$3 port=$4
  shift 4
  local ssl="" tls_conf="" log_conf="  access_log off;" scheme=http probe=()
  if [ -n "${NGINX_TLS:-}" ]; then
    ssl=" ssl"; scheme=https
    log_conf="  log_format tls '\$ssl_session_reused \$connection_requests \$ssl_protocol \$ssl_cipher';
  access_log $dir/tls.log tls buffer=256k flush=1s;"
    tls_conf="    ssl_certificate $NGINX_TLS/cert.pem;
    ssl_certificate_key $NGINX_TLS/key.pem;
    ssl_protocols TLSv1.3;"
  fi
  if [ -n "${NGINX_HTTP2:-}" ]; then
    ssl="$ssl http2"
    log_conf="  log_format http2 '\$server_protocol \$connection \$ssl_protocol';
  access_log $dir/http2.log http2 buffer=256k flush=1s;"
    [ -n "${NGINX_TLS:-}" ] || probe=(--http2-prior-knowledge)
  fi
  local listens="    listen 127.0.0.1:$port$ssl;"
  local p
  for p in "$@"; do listens="$listens
    listen 127.0.0.1:$p$ssl;"; done
  cat >"$dir/nginx.conf" <<EOF
worker_processes 1;
worker_rlimit_nofile 300000;
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 250000; }
http {
$log_conf
  default_type text/plain;
  keepalive_requests 1000000;
  keepalive_timeout 120;
  client_body_temp_path $dir/client_body;
  proxy_temp_path $dir/proxy;
  fastcgi_temp_path $dir/fastcgi;
  uwsgi_temp_path $dir/uwsgi;
  scgi_temp_path $dir/scgi;
  server {
$listens
$tls_conf
    root $www;
    location = /nginx-status { stub_status; access_log off; }
  }
}
EOF
  (ulimit -n 300000 2>/dev/null || ulimit -n "$(ulimit -Hn)"
   exec taskset -c "$cpu" nginx -p "$dir/" -e "$dir/error.log" -c "$dir/nginx.conf") \
    >"$dir/nginx.out" 2>&1 &
  LAUNCHED_PID=$!
  for _ in $(seq 50); do
    kill -0 "$LAUNCHED_PID" 2>/dev/null || { LAUNCHED_PID=""; return 1; }
    if curl -fsSk "${probe[@]}" -o /dev/null "$scheme://127.0.0.1:$port/file.txt" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  return 1
}

# The pid of an nginx master's (only) worker.
nginx_worker_pid() { tr ' ' '\n' <"/proc/$1/task/$1/children" | grep -m1 . || true; }

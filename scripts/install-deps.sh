#!/usr/bin/env bash
# Installs every build and test dependency from Debian 12's packages (root, or sudo when not root).
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends \
  build-essential cmake ninja-build pkg-config ccache git ca-certificates \
  libboost-dev libssl-dev openssl libyaml-cpp-dev libre2-dev nlohmann-json3-dev \
  libgtest-dev libgmock-dev libbenchmark-dev \
  python3 python3-yaml python3-pytest \
  clang-format node-llhttp curl libnghttp2-dev nghttp2-client \
  pybind11-dev python3-numpy python3-matplotlib python3-distributed \
  libngtcp2-dev libngtcp2-crypto-gnutls-dev libnghttp3-dev libgnutls28-dev ngtcp2-client ngtcp2-server \
  redis-server libhiredis-dev libgoogle-perftools-dev \
  nginx-light haproxy wrk >/dev/null

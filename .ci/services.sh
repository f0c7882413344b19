#!/usr/bin/env bash
# Starts PostgreSQL, NATS (JetStream) and Mosquitto if they are down, and fails clearly if one cannot start.
set -uo pipefail

up() { (echo >"/dev/tcp/127.0.0.1/$1") >/dev/null 2>&1; }

wait_for() {
  local name=$1 port=$2
  for _ in $(seq 1 30); do
    up "$port" && { echo "$name is up on 127.0.0.1:$port"; return 0; }
    sleep 1
  done
  echo "FATAL: $name did not come up on 127.0.0.1:$port" >&2
  return 1
}

if ! up 5432; then
  echo "starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
fi
wait_for PostgreSQL 5432 || exit 1

if ! up 4222; then
  echo "starting NATS with JetStream"
  mkdir -p /var/lib/nats-server
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- \
    -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log || true
fi
wait_for NATS 4222 || exit 1

if ! up 1883; then
  echo "starting Mosquitto"
  mosquitto -d -c /etc/mosquitto/mosquitto.conf || true
fi
wait_for Mosquitto 1883 || exit 1

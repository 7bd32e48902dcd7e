#!/usr/bin/env bash
# Issue #16 item 2: a JSON API route in Hono (testdata/apps/hono-api: ~20 routes, a parameter,
# c.json of a small object), GET /api/users/:id, served by edgerun, by bare workerd running the
# same bundle (workerd from tools/workerd's committed lockfile, installed with npm ci if
# missing) and by a bare fasthttp handler writing the same bytes (bench/barejson), all in the
# same run with wrk on loopback. Usage: bench/hono.sh (DURATION=10s CONNS=50 by default;
# EDGERUN=path measures that binary instead of building this checkout).
source "$(dirname "$0")/lib.sh"
need wrk wrk
need npm npm
CONNS=${CONNS:-50}
cd "$ROOT"
[ -d testdata/apps/node_modules/hono ] || (cd testdata/apps && npm ci --no-audit --no-fund --loglevel=error)
[ -x tools/workerd/node_modules/.bin/workerd ] || (cd tools/workerd && npm ci --no-audit --no-fund --loglevel=error)
if [ -n "${EDGERUN:-}" ]; then cp "$EDGERUN" "$BIN/edgerun"; else go build -o "$BIN/edgerun" ./cmd/edgerun; fi
go build -o "$BIN/barejson" ./bench/barejson
go build -o "$BIN/honobundle" ./bench/honobundle
"$BIN/honobundle" testdata/apps/hono-api/src/index.js "$BIN/worker.mjs"
cat > "$BIN/config.capnp" <<CAPNP
using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .w) ],
  sockets = [ (name = "http", address = "127.0.0.1:18797", http = (), service = "main") ],
);
const w :Workerd.Worker = (
  modules = [ (name = "worker.mjs", esModule = embed "worker.mjs") ],
  compatibilityDate = "2025-09-01",
);
CAPNP

"$BIN/barejson" -addr 127.0.0.1:18795 & PIDS+=($!)
"$BIN/edgerun" serve -c testdata/apps/hono-api/wrangler.toml --port 18796 --admin off --log-level warn & PIDS+=($!)
tools/workerd/node_modules/.bin/workerd serve "$BIN/config.capnp" & PIDS+=($!)
for port in 18795 18796 18797; do wait_http "http://127.0.0.1:$port/api/users/7"; done
want=$(curl -fsS http://127.0.0.1:18795/api/users/7)
for port in 18796 18797; do
  got=$(curl -fsS "http://127.0.0.1:$port/api/users/7")
  [ "$got" = "$want" ] || { echo "bench: :$port answered $got, bare answers $want" >&2; exit 1; }
done
echo "connections=$CONNS duration=$DURATION route=GET /api/users/7 body=$want"
bare=$(rps http://127.0.0.1:18795/api/users/7 "$CONNS")
edge=$(rps http://127.0.0.1:18796/api/users/7 "$CONNS")
wd=$(rps http://127.0.0.1:18797/api/users/7 "$CONNS")
echo "bare fasthttp: $bare req/s"
echo "edgerun:       $edge req/s  ratio to bare $(ratio "$edge" "$bare")"
echo "workerd:       $wd req/s  ratio to bare $(ratio "$wd" "$bare")"
echo "edgerun/workerd: $(ratio "$edge" "$wd")  (target >= 2)"

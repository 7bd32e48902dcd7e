# syntax=docker/dockerfile:1
#
# edgerun's container image: a static binary on distroless, no shell, no
# PostgreSQL (serve talks to the database named by the Hyperdrive binding's
# connection string; the managed local PostgreSQL is for dev). The project
# (wrangler.toml and the worker's source) is not baked in: mount it, as
# deploy/ does from a ConfigMap, and point -c at it.
#
#   docker build -t edgerun .
#   docker run -v "$PWD/deploy/project:/project:ro" \
#     -e CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE='postgres://…' \
#     -p 8787:8787 -p 9787:9787 edgerun -c /project/wrangler.toml \
#     --ip 0.0.0.0 --port 8787 --admin 0.0.0.0:9787
#
# go test ./deploy/ runs this file's build commands (no Docker engine needed).

FROM golang:1.26-bookworm AS build
ARG VERSION=0.1.0-dev
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
# CGO_ENABLED=0: the runtime stage has no C library. cmd/edgerun/default.pgo
# (profile-guided optimisation) is picked up by go build itself.
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o bin/edgerun ./cmd/edgerun

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /src/bin/edgerun /usr/local/bin/edgerun
USER 65532:65532
EXPOSE 8787 9787
ENTRYPOINT ["/usr/local/bin/edgerun", "serve"]
# Listen beyond loopback (a container's loopback is its own); the admin
# listener serves /healthz, /readyz, /health and /metrics.
CMD ["--ip", "0.0.0.0", "--port", "8787", "--admin", "0.0.0.0:9787"]

# The gcpinvoke emulator as a container image: a static binary (CGO_ENABLED=0)
# on an empty base, running as a non-root user.
#
#   docker build -t gcpinvoke-emulator .
#   docker run --rm -p 18787:8787 gcpinvoke-emulator --public-url http://127.0.0.1:18787
#
# Arguments after the image name are added to `gcpinvoke emulator --listen 0.0.0.0:8787`.
# --public-url must be the URL clients use (the host side of the port mapping): service URLs
# (http://NAME-HASH-uc.a.run.localhost:PORT) take its port and OIDC tokens its issuer.
# Health probe: GET /_emulator/health (200, JSON). A seed or state file comes from a volume:
#   -v "$PWD/seed.json:/seed.json:ro" ... --seed /seed.json
#
# Stages: `build` compiles from source; `goreleaser` packages the binary goreleaser already built
# (build context = the binary; selected with --target=goreleaser in .goreleaser.yml); the last
# stage is what a plain `docker build .` produces.

FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/gcpinvoke ./cmd/gcpinvoke

FROM scratch AS goreleaser
COPY gcpinvoke /gcpinvoke
# nobody-style uid/gid with no login and no files of its own
USER 65532:65532
EXPOSE 8787
ENTRYPOINT ["/gcpinvoke", "emulator", "--listen", "0.0.0.0:8787"]

FROM scratch
COPY --from=build /out/gcpinvoke /gcpinvoke
USER 65532:65532
EXPOSE 8787
ENTRYPOINT ["/gcpinvoke", "emulator", "--listen", "0.0.0.0:8787"]

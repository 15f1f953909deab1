# syntax=docker/dockerfile:1
# The TickItNow backend: one image for the API (`serve`), the background worker (`worker`) and
# one-off commands (`migrate`, `seed`, `create-admin <email>`).
#   docker build -t tickitnow-api .
#   docker run --rm --env-file .env tickitnow-api migrate
#   docker run -d -p 3000:3000 --env-file .env tickitnow-api serve
ARG NODE_IMAGE=node:20-bookworm-slim

# Every workspace manifest, so that `npm ci` sees the same workspaces as the lockfile.
FROM ${NODE_IMAGE} AS manifests
WORKDIR /app
COPY package.json package-lock.json ./
COPY server/package.json server/
COPY web/package.json web/
COPY infra/package.json infra/
COPY deploy/package.json deploy/

# Compile the server with its dev dependencies (TypeScript).
FROM manifests AS build
RUN npm ci --workspace server --include-workspace-root --no-audit --no-fund
COPY tsconfig.base.json ./
COPY server/ server/
RUN npm run build -w server \
  && cp -r server/src/migrations server/dist/migrations

# Production dependencies of the server only (sharp brings its prebuilt libvips from npm).
FROM manifests AS prod-deps
RUN npm ci --workspace server --omit=dev --no-audit --no-fund \
  && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
# The old-generation heap is bounded at 192 MB: the live heap of an API process under a
# 1,000-buyer flash sale is ≈ 80 MB, and without a bound V8 lets garbage grow the heap to
# 300–450 MB between full collections. Raise it for far larger bursts (docs/OPERATIONS.md).
# The young generation may grow to 2 × 32 MB (V8's own limit is 2 × 16 MB): a request's
# objects then die young instead of being copied and promoted, at ≈ 40 MB more RSS under load
# (docs/BENCHMARKS.md).
ENV NODE_OPTIONS="--max-old-space-size=192 --max-semi-space-size=32"
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/var/lib/tickitnow \
    SERVE_WEB=false \
    TRUST_PROXY=true
WORKDIR /app
COPY --from=prod-deps /app/node_modules node_modules
COPY --from=build /app/server/package.json server/package.json
COPY --from=build /app/server/dist server/dist
RUN mkdir -p /var/lib/tickitnow && chown node:node /var/lib/tickitnow
# The image's unprivileged user; the data directory (local files) is the only thing it writes.
USER node
VOLUME ["/var/lib/tickitnow"]
EXPOSE 3000
# /healthz says the process is alive; /readyz (database and cache) is for load balancers.
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
STOPSIGNAL SIGTERM
# The young generation also starts at, and never shrinks below, 2 × 32 MB: after a quiet spell V8
# shrank it, and a flash sale then met a process collecting garbage every few milliseconds
# (docs/BENCHMARKS.md). Node does not accept this flag in NODE_OPTIONS, hence here.
ENTRYPOINT ["node", "--min-semi-space-size=32", "server/dist/cli.js"]
CMD ["serve"]

# syntax=docker/dockerfile:1
# The TickItNow web app on nginx (unprivileged, port 8080) with deploy/nginx as its site.
#   docker build -f deploy/web.Dockerfile -t tickitnow-web .
#   docker run -d -p 8080:8080 -e API_UPSTREAM=api.internal:3000 tickitnow-web
# Settings (environment, rendered into the site at start): LISTEN, API_UPSTREAM, NGINX_RESOLVER,
# CLIENT_MAX_BODY_SIZE, TRUSTED_PROXY_CIDR, CSP_IMG_SRC — see deploy/nginx/templates.
ARG NODE_IMAGE=node:20-bookworm-slim
ARG NGINX_IMAGE=nginxinc/nginx-unprivileged:1.28-alpine

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY server/package.json server/
COPY web/package.json web/
COPY infra/package.json infra/
COPY deploy/package.json deploy/
RUN npm ci --workspace web --include-workspace-root --no-audit --no-fund
COPY tsconfig.base.json ./
COPY web/ web/
RUN npm run build -w web

FROM ${NGINX_IMAGE}
# The image renders /etc/nginx/templates/*.template into conf.d/ with envsubst at start-up.
ENV LISTEN=8080 \
    API_UPSTREAM=api:3000 \
    WEB_ROOT=/usr/share/nginx/html \
    CLIENT_MAX_BODY_SIZE=11m \
    TRUSTED_PROXY_CIDR=127.0.0.1/32 \
    CSP_IMG_SRC=""
USER root
RUN rm -f /etc/nginx/conf.d/default.conf && rm -rf /usr/share/nginx/html/*
COPY --chmod=0755 deploy/nginx/docker-entrypoint.d/15-tickitnow-resolver.envsh /docker-entrypoint.d/
COPY deploy/nginx/templates/tickitnow.conf.template /etc/nginx/templates/
COPY --from=build /app/web/dist /usr/share/nginx/html
USER nginx
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD ["wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/index.html"]

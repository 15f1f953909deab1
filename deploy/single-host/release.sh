#!/usr/bin/env bash
# Builds what the single-host instance pulls from its release bucket, and uploads it:
#   deploy/single-host/release.sh <bucket>      (bucket: the stack output ReleaseBucket)
# Run it on Linux x86_64 (the instance's platform: sharp ships native code per platform).
# Then restart the service on the host (or replace the instance) to pick the release up.
set -euo pipefail
cd "$(dirname "$0")/../.."
bucket=${1:?usage: deploy/single-host/release.sh <bucket>}
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

npm ci --no-audit --no-fund
npm run build -w web
npm run build -w server

# The server with its production dependencies only, laid out as in the repository.
mkdir -p "$stage/app/server" "$stage/app/web" "$stage/app/infra" "$stage/app/deploy"
cp package.json package-lock.json "$stage/app/"
for workspace in server web infra deploy; do cp "$workspace/package.json" "$stage/app/$workspace/"; done
cp -r server/dist "$stage/app/server/dist"
cp -r server/src/migrations "$stage/app/server/dist/migrations"
(cd "$stage/app" && npm ci --workspace server --omit=dev --no-audit --no-fund)
tar -czf "$stage/server.tar.gz" -C "$stage/app" .

aws s3 cp "$stage/server.tar.gz" "s3://$bucket/release/server.tar.gz"
aws s3 sync --delete deploy/nginx/ "s3://$bucket/release/nginx/"
aws s3 sync --delete web/dist/ "s3://$bucket/web/"
echo "Release uploaded to s3://$bucket; on the host: sudo systemctl restart tickitnow (after re-running the boot steps) or replace the instance."

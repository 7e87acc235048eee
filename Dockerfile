# The app in one image: the built PWA and the Express server (run with tsx; migrations are applied at start).
# Multi-stage: the build stage has the dev tools (Vite, Prisma's generator); the runtime stage gets the production
# dependencies, the built web app and the sources only. `docker compose up --build` runs it with Postgres.

# Node 22 LTS (Node 20 reached end of life in April 2026). Pin a digest here for byte-for-byte rebuilds.
ARG NODE_IMAGE=node:22-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# The manifests first, so the install layer is cached until a dependency changes. `npm ci` installs exactly the
# lockfile (and fails when package.json and package-lock.json disagree): a reproducible install.
COPY package.json package-lock.json ./
COPY apps/server/package.json apps/server/
COPY apps/web/package.json apps/web/
COPY packages/db/package.json packages/db/
COPY packages/db/scripts packages/db/scripts
COPY packages/sync-protocol/package.json packages/sync-protocol/
COPY packages/sync-server/package.json packages/sync-server/
COPY packages/sync-client/package.json packages/sync-client/
COPY packages/test-support/package.json packages/test-support/
COPY prisma prisma
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run db:generate && npm run build && npm prune --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    DATA_DIR=/app/data/pglite
WORKDIR /app
# Code and dependencies stay owned by root (the server cannot rewrite itself); only the data folder, where the
# embedded database lives when DATABASE_URL is not set, belongs to the unprivileged `node` user.
COPY --from=build /app /app
RUN mkdir -p /app/data && chown node:node /app/data
VOLUME /app/data
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["npm", "run", "start", "-w", "apps/server"]

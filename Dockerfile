# One image: builds the PWA and runs the Express server (migrations are applied at start).
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
COPY apps/server/package.json apps/server/
COPY apps/web/package.json apps/web/
COPY packages/db/package.json packages/db/
COPY packages/db/scripts packages/db/scripts
COPY packages/sync-protocol/package.json packages/sync-protocol/
COPY packages/sync-server/package.json packages/sync-server/
COPY packages/sync-client/package.json packages/sync-client/
COPY prisma prisma
RUN npm install --include=dev --no-audit --no-fund
COPY . .
RUN npm run build -w apps/web
EXPOSE 3000
USER node
CMD ["npm", "run", "start", "-w", "apps/server"]

# syntax=docker/dockerfile:1
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# The TypeScript client is an npm workspace: npm ci needs its manifest, not its source.
COPY clients/typescript/package.json ./clients/typescript/
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY dashboard ./dashboard
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY bin ./bin
USER node
EXPOSE 8000
# The API and a worker in one container; run dist/entry/api.js and dist/entry/worker.js in
# separate containers to scale them apart (see docker-compose.yml). The CLI, which works before
# the API has a key to start with (production refuses to start without one):
# docker compose run --rm api node bin/notification-service.js keys create --name ops
CMD ["node", "--max-semi-space-size=16", "--heap-growing-percent=30", "dist/entry/start.js"]

# One image for both processes: the api (CMD below) or `node dist/apps/worker/src/main.js`.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN bash scripts/build.sh && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production
# The worker's young generation: ingest allocates a lot of short-lived JSON, and fewer scavenges measured
# ~10% less CPU per record in bench:ingest (see README). The api overrides it on its command line (CMD):
# it serves queries, whose p99 wants short scavenges (libs/local-stack/src/local-stack.ts, API_NODE_FLAGS;
# docs/benchmarks.md "Queries"). Run the worker as `node dist/apps/worker/src/main.js`.
ENV NODE_OPTIONS=--max-semi-space-size=64
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/prisma ./prisma
COPY --from=build /app/scripts/migrate.mjs /app/scripts/schema-engine.mjs ./scripts/
USER node
CMD ["node", "--max-semi-space-size=16", "dist/apps/api/src/main.js"]

# evidence-worker service image. Build: docker build -t evidence-worker .
# Stage 1 compiles the TypeScript to dist/ and bundles the CLI into dist/cli/; stage 2 runs that JavaScript on
# Node 24 LTS, without tsx or dev tools.
FROM node:24-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 builds natively when no prebuilt binary matches.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY connectors ./connectors
COPY jobs ./jobs
COPY checks ./checks
COPY scripts/build-cli.mjs ./scripts/
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY config ./config
RUN mkdir -p /app/data && chown -R node:node /app/data
USER node
# A small young generation and a bounded old one make V8 collect the collecting thread's garbage early: peak RSS
# of a trail day 350 -> 250 MB, of one 50 MB trail file 390 -> 260-280 MB (bench/trail-real.ts, which passes the
# same flags, as does bin/evidence-worker.js).
ENTRYPOINT ["node", "--max-semi-space-size=4", "--max-old-space-size=1024", "dist/cli/main.js"]
CMD ["start", "--role", "all"]

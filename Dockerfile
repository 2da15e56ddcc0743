# evidence-worker service image. Build: docker build -t evidence-worker .
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
# better-sqlite3 builds natively when no prebuilt binary matches.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY src ./src
COPY connectors ./connectors
COPY jobs ./jobs
COPY config ./config
RUN mkdir -p /app/data && chown -R node:node /app
USER node
ENTRYPOINT ["node", "--import", "tsx", "src/cli/main.ts"]
CMD ["start", "--role", "all"]

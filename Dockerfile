# One image for both hub processes: `node dist/api/main.js` and `node dist/worker/main.js`.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build && npm prune --omit=dev
# The AlpineBits schemas every OTA message is checked against, fetched (checksum pinned) at build time.
RUN node -e "require('./dist/platform/infra/alpinebits-schemas').ensureAlpineBitsSchemas('/app/schemas/alpinebits', {})"

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/schemas ./schemas
ENV CROSSDOCK_ALPINEBITS_SCHEMAS=/app/schemas/alpinebits
COPY crossdock.config.yaml ./crossdock.config.yaml
# The setup files the config names (relative to it); a deployment mounts its own config and files.
COPY sandbox/setup ./sandbox/setup
ENV CROSSDOCK_CONFIG=/app/crossdock.config.yaml
USER node
CMD ["node", "dist/api/main.js"]

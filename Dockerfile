# One image for both hub processes: `node dist/api/main.js` and `node dist/worker/main.js`.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/package.json ./package.json
COPY crossdock.config.yaml ./crossdock.config.yaml
# The setup files the config names (relative to it); a deployment mounts its own config and files.
COPY sandbox/setup ./sandbox/setup
ENV CROSSDOCK_CONFIG=/app/crossdock.config.yaml
USER node
CMD ["node", "dist/api/main.js"]

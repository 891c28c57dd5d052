# eBOK application image. Native modules (bcrypt, better-sqlite3) are built here from source.
FROM node:20-bookworm-slim
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev && npm cache clean --force
COPY . .
# SQLite and the generated secret live in data/ when DATABASE_URL is not set; the app runs as node.
RUN mkdir -p /app/data && chown node:node /app/data
ENV NODE_ENV=production
USER node
EXPOSE 3000
CMD ["npm", "start"]

# syntax=docker/dockerfile:1
# The radio-mtl HTTP service with the shipped models. Every step needs nothing but the
# base image and the npm registry. Build: docker build -t radio-mtl:0.1.0 .

# Build stage: every dependency, then the TypeScript build into dist/.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# `prepare` (the build) needs the sources, copied after the install so it stays cached.
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build


# Sweeps (the reproductions as Kubernetes Jobs, deploy/k8s/sweeps/): the build stage's
# dev dependencies (tsx runs the scripts) plus the scripts and the models and reports they
# extend. Not the default target: `docker build --target sweeps -t radio-mtl-sweeps .`
FROM build AS sweeps
COPY bin ./bin
COPY scripts ./scripts
COPY openapi.yaml ./
COPY models ./models
COPY results ./results
USER 1000:1000

# Runtime stage: production dependencies, the compiled CLI, the contract and the models.
FROM node:20-bookworm-slim AS runtime
WORKDIR /app
COPY package.json package-lock.json ./
# No install scripts: the build is copied from the build stage, and the remaining ones
# (@scarf/scarf, core-js) only print or phone home (package.json allowScripts says the same).
# In the same layer (a later layer cannot shrink the image), prune what Node never loads
# (890 MB image before, docs/deploying.md): ONNX Runtime's binaries for other platforms,
# source maps, and TensorFlow.js's browser bundles (Node loads each @tensorflow package's
# `main`, dist/*.node.js, and the wasm binaries beside it).
RUN set -eu; \
    npm ci --omit=dev --ignore-scripts; npm cache clean --force; \
    ort=node_modules/onnxruntime-node/bin/napi-v6; \
    keep="$(node -p 'process.platform + "/" + process.arch')"; \
    for d in "$ort"/*/*; do [ "${d#"$ort"/}" = "$keep" ] || rm -rf "$d"; done; \
    test -e "$ort/$keep"; \
    find node_modules -name '*.map' -type f -delete; \
    for p in node_modules/@tensorflow/*; do \
      find "$p" -mindepth 1 -maxdepth 1 ! -name dist ! -name package.json -exec rm -rf {} +; \
      find "$p/dist" -mindepth 1 -maxdepth 1 ! -name '*.node.js' ! -name '*.wasm' -exec rm -rf {} +; \
    done
COPY bin ./bin
COPY openapi.yaml ./
COPY --from=build /app/dist ./dist
# Baked in; mount a volume at /app/models (or pass --models DIR) to serve others.
COPY models ./models
# Files stay owned by root: the server only reads them, so the root filesystem can be
# read-only. A numeric user lets Kubernetes verify runAsNonRoot (the image's `node` user).
USER 1000:1000
ENV PORT=8080
EXPOSE 8080
# Exec form: node is PID 1 and gets SIGTERM itself; the server drains in-flight requests
# (--shutdown-grace-ms) and exits 0, so no init process is needed.
ENTRYPOINT ["node", "/app/bin/radio-mtl"]
CMD ["serve", "--host", "0.0.0.0", "--models", "/app/models"]

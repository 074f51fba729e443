# One image for every service; compose picks the entry module per service.
FROM denoland/deno:2.9.6
WORKDIR /app
COPY deno.json deno.lock package.json ./
# postgres.js with our reconnect fixes, linked from deno.json (vendor/postgres/PATCHES.md).
COPY vendor ./vendor
COPY shared ./shared
COPY services ./services
COPY emulators ./emulators
COPY scripts ./scripts
RUN deno install --frozen && deno cache services/*/main.ts emulators/*/main.ts
# Named volumes start with the ownership of their mount point in the image: the emulator writes its
# TLS material to /tls and the demo state to /data as the image's user.
RUN mkdir -p /tls /data && chown deno:deno /tls /data
USER deno
ENV HOST=0.0.0.0
# The same V8 heap cap as `start`: V8 collects before resident memory drifts up between runs.
ENTRYPOINT ["deno", "run", "-A", "--v8-flags=--max-old-space-size=192"]

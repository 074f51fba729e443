# One image for every service; compose picks the entry module per service.
FROM denoland/deno:2.9.6
WORKDIR /app
COPY deno.json deno.lock package.json ./
COPY shared ./shared
COPY services ./services
COPY emulators ./emulators
COPY scripts ./scripts
RUN deno install --frozen && deno cache services/*/main.ts emulators/*/main.ts
USER deno
ENV HOST=0.0.0.0
ENTRYPOINT ["deno", "run", "-A"]

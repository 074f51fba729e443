export * from "./tls.ts";

/**
 * When `M365_ISSUED_TOKENS_FILE` is set (the project's test runner sets it), every access and
 * refresh token the emulator issues is appended there, so the runner can prove afterwards that
 * no token it handed out appears anywhere in the whole suite's output (A6: never logged).
 */
export function recordIssuedToken(token: string): void {
  const file = Deno.env.get("M365_ISSUED_TOKENS_FILE");
  if (file) Deno.writeTextFileSync(file, `${token}\n`, { append: true });
}

import type { AppRegistration, User } from "../state/directory.ts";

const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/**
 * The demo's sign-in page: one button per user; each POSTs the authorize parameters back with
 * the chosen user, which consents and redirects with a code. No passwords: it is an emulator.
 */
export function signInPage(o: {
  app: AppRegistration;
  users: User[];
  params: Record<string, string | undefined>;
  action: string;
}): string {
  const hidden = Object.entries(o.params)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v!)}">`)
    .join("");
  const buttons = o.users.length
    ? o.users.map((u) =>
      `<li><form method="post" action="${esc(o.action)}">${hidden}<input type="hidden" name="user" value="${
        esc(u.id)
      }"><button type="submit">${esc(u.displayName)} &lt;${esc(u.userPrincipalName)}&gt;</button></form></li>`
    ).join("")
    : "<li>No users in this tenant. Seed some through the admin API.</li>";
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>Sign in to your account (M365 emulator)</title>
<style>body{font-family:sans-serif;max-width:32rem;margin:3rem auto}li{list-style:none;margin:.5rem 0}button{width:100%;padding:.6rem;text-align:left}</style>
</head><body>
<h1>Pick an account</h1>
<p><b>${esc(o.app.displayName)}</b> wants to: ${esc(o.params.scope ?? "")}</p>
<ul>${buttons}</ul>
<p><small>Microsoft 365 emulator: choosing an account signs in and consents.</small></p>
</body></html>`;
}

/** How the ticket systems name the sandbox company's people (the GitHub logins). */
export function displayName(login: string): string {
  return login.charAt(0).toUpperCase() + login.slice(1);
}

export function accountId(login: string): string {
  return `acc-${login}`;
}

export function emailOf(login: string): string {
  return `${login}@acme.example`;
}

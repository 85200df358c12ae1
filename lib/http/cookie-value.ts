/** The value of cookie `name` in a Cookie request header, URI-decoded; undefined when absent. */
export function cookieValue(cookieHeader: string | null | undefined, name: string): string | undefined {
  const match = cookieHeader?.split(/;\s*/).find((c) => c.startsWith(`${name}=`));
  return match ? decodeURIComponent(match.slice(name.length + 1)) : undefined;
}

// Tokens and tool arguments travel to upstream servers, so plain http is allowed only where the bytes
// never leave the machine. Hostnames are checked after WHATWG URL parsing, which already normalises
// spellings such as `127.1`, `0x7f.0.0.1` or `LOCALHOST`, so a rule cannot be dodged by notation.

const IPV4_LOOPBACK = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

/** True for 127.0.0.0/8, ::1 and localhost, given a hostname as `URL.hostname` returns it. */
export function isLoopbackHostname(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || IPV4_LOOPBACK.test(hostname);
}

/** Why `text` cannot be an upstream server URL, or undefined when it can. */
export function serverUrlProblem(text: string): string | undefined {
  if (!URL.canParse(text)) return 'must be an absolute URL such as https://mcp.example.com/mcp';
  const url = new URL(text);
  if (url.username !== '' || url.password !== '') {
    // Credentials in a URL end up in logs and audit records; upstream auth belongs in `auth`.
    return 'must not contain a user name or password; configure credentials with "auth" instead';
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:') {
    return isLoopbackHostname(url.hostname) ? undefined : 'must use https (http is allowed only for loopback addresses)';
  }
  return `must use https, not ${url.protocol.slice(0, -1)}`;
}

/**
 * Credentials never reach a log. The server and the CLI log file paths,
 * parser messages and (soon) AWS SDK errors; any of these can carry an
 * access key, a secret, a session token or a signed request. `redact`
 * masks them before a line is written. It is a backstop, not a licence to
 * log request objects.
 */

const PATTERNS: readonly [RegExp, string][] = [
  // Access key ids: AKIA (long-term), ASIA (temporary), and the other IAM unique-id prefixes that are keys.
  [/\b(AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/g, '$1****************'],
  // `aws_secret_access_key = …`, `"SecretAccessKey": "…"`, `AWS_SESSION_TOKEN=…`, `X-Amz-Security-Token: …`.
  [/((?:secret_?access_?key|session_?token|security[_-]?token|x-amz-security-token)["']?\s*[:=]\s*["']?)[^\s"',;&]+/gi, '$1****'],
  // Presigned URLs and SigV4 headers: the signature and credential scope.
  [/((?:X-Amz-Signature|X-Amz-Credential)=)[^&\s"']+/gi, '$1****'],
  [/(Signature=)[0-9a-f]{16,}/gi, '$1****'],
  [/(Authorization["']?\s*[:=]\s*["']?)(?:AWS4-HMAC-SHA256|Bearer|Basic)[^"'\n]*/gi, '$1****'],
];

export function redact(text: string): string {
  let out = text;
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

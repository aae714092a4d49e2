// STUB — to be implemented (secret detection engine). Signatures are the contract other modules use.
export interface SecretMatch {
  /** Detector id, e.g. "openai-api-key" or "secretlint:@secretlint/secretlint-rule-aws". */
  detector: string;
  /** Human name of the credential kind, e.g. "OpenAI API key". */
  kind: string;
  /** Offset and length of the secret in the scanned text. */
  offset: number;
  length: number;
  /** The matched secret, redacted. */
  redacted: string;
}

/** Finds credentials in free text (instruction files, whole config files). */
export async function scanTextForSecrets(_text: string): Promise<SecretMatch[]> {
  return [];
}

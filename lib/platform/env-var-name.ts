/** An id as an environment variable name (or name part): `openai-api-key` → `OPENAI_API_KEY`. */
export function envVarName(id: string): string {
  return id.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}

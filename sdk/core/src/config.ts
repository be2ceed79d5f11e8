export type ShiftyConfig = { url: string; apiKey: string; projectId: string };

/**
 * SHIFTY_URL, SHIFTY_API_KEY and SHIFTY_PROJECT_ID, with overrides (flags, fixture options) first.
 * Missing values are reported together so a CI log says everything that is wrong at once.
 */
export function configFromEnv(
  overrides: Partial<ShiftyConfig> = {},
  env: Record<string, string | undefined> = process.env,
): { config: ShiftyConfig; missing: string[] } {
  const config = {
    url: overrides.url ?? env.SHIFTY_URL ?? "",
    apiKey: overrides.apiKey ?? env.SHIFTY_API_KEY ?? "",
    projectId: overrides.projectId ?? env.SHIFTY_PROJECT_ID ?? "",
  };
  const missing: string[] = [];
  if (!config.url) missing.push("SHIFTY_URL");
  if (!config.apiKey) missing.push("SHIFTY_API_KEY");
  if (!config.projectId) missing.push("SHIFTY_PROJECT_ID");
  return { config, missing };
}

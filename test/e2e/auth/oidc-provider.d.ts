// The slice of `oidc-provider` (which ships no types) that the SSO browser test uses.
declare module "oidc-provider" {
  import type { Server } from "node:http";

  type Account = { accountId: string; claims: () => Promise<Record<string, unknown>> };
  type Configuration = {
    clients: Record<string, unknown>[];
    claims?: Record<string, string[]>;
    conformIdTokenClaims?: boolean;
    cookies?: { keys: string[] };
    findAccount: (ctx: unknown, id: string) => Promise<Account>;
  };

  export default class Provider {
    constructor(issuer: string, configuration: Configuration);
    listen(port: number, host?: string): Server;
  }
}

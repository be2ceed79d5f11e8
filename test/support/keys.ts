import { api } from "../helpers.ts";

export type MintedKey = { key: string; apiKey: { id: string } };

/** POST /v1/api-keys as the signed-in user (`userToken`): a key named `name` holding only `permissions`. */
export async function mintKey(
  userToken: string,
  permissions: string[],
  name = "limited",
): Promise<MintedKey> {
  const res = await api("/v1/api-keys", { method: "POST", token: userToken, json: { name, permissions } });
  if (res.status !== 201) throw new Error(`minting key: ${res.status} ${await res.text()}`);
  return (await res.json()) as MintedKey;
}

/** The secret of a key minted by the tenant's user holding only `permissions`. */
export const keyWith = async (t: { token: string }, permissions: string[], name = "limited") =>
  (await mintKey(t.token, permissions, name)).key;

// A fresh owner + org on the enterprise plan with an API key. `wrangler d1 execute` between two calls
// can outlast the server's keep-alive, so a call that finds its pooled socket closed is sent again.

async function call(url, path, init) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await (await fetch(`${url}${path}`, init)).json();
    } catch (error) {
      if (attempt >= 2 || error?.cause?.code !== "UND_ERR_SOCKET") throw error;
    }
  }
}

export async function enterpriseTenant(local) {
  const email = `bench-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
  const session = await call(local.url, "/v1/auth/signup", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password: "bench password 1", name: "Bench", orgName: "Bench Org" }),
  });
  const orgId = session.orgs[0].orgId;
  local.d1(`UPDATE organizations SET plan = 'enterprise' WHERE id = '${orgId}'`);
  const { key } = await call(local.url, "/v1/api-keys", {
    method: "POST",
    headers: { authorization: `Bearer ${session.token}`, "content-type": "application/json" },
    body: JSON.stringify({ name: "bench" }),
  });
  return { orgId, apiKey: key };
}

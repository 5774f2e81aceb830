import assert from "node:assert/strict";
import { loadConfig } from "../kernel/config.ts";
import { serviceUrl } from "../http/service_client.ts";

const base = { BSS_API_TOKEN: "service-client-token-0123456789abcdef" };

Deno.test("services are found on this host at their port plus the offset", () => {
  const config = loadConfig({ ...base, BSS_PORT_OFFSET: "100" });
  assert.equal(serviceUrl(config, "crm"), "http://127.0.0.1:8102");
  assert.equal(serviceUrl(config, "provisioning-sim"), "http://127.0.0.1:8110");
});

Deno.test("BSS_<SERVICE>_URL overrides where a service is reached", () => {
  const config = loadConfig({
    ...base,
    BSS_CRM_URL: "http://crm:8000/",
    BSS_PROVISIONING_SIM_URL: "http://sim:8000",
  });
  assert.equal(serviceUrl(config, "crm"), "http://crm:8000");
  assert.equal(serviceUrl(config, "provisioning-sim"), "http://sim:8000");
  assert.equal(serviceUrl(config, "payment"), "http://127.0.0.1:8003");
});

Deno.test("a malformed service URL stops start-up with the variable named", () => {
  assert.throws(() => loadConfig({ ...base, BSS_CRM_URL: "not a url" }), /BSS_CRM_URL/);
});

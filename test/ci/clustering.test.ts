import { describe, expect, it } from "vitest";
import {
  failureSignature,
  normaliseMessage,
  normaliseStack,
  signaturesFor,
} from "../../shared/ci/clustering.ts";

describe("failure normalisation", () => {
  it.each([
    [
      "Timed out after 2000 ms waiting for mail 7f3a9c2e-1b44-4a8e-9d0f-2b6c1e8a4f11",
      "Timed out after <n> ms waiting for mail <uuid>",
    ],
    ["expected: <119.00> but was: <100.00>", "expected: <<n>> but was: <<n>>"],
    ["at 2026-11-20T10:15:02.123Z the job stopped", "at <time> the job stopped"],
    [
      'connection to server at "10.0.3.7", port 5432 failed',
      "connection to server at <str>, port <n> failed",
    ],
    ["Cannot find module '/home/runner/work/app/src/x.ts'", "Cannot find module <str>"],
    ["ENOENT: no such file /tmp/build-83721/cache/a.json", "ENOENT: no such file <path>"],
    ["object 0x7ffd5a3c and deadbeef01 differ", "object <hex> and <hex> differ"],
    ["user usr_01jd0000000000000000000000 not found", "user <id> not found"],
    ["TypeError at app.js:12:7", "TypeError at app.js:<pos>"],
    ["see https://ci.example.com/jobs/123?x=1 for logs", "see <url> for logs"],
    ["\u001b[31mError:\u001b[39m   too   many\n spaces", "Error: too many spaces"],
  ])("%s", (input, expected) => {
    expect(normaliseMessage(input)).toBe(expected);
  });

  it("keeps function names of the top frames, drops paths, positions and library frames", () => {
    const stack = `Error: boom
    at Object.toBe (/home/runner/work/shop/src/cart.test.ts:27:31)
    at Promise.then.completed (/home/runner/work/shop/node_modules/jest-circus/build/utils.js:298:28)
    at /home/runner/work/shop/src/helpers.ts:3:9
    at Cart.total (/home/runner/work/shop/src/cart.ts:40:2)
    at deeper (/x.ts:1:1)`;
    expect(normaliseStack(stack)).toBe("Object.toBe < helpers.ts < Cart.total");
    const py = `  File "/srv/app/tests/test_api.py", line 24, in test_create_user\n  File "/srv/app/api.py", line 9, in create`;
    expect(normaliseStack(py)).toBe("test_create_user < create");
  });

  it("gives the same signature to failures that differ only in volatile parts", async () => {
    const a = await failureSignature({
      message: "Timed out after 2000 ms waiting for mail 7f3a9c2e-1b44-4a8e-9d0f-2b6c1e8a4f11",
      stack: "at com.acme.MailProbe.await(MailProbe.java:77)",
      type: "java.util.concurrent.TimeoutException",
    });
    const b = await failureSignature({
      message: "Timed out after 3000 ms waiting for mail 0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6",
      stack: "at com.acme.MailProbe.await(MailProbe.java:81)",
      type: "java.util.concurrent.TimeoutException",
    });
    const other = await failureSignature({ message: "NullPointerException", stack: null, type: null });
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(a).toBe(b);
    expect(other).not.toBe(a);
    const many = await signaturesFor([
      { message: "x 1", stack: null, type: null },
      { message: "x 2", stack: null, type: null },
      { message: "y", stack: null, type: null },
    ]);
    expect(many[0]).toBe(many[1]);
    expect(many[2]).not.toBe(many[0]);
  });
});

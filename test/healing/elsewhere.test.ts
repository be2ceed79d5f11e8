import { describe, expect, it } from "vitest";
import { healCandidates, healDom } from "../../shared/healing/index.ts";
import type { ElementDescriptor } from "../../shared/healing/types.ts";

// An answer on what may be another page (shared/healing/elsewhere.ts): a test whose session expired
// lands on the sign-in page, where its "Save changes" button would heal to "Sign in".

const saveChanges: ElementDescriptor = {
  tag: "button",
  text: "Save changes",
  attributes: { id: "save", type: "submit" },
  xpath: "/html[1]/body[1]/main[1]/form[1]/button[1]",
  neighborText: { above: "Display name", left: "Cancel" },
};

const signInPage: ElementDescriptor[] = [
  { tag: "h1", text: "Sign in to Acme", xpath: "/html[1]/body[1]/h1[1]" },
  { tag: "input", attributes: { type: "email", name: "email" }, xpath: "/html[1]/body[1]/form[1]/input[1]" },
  {
    tag: "input",
    attributes: { type: "password", name: "password" },
    xpath: "/html[1]/body[1]/form[1]/input[2]",
  },
  {
    tag: "button",
    text: "Sign in",
    attributes: { type: "submit" },
    xpath: "/html[1]/body[1]/form[1]/button[1]",
  },
];

describe("an answer on another page", () => {
  it("a page that kept none of the target's surroundings, and an answer with none of its identity: a suggestion, not a heal", async () => {
    const result = await healCandidates({ target: saveChanges, candidates: signInPage });
    expect(result.healed).toBe(false);
    expect(result.suggestion?.index).toBe(3);
    expect(result.confidence).toBeLessThan(0.5);
  });

  it("the same answer heals where one of the target's neighbour texts is still on the page", async () => {
    const samePage = [
      { tag: "label", text: "Display name", xpath: "/html[1]/body[1]/form[1]/label[1]" },
      ...signInPage,
    ];
    const result = await healCandidates({ target: saveChanges, candidates: samePage });
    expect(result.healed).toBe(true);
    expect(result.index).toBe(4);
  });

  it("an answer that carries the target's text heals, and a target recorded without neighbours is not judged", async () => {
    const signIn = { ...saveChanges, text: "Sign in", attributes: { type: "submit" } };
    expect((await healCandidates({ target: signIn, candidates: signInPage })).index).toBe(3);
    const { neighborText: _, ...bare } = saveChanges;
    // Without neighbour texts nothing says this is another page: the engine's own answer stands.
    const alone = await healCandidates({ target: bare, candidates: signInPage });
    expect(alone).toMatchObject({ healed: true, index: 3 });
  });

  it("the DOM form with the old page: the sign-in page abstains, the same page keeps its heal", async () => {
    const old =
      "<html><body><main><h1>Profile</h1><form><label>Display name <input name=name></label>" +
      "<p>Shown to your team</p><button id=save type=submit>Save changes</button></form></main></body></html>";
    const signIn =
      "<html><body><h1>Sign in to Acme</h1><form><label>Email <input type=email name=email></label>" +
      "<label>Password <input type=password name=password></label><button type=submit>Sign in</button></form></body></html>";
    const result = await healDom({ selector: "#save", dom: signIn, previousDom: old });
    expect(result.healed).toBe(false);
    expect(result.suggestion?.xpath).toBe("/html[1]/body[1]/form[1]/button[1]");
    const renamed = old.replace("Save changes", "Save").replace(" id=save", "");
    const same = await healDom({ selector: "#save", dom: renamed, previousDom: old });
    expect(same.healed).toBe(true);
    expect(same.xpath).toBe("/html[1]/body[1]/main[1]/form[1]/button[1]");
  });
});

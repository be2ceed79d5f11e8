/**
 * Whether a page's doctype puts a browser in quirks mode, where a `<table>` does not end an open
 * `<p>` (the one tree-construction rule quirks mode changes; docs/heal-model.md, "The page as the
 * browser builds it"). Only a doctype that is there counts: a page sent without one is read in
 * standards mode, because clients serialise the document element (WebDriver's page source,
 * `outerHTML`) and leave the doctype of a standards page out.
 */

// Public identifiers (lower case) a browser reads in quirks mode, as prefixes, from the HTML
// standard's list, families merged where every member is listed (all IETF and W3C HTML 2/3 ones).
const QUIRKS_PREFIXES = [
  "+//silmaril//dtd html pro v0r11 19970101//",
  "-//as//dtd html 3.0 aswedit + extensions//",
  "-//advasoft ltd//dtd html 3.0 aswedit + extensions//",
  "-//ietf//dtd html",
  "-//metrius//dtd metrius presentational//",
  "-//microsoft//dtd internet explorer ",
  "-//netscape comm. corp.//dtd ",
  "-//o'reilly and associates//dtd html ",
  "-//sq//dtd html 2.0 hotmetal + extensions//",
  "-//softquad software//dtd hotmetal pro 6.0::19990601::extensions to html 4.0//",
  "-//softquad//dtd hotmetal pro 4.0::19971010::extensions to html 4.0//",
  "-//spyglass//dtd html 2.0 extended//",
  "-//sun microsystems corp.//dtd hotjava ",
  "-//w3c//dtd html 3",
  "-//w3c//dtd html 4.0 frameset//",
  "-//w3c//dtd html 4.0 transitional//",
  "-//w3c//dtd html experimental ",
  "-//w3c//dtd w3 html//",
  "-//w3o//dtd w3 html 3.0//",
  "-//webtechs//dtd mozilla html",
];
const QUIRKS_IDS = new Set([
  "-//w3o//dtd w3 html strict 3.0//en//",
  "-/w3c/dtd html 4.0 transitional/en",
  "html",
]);
// Quirks without a system identifier only (with one: limited quirks, which keeps the rule).
const QUIRKS_WITHOUT_SYSTEM = ["-//w3c//dtd html 4.01 frameset//", "-//w3c//dtd html 4.01 transitional//"];
const IBM_SYSTEM = "http://www.ibm.com/data/dtd/v11/ibmxhtml1-transitional.dtd";

const DOCTYPE =
  /^!doctype\s*([^\s>]*)\s*(?:(public|system)\s*(?:"([^"]*)"|'([^']*)')?\s*(?:"([^"]*)"|'([^']*)')?)?/i;

/** `declaration`: the doctype as htmlparser2 reports it (`!DOCTYPE html PUBLIC "…"`). */
export function isQuirksDoctype(declaration: string): boolean {
  const match = DOCTYPE.exec(declaration);
  if (match === null || match[1]!.toLowerCase() !== "html") return true;
  const keyword = match[2]?.toLowerCase();
  const first = match[3] ?? match[4];
  const publicId = keyword === "public" ? first?.toLowerCase() : undefined;
  const systemId = (keyword === "public" ? (match[5] ?? match[6]) : first)?.toLowerCase();
  if (keyword === "public" && publicId === undefined) return true;
  if (systemId === IBM_SYSTEM) return true;
  if (publicId === undefined) return false;
  if (QUIRKS_IDS.has(publicId) || QUIRKS_PREFIXES.some((prefix) => publicId.startsWith(prefix))) return true;
  return systemId === undefined && QUIRKS_WITHOUT_SYSTEM.some((prefix) => publicId.startsWith(prefix));
}

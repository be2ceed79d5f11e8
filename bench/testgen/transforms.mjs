// Benign changes the generated suites must survive (the same for every app, applied to the source):
// renamed classes, extra wrapper elements, reordered attributes and regenerated ids. A benign change
// must not change what the app does: a rename reaches the app's own script too (its selectors and
// element lookups), and what the script builds at run time is left alone.

/** class="a b" → class="a-x9 b-x9": in the markup, in className strings and in the <style> block. */
export function renameClasses(html) {
  const names = new Set();
  for (const m of html.matchAll(/class="([^"]*)"/g)) for (const n of m[1].split(/\s+/)) if (n) names.add(n);
  for (const m of html.matchAll(/className = ([^;]+);/g))
    for (const n of m[1].match(/"[^"]*"/g) ?? [])
      for (const w of n.slice(1, -1).split(/\s+/)) if (w) names.add(w);
  const rename = (text) => {
    let out = text;
    for (const n of names) out = out.replace(new RegExp(`(?<![\\w-])${n}(?![\\w-])`, "g"), `${n}-x9`);
    return out;
  };
  return (
    html
      .replace(/class="([^"]*)"/g, (_m, v) => `class="${rename(v)}"`)
      .replace(/className = ([^;]+);/g, (_m, v) => `className = ${v.replace(/"[^"]*"/g, rename)};`)
      .replace(/<style>[\s\S]*?<\/style>/, (css) =>
        css.replace(/\.([a-z][\w-]*)/g, (m, n) => (names.has(n) ? `.${n}-x9` : m)),
      )
      // class selectors in the script's strings (querySelector(".steps a"), closest(".item"))
      .replace(/<script>[\s\S]*?<\/script>/, (js) =>
        js.replace(/"[^"\n]*"/g, (str) =>
          str.replace(/\.([a-z][\w-]*)(?![\w-])/g, (m, n) => (names.has(n) ? `.${n}-x9` : m)),
        ),
      )
  );
}

/** Wraps the body's content in two extra <div>s. */
export function addWrappers(html) {
  return html
    .replace(/<body>/, '<body>\n<div class="shell"><div class="frame">')
    .replace(/<script>/, "</div></div>\n<script>");
}

/** Reverses the attribute order of every static tag with two or more attributes. */
export function reorderAttributes(html) {
  return html.replace(
    /<([a-z][a-z0-9]*)((?:\s+[a-z-]+(?:="[^"]*")?){2,})\s*(\/?)>/g,
    (_m, tag, attrs, slash) => {
      const list = attrs.trim().match(/[a-z-]+(?:="[^"]*")?/g);
      return `<${tag} ${list.reverse().join(" ")}${slash ? " /" : ""}>`;
    },
  );
}

/** id="x" → id="x-4f2a", consistently in getElementById, $("x"), for= and #x selectors. */
export function regenerateIds(html) {
  let out = html;
  for (const [, id] of html.matchAll(/\sid="([^"]+)"/g)) {
    if (id.includes("${")) continue; // built at run time: its references cannot be rewritten statically
    const next = `${id}-4f2a`;
    out = out
      .replaceAll(`id="${id}"`, `id="${next}"`)
      .replaceAll(`for="${id}"`, `for="${next}"`)
      .replaceAll(`getElementById("${id}")`, `getElementById("${next}")`)
      .replaceAll(`$("${id}")`, `$("${next}")`)
      .replace(new RegExp(`#${id}\\b`, "g"), `#${next}`);
  }
  return out;
}

export const benign = [
  ["class renames", renameClasses],
  ["wrappers", addWrappers],
  ["attribute reordering", reorderAttributes],
  ["id regeneration", regenerateIds],
];

// Behaviour mutants of the list app: each replaces one exact snippet of index.html (the bench checks it
// occurs exactly once). Written from the app's behaviours, not from the generated tests.
export const mutants = [
  [
    "handler detached: adding",
    '$("new-item").addEventListener("keydown"',
    '$("new-item").addEventListener("keyup-never"',
  ],
  [
    "wrong count: done items counted",
    "const left = items.filter((i) => !i.done).length;",
    "const left = items.length;",
  ],
  ["off-by-one in the counter", "${left} ${left === 1", "${left + 1} ${left === 1"],
  ["filter ignored", 'filter === "all" || (filter', "true || (filter"],
  ["filter inverted", '(filter === "done" ? i.done : !i.done)', '(filter === "done" ? !i.done : i.done)'],
  [
    "state not persisted",
    "const save = () => localStorage.setItem(KEY, JSON.stringify(items));",
    "const save = () => {};",
  ],
  ["state not loaded", 'JSON.parse(localStorage.getItem(KEY) || "[]")', "[]"],
  ["item not removed", "items = items.filter((i) => i.id !== item.id);", "items = items.filter(() => true);"],
  ["delete removes everything", "items = items.filter((i) => i.id !== item.id);", "items = [];"],
  ["edit not saved", "item.text = edit.value.trim();", "edit.value.trim();"],
  ["text changed: plural", '"items"} left', '"item"} left'],
  ["pluralisation off", 'left === 1 ? "item"', 'left === 0 ? "item"'],
  ["toggle not saved", "item.done = box.checked;", "item.done = item.done;"],
  [
    "clear done is a no-op",
    '$("clear").addEventListener("click", () => {\n    items = items.filter((i) => !i.done);',
    '$("clear").addEventListener("click", () => {\n    items = items.filter(() => true);',
  ],
  ["clear done never shown", '$("clear").hidden = !items.some((i) => i.done);', '$("clear").hidden = true;'],
  ["input not cleared after adding", 'e.target.value = "";', ""],
  ["empty items accepted", 'if (e.key !== "Enter" || !text) return;', 'if (e.key !== "Enter") return;'],
  ["new items added first", "items.push(", "items.unshift("],
  [
    "double-click does nothing",
    'label.addEventListener("dblclick"',
    'label.addEventListener("dblclick-never"',
  ],
  [
    "Escape does not cancel the edit",
    '} else if (e.key === "Escape") {\n            editing = null;',
    '} else if (e.key === "Escape-never") {\n            editing = null;',
  ],
  ["new items start done", "done: false", "done: true"],
  ["done style not applied", 'item.done ? "item done" : "item"', '"item"'],
  ["delete button renamed", "`Delete ${item.text}`", "`Remove ${item.text}`"],
  ["filter buttons not pressed", "String(b.dataset.filter === filter)", '"false"'],
];

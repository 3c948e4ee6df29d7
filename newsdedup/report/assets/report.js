// newsdedup HTML report: draws the scan held in #scan-data. No network, no libraries.
// Every string from the scan reaches the page through text nodes (textContent), never as
// markup: article text can hold anything, "<script>" included.
"use strict";
(function () {
  // The overview is parsed as the page opens; a story's details (evidence, diffs) only when
  // it is opened, from its own block (#story-N), so thousands of stories open at once.
  const data = JSON.parse(document.getElementById("scan-data").textContent);
  const details = new Map();
  function detail(index) {
    if (!details.has(index)) details.set(index, JSON.parse(block(index)));
    return details.get(index);
  }
  // The stories' blocks follow this script in the page: the list is drawn before they are
  // parsed, and what reads them (opening a story, a search) waits until they are.
  const ready = new Promise((resolve) => {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", resolve);
    else resolve();
  });
  const blocks = [];
  function block(index) {
    // read once, then the element goes: the text is not kept twice
    if (blocks[index] === undefined) {
      const node = document.getElementById("story-" + index);
      blocks[index] = node.textContent;
      node.remove();
    }
    return blocks[index];
  }
  const docs = new Map(data.documents.map((d) => [d.id, d]));
  const PAGE = 50;
  const SVG = "http://www.w3.org/2000/svg";
  // Each relation has a colour AND a dash pattern (and a label on the story's tree).
  const RELATIONS = {
    origin: { colour: "#1a1a1a", dash: "" },
    duplicate: { colour: "#0b57d0", dash: "" },
    verbatim: { colour: "#0d652d", dash: "9 3" },
    "light-edit": { colour: "#7a5900", dash: "5 3" },
    excerpt: { colour: "#8e24aa", dash: "1.5 3" },
    aggregate: { colour: "#4a5568", dash: "10 3 2 3" },
    rewrite: { colour: "#c5221f", dash: "6 2 2 2 2 2" },
    paraphrase: { colour: "#a14a00", dash: "2 2" },
    unknown: { colour: "#767676", dash: "1 5" },
  };
  const style = (relation) => RELATIONS[relation] || RELATIONS.unknown;

  // ---- small DOM helpers: attributes by setAttribute, children as text nodes ----
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    return fill(node, attrs, children);
  }
  function sv(tag, attrs, ...children) {
    return fill(document.createElementNS(SVG, tag), attrs, children);
  }
  function fill(node, attrs, children) {
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "text") node.textContent = String(v);
      else node.setAttribute(k, v === true ? "" : String(v));
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      node.append(typeof c === "string" || typeof c === "number" ? document.createTextNode(String(c)) : c);
    }
    return node;
  }

  // ---- what a reader sees of a version ----
  const keyOf = (ref) => (ref ? ref.document + "#" + ref.segment : null);
  function host(url) {
    try { return new URL(url).hostname.replace(/^www\./, ""); } catch (e) { return null; }
  }
  function siteOf(docId) {
    const d = docs.get(docId) || {};
    return d.site || host(d.canonical_url || d.url || "") || null;
  }
  const dateOf = (version) => version.date || null;
  function nameOf(docId) {
    const d = docs.get(docId) || {};
    return d.source || docId;
  }
  function titleOf(version) {
    const d = docs.get(version.document) || {};
    return version.headline || d.title || nameOf(version.document);
  }
  const fixed = (x) => (typeof x === "number" ? x.toFixed(2) : "–");
  function tooltip(version) {
    const parts = [titleOf(version), siteOf(version.document) || nameOf(version.document)];
    const date = dateOf(version);
    if (date) parts.push(date);
    parts.push(version.parent ? version.relation + ", confidence in the parent " + fixed(version.confidence)
                              : "origin, confidence " + fixed(version.confidence));
    parts.push(keyOf(version));
    return parts.join("\n");
  }

  // ---- the derivation tree: origin at the top, children below ----
  function treeOf(story) {
    const nodes = new Map();
    for (const v of story.versions) nodes.set(keyOf(v), { v: v, children: [], x: 0, depth: 0 });
    const roots = [];
    for (const n of nodes.values()) {
      const parent = nodes.get(keyOf(n.v.parent));
      if (parent && parent !== n) parent.children.push(n);
      else roots.push(n);
    }
    // iterative post-order (a story can be deep): leaves take the next column, parents centre
    let column = 0, depth = 0;
    const stack = roots.slice().reverse().map((n) => [n, 0, false]);
    const order = [];
    while (stack.length) {
      const [n, d, done] = stack.pop();
      if (done) {
        n.x = n.children.length ? (n.children[0].x + n.children[n.children.length - 1].x) / 2 : column++;
        continue;
      }
      n.depth = d;
      depth = Math.max(depth, d);
      order.push(n);
      stack.push([n, d, true]);
      for (let i = n.children.length - 1; i >= 0; i--) stack.push([n.children[i], d + 1, false]);
    }
    return { order: order, columns: Math.max(column, 1), depth: depth };
  }

  function drawTree(story, big) {
    const t = treeOf(story);
    const dx = big ? 200 : 16, dy = big ? 80 : 20, r = big ? 8 : 4, pad = big ? 110 : 6;
    const width = (t.columns - 1) * dx + 2 * pad, height = t.depth * dy + 2 * (big ? 28 : 6);
    const top = big ? 20 : 6;
    const at = (n) => [pad + n.x * dx, top + n.depth * dy];
    const label = story.versions.length + " versions; origin " + titleOf(story.versions[0]);
    const svg = sv("svg", { class: "tree", width: width, height: height, viewBox: "0 0 " + width + " " + height,
      role: big ? "group" : "img", "aria-label": big ? "Derivation tree: " + label : label });
    for (const n of t.order) {
      for (const c of n.children) {
        const [x1, y1] = at(n), [x2, y2] = at(c), s = style(c.v.relation);
        svg.append(sv("line", { x1: x1, y1: y1, x2: x2, y2: y2, stroke: s.colour, "stroke-width": big ? 2.5 : 1.6,
          "stroke-dasharray": s.dash || null, class: "edge", "data-relation": c.v.relation }));
        if (big) svg.append(sv("text", { x: (x1 + x2) / 2 + 5, y: (y1 + y2) / 2 + 8, class: "edge-label" }, c.v.relation));
      }
    }
    for (const n of t.order) {
      const [x, y] = at(n), v = n.v;
      const g = sv("g", { class: "tree-node", "data-version": keyOf(v) },
        sv("title", null, tooltip(v)),
        sv("circle", { cx: x, cy: y, r: r, class: "node" + (v.parent ? "" : " origin") }));
      if (big) {
        g.setAttribute("tabindex", "0");
        g.setAttribute("role", "link");
        g.setAttribute("aria-label", titleOf(v) + ", " + (siteOf(v.document) || nameOf(v.document)) + ", " + v.relation);
        // a page holding several versions (an aggregator) names each by its segment too
        const name = siteOf(v.document) || titleOf(v);
        const twice = story.versions.filter((o) => o.document === v.document).length > 1;
        g.append(sv("text", { x: x, y: y + r + 13, "text-anchor": "middle" },
          clip(name, 24) + (twice ? " #" + v.segment : "")));
        const go = () => { const h = document.getElementById(sectionId(story, v)); if (h) { h.focus(); } };
        g.addEventListener("click", go);
        g.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); go(); } });
      }
      svg.append(g);
    }
    return svg;
  }
  const clip = (s, n) => (s.length > n ? s.slice(0, n - 1) + "…" : s);

  function legend(relations) {
    return el("ul", { class: "legend", "aria-label": "Relations" }, relations.map((rel) => {
      const s = style(rel);
      return el("li", null, sv("svg", { width: 34, height: 10, "aria-hidden": "true" },
        sv("line", { x1: 0, y1: 5, x2: 34, y2: 5, stroke: s.colour, "stroke-width": 2.5, "stroke-dasharray": s.dash || null })), rel);
    }));
  }

  // ---- overview ----
  const counts = (story) => {
    const by = {};
    for (const v of story.versions) by[v.relation] = (by[v.relation] || 0) + 1;
    return Object.keys(by).sort().map((k) => [k, by[k]]);
  };
  function originLine(story) {
    const origin = story.versions.find((v) => !v.parent) || story.versions[0];
    const parts = [siteOf(origin.document) || nameOf(origin.document)];
    const date = dateOf(origin);
    if (date) parts.push(date);
    if (story.credit) parts.push("credit " + story.credit);
    return "Origin: " + parts.join(" · ");
  }

  function storyItem(story, index) {
    const bodyId = "story-body-" + index;
    const origin = story.versions.find((v) => !v.parent) || story.versions[0];
    const head = el("button", { class: "story-head", type: "button", "aria-expanded": "false", "aria-controls": bodyId },
      el("span", null,
        el("span", { class: "headline" }, titleOf(origin)), el("br"),
        el("span", { class: "meta" }, originLine(story)), el("br"),
        el("span", { class: "counts" }, story.versions.length + " versions: ",
          counts(story).map(([rel, n], i) => (i ? ", " : "") + n + " " + rel)),
        el("br"), el("span", { class: "id" }, story.id)),
      drawTree(story, false));
    const body = el("div", { class: "story-body", id: bodyId, hidden: true });
    const item = el("li", { class: "story", "data-story": story.id }, el("h2", null, head), body);
    head.addEventListener("click", () => ready.then(() => {
      const open = head.getAttribute("aria-expanded") !== "true";
      head.setAttribute("aria-expanded", String(open));
      if (open && !body.firstChild) body.append(...storyPage(detail(index)));
      body.hidden = !open;
    }));
    return item;
  }

  // ---- a story's page: the tree, then each version's evidence and diff ----
  const sectionId = (story, v) => "v-" + story.id + "-" + v.document + "-" + v.segment;

  function storyPage(story) {
    const out = [];
    if (story.error) out.push(el("p", { class: "error" }, "Incomplete: " + story.error));
    const relations = [...new Set(story.versions.filter((v) => v.parent).map((v) => v.relation))].sort();
    out.push(el("h3", null, "Derivation tree"), legend(relations), el("div", { class: "tree-wrap" }, drawTree(story, true)));
    out.push(el("h3", null, "Versions"));
    for (const n of treeOf(story).order) out.push(versionSection(story, n.v, n.depth));
    return out;
  }

  const byKey = new WeakMap();
  function findVersion(story, ref) {
    if (!byKey.has(story)) byKey.set(story, new Map(story.versions.map((x) => [keyOf(x), x])));
    return byKey.get(story).get(keyOf(ref));
  }
  function refLabel(story, ref) {
    return [titleOf(findVersion(story, ref) || { document: ref.document }), " — ",
      siteOf(ref.document) || nameOf(ref.document), " ", el("span", { class: "id" }, "(" + keyOf(ref) + ")")];
  }
  function versionSection(story, v, depth) {
    const doc = docs.get(v.document) || {};
    const facts = el("dl", { class: "facts" });
    const fact = (term, ...value) => facts.append(el("dt", null, term), el("dd", null, ...value));
    fact("Site", siteOf(v.document) || "unknown");
    fact("Document", el("span", { class: "id" }, v.document + " (segment " + v.segment + ")"));
    if (doc.url) fact("URL", doc.url);
    fact("Date", dateOf(v) || "unknown");
    fact("Relation", v.relation);
    if (v.parent) {
      fact("Parent", ...refLabel(story, v.parent));
      fact("Confidence in the parent", fixed(v.confidence));
      fact("Similarity / containment", fixed(v.similarity) + " / " + fixed(v.containment));
    } else {
      fact("Confidence (origin)", fixed(v.confidence));
    }
    const weight = (e) => /^[+-]\d/.test(e.detail); // a score term ("+1.50"), not a fact
    const credits = (v.evidence || []).filter((e) => !weight(e));
    const weights = (v.evidence || []).filter(weight);
    if (credits.length) fact("Credits, attributions, dates", el("ul", { class: "evidence" }, credits.map((e) => el("li", null, e.kind + ": " + e.detail))));
    if (weights.length) fact("Evidence (weights)", weights.map((e) => e.kind + " " + e.detail).join(", "));
    if ((v.candidates || []).length) {
      fact("Close candidates", el("ul", { class: "evidence" }, v.candidates.map((c) =>
        el("li", null, ...refLabel(story, c), " score " + fixed(c.score)))));
    }
    const heading = el("h4", { id: sectionId(story, v), tabindex: "-1" },
      (depth ? "↳ ".repeat(Math.min(depth, 6)) : ""), titleOf(v), " ", el("span", { class: "meta" }, "· " + v.relation));
    const section = el("section", { class: "version", "data-document": v.document, "data-segment": v.segment,
      "data-relation": v.relation, "aria-labelledby": sectionId(story, v) }, heading, facts);
    if (v.diff) {
      const box = el("div", { class: "diff", hidden: true });
      const toggle = el("button", { class: "diff-toggle", type: "button", "aria-expanded": "false" },
        "Show changes against its parent (" + v.diff.summary + ")");
      toggle.addEventListener("click", () => {
        const open = toggle.getAttribute("aria-expanded") !== "true";
        toggle.setAttribute("aria-expanded", String(open));
        if (open && !box.firstChild) box.append(...diffView(story, v));
        box.hidden = !open;
      });
      section.append(toggle, box);
    } else if (v.parent) {
      section.append(el("p", { class: "empty" }, "No diff in this scan (--no-diffs, or it failed)."));
    }
    return section;
  }

  // ---- a diff, side by side: parent on the left, this version on the right ----
  function marked(text, words, tag) {
    const frag = document.createDocumentFragment();
    let pos = 0;
    for (const w of words) {
      if (!w) continue;
      const i = text.indexOf(w, pos);
      if (i < 0) continue;
      frag.append(text.slice(pos, i), el(tag, null, w));
      pos = i + w.length;
    }
    frag.append(text.slice(pos));
    return frag;
  }

  function diffView(story, v) {
    const d = v.diff, parent = findVersion(story, v.parent) || { document: v.parent.document };
    const out = [];
    if (d.notes.length) {
      out.push(el("h4", null, "Editor notes"), el("ul", { class: "notes" }, d.notes.map((n) =>
        el("li", { "data-kind": n.kind }, el("span", { class: "note-kind" }, n.kind.replace(/-/g, " ") + ":"), n.detail))));
    }
    // rows in this version's order; a removed passage goes before the first change after it
    const rows = [];
    for (const c of d.changed) rows.push({ kind: "changed", at: c.after.start, from: c.before.start, c: c });
    for (const p of d.added) rows.push({ kind: "added", at: p.start, p: p });
    for (const p of d.moved) rows.push({ kind: "moved", at: p.start, p: p });
    rows.sort((a, b) => a.at - b.at);
    for (const p of d.removed.slice().sort((a, b) => a.start - b.start)) {
      const i = rows.findIndex((r) => r.kind === "changed" && r.from > p.start);
      const row = { kind: "removed", p: p };
      if (i < 0) rows.push(row); else rows.splice(i, 0, row);
    }
    const signs = { added: "+ added", removed: "− removed", changed: "~ changed", moved: "↕ moved" };
    const table = el("table", { class: "diff" },
      el("caption", { class: "meta" }, "Changes: " + d.summary),
      el("thead", null, el("tr", null, el("th", { scope: "col", class: "mark" }, "Change"),
        el("th", { scope: "col" }, "Parent: ", titleOf(parent), " ", el("span", { class: "id" }, keyOf(v.parent))),
        el("th", { scope: "col" }, "This version: ", titleOf(v), " ", el("span", { class: "id" }, keyOf(v))))));
    const tbody = el("tbody");
    for (const r of rows) {
      let left = "", right = "";
      if (r.kind === "changed") {
        left = marked(r.c.before.text, r.c.edits.map((e) => e.before), "del");
        right = marked(r.c.after.text, r.c.edits.map((e) => e.after), "ins");
      } else if (r.kind === "removed") left = el("del", null, r.p.text);
      else if (r.kind === "added") right = el("ins", null, r.p.text);
      else right = r.p.text;
      tbody.append(el("tr", { class: r.kind }, el("td", { class: "mark" }, signs[r.kind]),
        el("td", { class: "old" }, left), el("td", { class: "new" }, right)));
    }
    if (!rows.length) tbody.append(el("tr", null, el("td", { colspan: 3, class: "empty" }, "No passage changed.")));
    table.append(tbody);
    out.push(table);
    return out;
  }

  // ---- search, filter, pages ----
  // What a search looks in: headlines, sites, documents, and the text of the story's details
  // block as it stands (its evidence and diffs; JSON, searched without being parsed).
  let haystacks = null;
  function haystack(i) {
    if (!haystacks) {
      haystacks = data.stories.map((s) => {
        const words = [s.id];
        for (const v of s.versions) {
          const d = docs.get(v.document) || {};
          words.push(v.headline || "", d.title || "", siteOf(v.document) || "", d.source || "", v.document, d.url || "");
        }
        return words.join("\n").toLowerCase();
      });
    }
    return haystacks[i];
  }

  const app = document.getElementById("app");
  const sum = data.summary || {};
  document.getElementById("summary").textContent =
    (sum.stories || 0) + " stories in " + (sum.documents || 0) + " documents (" + (sum.skipped || 0) +
    " skipped, " + (sum.failed || 0) + " failed) · newsdedup " + ((data.tool || {}).version || "") +
    ", schema " + data.schema_version;
  const allRelations = [...new Set(data.stories.flatMap((s) => s.versions.map((v) => v.relation)))].sort();
  const edgeRelations = allRelations.filter((r) => r !== "origin");
  const search = el("input", { type: "search", id: "search", placeholder: "headline, site, document, word",
    autocomplete: "off" });
  const filter = el("select", { id: "relation" }, el("option", { value: "" }, "any relation"),
    allRelations.map((r) => el("option", { value: r }, r)));
  const status = el("p", { id: "count", role: "status", "aria-live": "polite" });
  const list = el("ol", { class: "stories", id: "stories", "aria-label": "Stories, largest first" });
  const more = el("button", { type: "button", id: "more" });
  app.append(el("div", { class: "controls", role: "search" },
      el("label", { for: "search" }, "Search", search), el("label", { for: "relation" }, "Relation", filter)),
    legend(edgeRelations), status, list, el("div", { class: "pager" }, more));

  let matches = [], shown = 0;
  // a search reads the stories' blocks, which may still be arriving
  const apply = () => (search.value.trim() ? ready.then(show) : show());
  function show() {
    const q = search.value.trim().toLowerCase(), rel = filter.value;
    // in the blocks' values, not their keys ("text": is in every block)
    const literal = q.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const pattern = q.length > 2 ? new RegExp(literal + '(?![^"]*":)', "i") : null;
    matches = [];
    data.stories.forEach((s, i) => {
      if (rel && !s.versions.some((v) => v.relation === rel)) return;
      if (q && !haystack(i).includes(q) && !(pattern && pattern.test(block(i)))) return;
      matches.push(i);
    });
    list.replaceChildren();
    shown = 0;
    page();
  }
  function page() {
    const next = matches.slice(shown, shown + PAGE);
    list.append(...next.map((i) => storyItem(data.stories[i], i)));
    shown += next.length;
    status.textContent = "Showing " + shown + " of " + matches.length + " stories" +
      (matches.length === data.stories.length ? "" : " (of " + data.stories.length + ")");
    if (!matches.length) {
      list.append(el("li", { class: "empty" }, data.stories.length ? "No story matches." : "No story in this scan."));
    }
    more.hidden = shown >= matches.length;
    more.textContent = "Show " + Math.min(PAGE, matches.length - shown) + " more (" + (matches.length - shown) + " left)";
  }
  let timer = 0;
  search.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(apply, 120); });
  search.addEventListener("keydown", (e) => { if (e.key === "Enter") { clearTimeout(timer); apply(); } });
  filter.addEventListener("change", apply);
  more.addEventListener("click", () => {
    const first = shown;
    page();
    const head = list.children[first] && list.children[first].querySelector(".story-head");
    if (head) head.focus();
  });
  // arrow keys move between stories; Home and End to the first and last shown
  list.addEventListener("keydown", (e) => {
    if (!e.target.classList || !e.target.classList.contains("story-head")) return;
    const heads = [...list.querySelectorAll(".story-head")];
    const i = heads.indexOf(e.target);
    const to = { ArrowDown: i + 1, ArrowUp: i - 1, Home: 0, End: heads.length - 1 }[e.key];
    if (to === undefined || !heads[to]) return;
    e.preventDefault();
    heads[to].focus();
  });

  if ((data.errors || []).length || (data.warnings || []).length) {
    const items = (data.errors || []).map((e) => el("li", null, e.kind + " " + e.path + ": " + e.reason))
      .concat((data.warnings || []).map((w) => el("li", null, "warning " + w.path + ": " + w.message)));
    app.append(el("details", { class: "problems" }, el("summary", null,
      "Inputs not used and warnings (" + items.length + ")"), el("ul", null, items)));
  }
  apply();
})();

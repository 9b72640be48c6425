/* Materials: the corpus documents for hotline staff, read-only (GET /v1/documents).
   Text from the server goes in only through textContent. The UI language is the console's. */
"use strict";

const LANG_KEY = "trainerqa.console.lang";

const STRINGS = {
  zh: {
    title: "资料库", console: "热线问答台", langGroup: "界面语言", docTitle: "标题", source: "来源", published: "日期",
    lang: "语言", passages: "段落数", loading: "正在读取资料…", failed: "资料列表暂时无法读取，请稍后再试。",
    pending: "有新改动的资料正在编入索引。", notIndexed: "尚未编入索引",
    summary: (docs, passages) => `共 ${docs} 篇资料，${passages} 个段落。`, langs: { zh: "中文", en: "英文" },
  },
  en: {
    title: "Materials", console: "Hotline console", langGroup: "Interface language", docTitle: "Title", source: "Source",
    published: "Date", lang: "Language", passages: "Passages", loading: "Loading the materials…",
    failed: "The list of materials cannot be read right now; try again later.",
    pending: "Recently changed materials are being indexed.", notIndexed: "not indexed yet",
    summary: (docs, passages) => `${docs} documents, ${passages} passages.`, langs: { zh: "Chinese", en: "English" },
  },
};

const state = { lang: "zh", listing: null };

function t() {
  return STRINGS[state.lang];
}

/** Switch the interface language (shared with the console) and relabel the page. */
function setLang(lang) {
  state.lang = STRINGS[lang] ? lang : "zh";
  localStorage.setItem(LANG_KEY, state.lang);
  document.title = `${t().title} · ${state.lang === "zh" ? "Materials" : "资料库"}`;
  relabel(t(), state.lang);
  if (state.listing) render(state.listing);
}

/** One row: title, source, date, language, passages (empty cells for what a document lacks). */
function row(d) {
  return el("tr", { "data-doc": d.doc_id },
    el("td", { lang: d.lang === "zh" ? "zh-CN" : "en" }, d.title),
    el("td", {}, d.source || ""),
    el("td", { class: "date" }, d.published || ""),
    el("td", {}, t().langs[d.lang] || d.lang),
    el("td", { class: "num" }, d.indexed ? String(d.passages ?? "") : t().notIndexed));
}

function render(listing) {
  const docs = listing.documents;
  const passages = docs.reduce((sum, d) => sum + (d.passages || 0), 0);
  $("rows").replaceChildren(...docs.map(row));
  $("materials").hidden = false;
  $("summary").textContent = t().summary(docs.length, passages) + (listing.pending ? ` ${t().pending}` : "");
}

async function load() {
  $("summary").textContent = t().loading;
  try {
    const res = await fetch("/v1/documents");
    if (!res.ok) throw new Error(String(res.status));
    state.listing = await res.json();
    render(state.listing);
  } catch {
    $("summary").textContent = t().failed;
  }
}

document.addEventListener("DOMContentLoaded", () => {
  for (const b of document.querySelectorAll("[data-lang]")) b.addEventListener("click", () => setLang(b.dataset.lang));
  setLang(localStorage.getItem(LANG_KEY) || "zh");
  load();
});

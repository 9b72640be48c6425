/* Hotline console: answers as you type, sources beside the answer, copy, recent questions, feedback.
   Text from the user or the server goes in only through textContent / text nodes.
   passageParts, answerNodes, askServer and readAnswerStream mirror widget.js, which must stay one self-contained file. */
"use strict";

const DEBOUNCE_MS = 400;
const MAX_TURNS = 5;
const MAX_TURN_ANSWER = 8000; // the server's limit on an earlier answer in history
const MAX_RECENT = 12;
const RECENT_KEY = "trainerqa.console.recent";
const LANG_KEY = "trainerqa.console.lang";

const STRINGS = {
  zh: {
    title: "热线问答台", langGroup: "界面语言", label: "问题",
    placeholder: "输入来电者的问题（边输边答，回车确认）", newTalk: "新来电", answer: "回答",
    copy: "复制回答和出处", copied: "已复制到剪贴板", copyFailed: "复制失败，请手动选择文字",
    up: "回答有帮助", down: "回答没有帮助", comment: "意见（可选）", thanks: "已记录反馈，谢谢！",
    feedbackFailed: "反馈未能提交", sources: "出处", recent: "本次会话的问题", recentEmpty: "还没有问题。",
    searching: "正在查找…", draft: "草稿（核对中，未经核实）：", failed: "暂时无法回答，请稍后再试。", starting: "服务正在启动，请过几秒再试。",
    notCovered: "资料中没有这方面的内容：请勿猜测，按流程转人工或记录问题。",
    noDirect: "资料中没有直接答案：请勿猜测；右侧相关资料可供参考，必要时转人工或记录问题。", related: "相关资料",
    short: "简答", curated: (who, date) => `工作人员审核的回答（${who}，${date}）`,
    conflict: "资料来源说法不一，请向来电者说明：", context: "上下文", materials: "资料库",
    newTalkDone: "已开始新来电：之前的问题不再作为上下文。", cite: (n) => `出处 ${n}`,
    reviewLink: "答案审核",
  },
  en: {
    title: "Hotline console", langGroup: "Interface language", label: "Question",
    placeholder: "Type the caller's question (answers as you type; Enter to confirm)", newTalk: "New call",
    answer: "Answer", copy: "Copy answer and sources", copied: "Copied to the clipboard",
    copyFailed: "Copy failed; select the text by hand", up: "Helpful answer", down: "Unhelpful answer",
    comment: "Comment (optional)", thanks: "Feedback recorded, thank you!", feedbackFailed: "Feedback could not be sent",
    sources: "Sources", recent: "Questions this session", recentEmpty: "No questions yet.",
    searching: "Looking it up…", draft: "Draft (being checked, not verified):", failed: "We cannot answer right now; try again later.",
    starting: "The service is starting; try again in a few seconds.",
    notCovered: "Not in our materials: do not guess; hand over or log the question.",
    noDirect: "No direct answer in our materials: do not guess; the related materials on the right may help, else hand over or log the question.",
    related: "Related materials", short: "Short answer", curated: (who, date) => `Answer approved by staff (${who}, ${date})`,
    conflict: "Our sources disagree; tell the caller so:", context: "Context", materials: "Materials",
    newTalkDone: "New call: earlier questions are no longer used as context.", cite: (n) => `Source ${n}`,
    reviewLink: "Answer review",
  },
};

const state = { lang: "zh", shown: null, seq: 0, ctrl: null, debounce: 0, composing: false, turns: [] };

/** The strings of the current UI language. */
function t() {
  return STRINGS[state.lang];
}

/** Switch the interface language and relabel every marked element. */
function setLang(lang) {
  state.lang = STRINGS[lang] ? lang : "zh";
  localStorage.setItem(LANG_KEY, state.lang);
  document.title = `${t().title} · ${state.lang === "zh" ? "Hotline console" : "热线问答台"}`;
  relabel(t(), state.lang);
  if (state.shown) render(state.shown);
}

/** POST JSON to this origin; returns the Response. */
function post(path, body, signal) {
  return fetch(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body), signal });
}

/** Ask the server, sending these earlier turns as history; as server-sent events, `onDraft`
    gets a generated answer's text as it comes (unverified), and the final answer is returned. */
async function askServer(question, history, signal, onDraft) {
  const res = await post("/v1/ask", { question, history, stream: true }, signal);
  if (!res.ok) throw new Error(res.status === 503 ? t().starting : t().failed);
  const streamed = (res.headers.get("content-type") || "").startsWith("text/event-stream");
  return streamed ? readAnswerStream(res, onDraft) : res.json();
}

/** The `answer` event of a server-sent event stream; each `delta` before it adds to the draft. */
async function readAnswerStream(res, onDraft) {
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  let draft = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) throw new Error(t().failed);
    buffer += value;
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const lines = buffer.slice(0, end).split("\n");
      buffer = buffer.slice(end + 2);
      const name = (lines.find((l) => l.startsWith("event: ")) || "").slice(7);
      const data = lines.filter((l) => l.startsWith("data: ")).map((l) => l.slice(6)).join("\n");
      if (name === "answer") return JSON.parse(data);
      if (name === "delta") onDraft((draft += JSON.parse(data).text));
    }
  }
}

/** Ask now, dropping any request still in flight; only the newest answer is shown. An answer
    asked for on Enter (`confirmed`) is settled at once; one shown while typing, only when used. */
async function run(question, confirmed) {
  clearTimeout(state.debounce);
  if (state.ctrl) state.ctrl.abort();
  const seq = ++state.seq;
  state.ctrl = new AbortController();
  $("status").textContent = t().searching;
  try {
    const history = state.turns.slice(-MAX_TURNS);
    const showDraft = (draft) => { if (seq === state.seq) $("status").textContent = `${t().draft} ${draft}`; };
    const data = await askServer(question, history, state.ctrl.signal, showDraft);
    if (seq !== state.seq) return;
    state.shown = { question, history, data, rating: null, opened: new Set() };
    render(state.shown);
    $("status").textContent = "";
    if (confirmed) settle();
  } catch (err) {
    if (seq === state.seq && err.name !== "AbortError") $("status").textContent = err instanceof TypeError ? t().failed : err.message;
  }
}

/** The shown answer stays (Enter, copy, a rating): remember it as a turn of this call and in the
    recent list. An answer shown while typing is never stored unless used: it may be half a question. */
function settle() {
  const shown = state.shown;
  if (!shown || shown.settled) return;
  shown.settled = true;
  state.turns.push({ question: shown.question, answer: shown.data.answer.slice(0, MAX_TURN_ANSWER) });
  const recent = loadRecent().filter((q) => q !== shown.question);
  recent.unshift(shown.question);
  sessionStorage.setItem(RECENT_KEY, JSON.stringify(recent.slice(0, MAX_RECENT)));
  renderRecent();
}

function loadRecent() {
  try {
    const list = JSON.parse(sessionStorage.getItem(RECENT_KEY) || "[]");
    return Array.isArray(list) ? list.filter((q) => typeof q === "string") : [];
  } catch {
    return [];
  }
}

function renderRecent() {
  const list = loadRecent();
  $("recent").replaceChildren(...list.map((q) => {
    const b = el("button", { type: "button", class: "link" }, q);
    b.addEventListener("click", () => {
      $("q").value = q;
      run(q, true);
    });
    return el("li", {}, b);
  }));
  $("recent-empty").hidden = list.length > 0;
}

/** The passage split around the cited span, in code points (the server's offsets). */
function passageParts(c) {
  if (c.passage == null || c.passage_start == null) return ["", c.text, ""];
  const chars = Array.from(c.passage);
  const a = c.start - c.passage_start;
  const b = c.end - c.passage_start;
  if (a < 0 || b > chars.length || a > b) return ["", c.text, ""];
  return [chars.slice(0, a).join(""), chars.slice(a, b).join(""), chars.slice(b).join("")];
}

/** The answer text as text nodes, each [n] a link to its source on the right. */
function answerNodes(text, cites) {
  return text.split(/\[(\d+)\]/).map((part, i) => {
    if (i % 2 === 0) return document.createTextNode(part);
    const c = cites[Number(part) - 1];
    if (!c) return document.createTextNode(`[${part}]`);
    const b = el("button", { type: "button", class: "cite", "aria-label": t().cite(c.n) }, `[${c.n}]`);
    b.addEventListener("click", () => focusCitation(c.n));
    return b;
  });
}

function focusCitation(n) {
  const item = document.getElementById(`cite-${n}`);
  item.scrollIntoView({ block: "nearest" });
  item.focus();
}

/** "source · date": only the parts the document has ("" for neither). */
function metaLine(c) {
  return [c.source, c.published].filter(Boolean).join(" · ");
}

/** Show one answer: the short answer big, the text, the not-covered or conflict notes, the sources
    (or, for a declined question, the related passages), fresh feedback. */
function render({ data, rating, opened }) {
  const cites = data.citations || [];
  const related = data.answerable ? [] : data.related || [];
  $("result").hidden = false;
  $("short").hidden = !data.short_answer;
  $("short").textContent = data.short_answer ? data.short_answer.text : "";
  $("answer").lang = data.lang === "zh" ? "zh-CN" : "en";
  $("answer").replaceChildren(...answerNodes(data.answer, cites));
  $("notes").replaceChildren(...notes(data));
  $("cites-h").textContent = related.length ? t().related : t().sources;
  $("citations").replaceChildren(...cites.map(citationItem), ...related.map((r) => relatedItem(r, opened)));
  for (const b of document.querySelectorAll(".thumb")) {
    b.setAttribute("aria-pressed", String(b.dataset.rating === rating));
    b.disabled = rating != null;
  }
  $("done").textContent = rating ? t().thanks : "";
}

function notes(data) {
  const out = [];
  const related = data.related || [];
  if (data.curated) {
    const { approved_by: who, approved_at: when } = data.curated;
    out.push(el("p", { class: "curated", role: "note" }, t().curated(who, String(when).slice(0, 10))));
  }
  if (!data.answerable) out.push(el("p", { class: "uncovered", role: "note" }, related.length ? t().noDirect : t().notCovered));
  for (const k of data.conflicts || []) {
    const values = k.values.map((v) => `${v.value} (${v.citations.map((n) => `[${n}]`).join(" ")})`).join(" ≠ ");
    out.push(el("p", { class: "conflict", role: "note" }, el("strong", {}, t().conflict), " ", k.about, ": ", values));
  }
  return out;
}

function citationItem(c) {
  const [before, span, after] = passageParts(c);
  return el("li", { id: `cite-${c.n}`, tabindex: "-1", lang: c.lang === "zh" ? "zh-CN" : "en" },
    el("div", { class: "ctitle" }, `[${c.n}] ${c.title}`),
    el("div", { class: "meta" }, metaLine(c)),
    el("blockquote", {}, c.text),
    el("details", {}, el("summary", {}, t().context), el("p", { class: "passage" }, before, el("mark", {}, span), after)));
}

/** A related passage: its best sentence, the passage around it on demand (opening it is remembered). */
function relatedItem(r, opened) {
  const c = { ...r, start: r.highlight_start, end: r.highlight_end, passage_start: r.start };
  const [before, span, after] = passageParts(c);
  const more = el("details", { open: opened.has(r.n) }, el("summary", {}, t().context),
    el("p", { class: "passage" }, before, el("mark", {}, span), after));
  more.addEventListener("toggle", () => { if (more.open) opened.add(r.n); });
  return el("li", { id: `related-${r.n}`, class: "related", tabindex: "-1", lang: r.lang === "zh" ? "zh-CN" : "en" },
    el("div", { class: "ctitle" }, `[${r.n}] ${r.title}`),
    el("div", { class: "meta" }, metaLine(r)),
    el("blockquote", {}, span), more);
}

/** Answer plus numbered sources as plain text, for pasting into a message or a ticket. */
function copyText({ data }) {
  const lines = (data.citations || []).map((c) => {
    const meta = [c.source, c.published].filter(Boolean).join(", ");
    return `[${c.n}] ${c.title}${meta ? ` — ${meta}` : ""}`;
  });
  return lines.length ? `${data.answer}\n\n${t().sources}:\n${lines.join("\n")}` : data.answer;
}

async function copy() {
  if (!state.shown) return;
  const text = copyText(state.shown);
  let ok = false;
  try {
    await navigator.clipboard.writeText(text);
    ok = true;
  } catch {
    ok = copyWithSelection(text);
  }
  $("done").textContent = ok ? t().copied : t().copyFailed;
  settle();
}

/** The old way, for browsers without the async clipboard (or without permission). */
function copyWithSelection(text) {
  const area = el("textarea", { class: "offscreen", readonly: "" });
  area.value = text;
  document.body.append(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand("copy");
  } catch {
    ok = false;
  }
  area.remove();
  return ok;
}

async function sendFeedback(rating) {
  const shown = state.shown;
  if (!shown || shown.rating) return;
  const { question, history, data, opened } = shown;
  const body = { question, answer: data.answer, citations: data.citations || [], index_version: data.index_version, rating,
    history, opened_related: [...opened].sort((a, b) => a - b), answerable: data.answerable, origin: data.origin };
  const comment = $("comment").value.trim();
  if (comment) body.comment = comment;
  const res = await post("/v1/feedback", body).catch(() => null);
  if (res && res.ok) {
    shown.rating = rating;
    $("comment").value = "";
    render(shown);
    settle();
  } else {
    $("done").textContent = t().feedbackFailed;
  }
}

function newCall() {
  state.turns = [];
  $("status").textContent = t().newTalkDone;
  $("q").value = "";
  $("q").focus();
}

/** Whether an input method is still composing (pinyin not yet turned into characters). */
function composing(event) {
  return state.composing || event.isComposing || event.keyCode === 229;
}

/** Ask for the typed text after a pause in typing (never for unfinished pinyin). */
function askAsYouType(event) {
  clearTimeout(state.debounce);
  if (composing(event)) return;
  const q = $("q").value.trim();
  if (q.length >= 2) state.debounce = setTimeout(() => run(q, false), DEBOUNCE_MS);
}

function wire() {
  const input = $("q");
  input.addEventListener("compositionstart", () => {
    state.composing = true;
    clearTimeout(state.debounce);
  });
  input.addEventListener("compositionend", (event) => {
    state.composing = false;
    askAsYouType(event);
  });
  input.addEventListener("input", askAsYouType);
  // Enter that picks a candidate of the input method is not "send" (Safari ends composition first).
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && composing(event)) event.preventDefault();
  });
  $("ask").addEventListener("submit", (event) => {
    event.preventDefault();
    const q = input.value.trim();
    if (q && !state.composing) run(q, true);
  });
  $("copy").addEventListener("click", copy);
  $("new").addEventListener("click", newCall);
  for (const b of document.querySelectorAll(".thumb")) b.addEventListener("click", () => sendFeedback(b.dataset.rating));
  for (const b of document.querySelectorAll("[data-lang]")) b.addEventListener("click", () => setLang(b.dataset.lang));
}

document.addEventListener("DOMContentLoaded", () => {
  wire();
  setLang(localStorage.getItem(LANG_KEY) || "zh");
  renderRecent();
});

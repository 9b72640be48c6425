/* Review view: rated answers to review, one click from each row to approve a corrected answer, confirm that
   declining was right, or add a gold question; every action undoable. A dashboard with an SVG bar chart.
   The admin token lives in sessionStorage only (never localStorage, never a URL).
   Text from users or the server goes in only through textContent / text nodes. */
"use strict";

const TOKEN_KEY = "trainerqa.review.token";
const REVIEWER_KEY = "trainerqa.review.reviewer";
const LANG_KEY = "trainerqa.review.lang";
const PAGE_SIZE = 20;
const DAYS = 30;
const SVG_NS = "http://www.w3.org/2000/svg";

const STRINGS = {
  zh: {
    title: "答案审核", toConsole: "热线问答台", logout: "退出", langGroup: "界面语言",
    loginTitle: "管理员登录", loginHint: "令牌只保存在本浏览器标签页的会话中，关闭标签页即失效。",
    token: "管理令牌", reviewer: "审核人", login: "进入", badToken: "令牌无效或管理接口未开启：",
    dashboard: "概览（近 30 天）", perDay: "每天的提问", asked: "提问", downShareRated: "差评占评价",
    logOff: "未记录提问（TRAINERQA_LOG_QUESTIONS 已关闭）：提问、拒答和未能回答的问题无从统计，只有评价。", unansweredZh: "未能回答的问题（中文）",
    unansweredEn: "未能回答的问题（英文）", noneYet: "暂无。", times: (n) => `${n} 次`,
    rated: "收到评价", declinedShare: "拒答占比", downShare: "差评占提问", all: "全部", zhName: "中文", enName: "英文",
    feedback: "用户评价", lang: "语言", rating: "评价", any: "全部", up: "好评", down: "差评", since: "起", until: "止",
    version: "索引版本", apply: "筛选", prev: "上一页", next: "下一页", loading: "正在加载…", empty: "没有符合条件的评价。",
    range: (a, b, n) => `第 ${a}–${b} 条，共 ${n} 条`, failed: "加载失败：",
    question: "问题", history: "之前的对话", answer: "回答", citations: "出处", comment: "意见", declined: "拒答",
    approve: "批准修正答案", declineRight: "拒答正确", addGold: "加入金标", undo: "撤销",
    verdictDeclining: "已确认：拒答正确", verdictCurated: (r) => `已批准修正答案 #${r}`, verdictGold: (r) => `已加入金标 ${r}`,
    questions: "问题与同义问法（每行一个，可中英混合）", answerZh: "中文答案", answerEn: "英文答案",
    pickCitations: "引用出处（可不选；先选中段落中的句子再点“添加”，只引用该句）", searchPassages: "搜索资料段落", search: "搜索", add: "添加", remove: "移除",
    save: "保存", cancel: "取消", saved: "已保存。", actionFailed: "操作失败：",
    facts: "必须包含的事实（每行一个；同一事实的不同写法用 | 分隔）", evidence: "证据（资料原文；可先选中其中的句子）", type: "答案类型",
    short: "可接受的简答（每行一个）", answerable: "资料能回答此问题", chosen: "已选", noResults: "没有找到段落。",
    staleTitle: "待重新批准的修正答案", staleHint: "引用的资料段落已改动或删除：重新批准前不再使用这些答案。",
    curatedOrigin: "修正答案", staleNone: "没有待重新批准的答案。", reapprove: "重新批准", staleWhy: "原因", approvedBy: (who, when) => `${who} 于 ${when} 批准`,
  },
  en: {
    title: "Answer review", toConsole: "Hotline console", logout: "Log out", langGroup: "Interface language",
    loginTitle: "Admin sign-in", loginHint: "The token is kept in this browser tab's session only and is gone when the tab closes.",
    token: "Admin token", reviewer: "Reviewer", login: "Enter", badToken: "Token refused or admin endpoints off: ",
    dashboard: "Overview (last 30 days)", perDay: "Questions per day", asked: "Questions", downShareRated: "Thumbs down / rated",
    logOff: "Questions are not logged (TRAINERQA_LOG_QUESTIONS is off): only ratings are counted, not questions, declines or unanswered topics.", unansweredZh: "Unanswered questions (Chinese)",
    unansweredEn: "Unanswered questions (English)", noneYet: "None yet.", times: (n) => `${n}×`,
    rated: "Rated", declinedShare: "Declined", downShare: "Thumbs down / asked", all: "All", zhName: "Chinese", enName: "English",
    feedback: "Ratings", lang: "Language", rating: "Rating", any: "Any", up: "Thumbs up", down: "Thumbs down",
    since: "From", until: "To", version: "Index version", apply: "Filter", prev: "Previous", next: "Next",
    loading: "Loading…", empty: "No ratings match.", range: (a, b, n) => `${a}–${b} of ${n}`, failed: "Could not load: ",
    question: "Question", history: "Earlier turns", answer: "Answer", citations: "Sources", comment: "Comment",
    declined: "declined", approve: "Approve a corrected answer", declineRight: "Declining was right", addGold: "Add to gold",
    undo: "Undo", verdictDeclining: "Confirmed: declining was right", verdictCurated: (r) => `Corrected answer #${r} approved`,
    verdictGold: (r) => `Added to gold as ${r}`,
    questions: "Question and paraphrases (one a line, either language)", answerZh: "Chinese answer", answerEn: "English answer",
    pickCitations: "Citations (optional; select a sentence in a passage before Add to cite only it)", searchPassages: "Search passages", search: "Search", add: "Add", remove: "Remove",
    save: "Save", cancel: "Cancel", saved: "Saved.", actionFailed: "Failed: ",
    facts: "Required facts (one a line; spellings of one fact separated by |)", evidence: "Evidence (quotes of the articles; select a sentence first to quote only it)",
    type: "Answer type", short: "Acceptable short answers (one a line)", answerable: "The materials answer it",
    chosen: "Chosen", noResults: "No passages found.",
    staleTitle: "Corrected answers to approve again", staleHint: "A cited passage changed or is gone: these answers are not served until approved again.",
    curatedOrigin: "curated answer", staleNone: "Nothing to approve again.", reapprove: "Approve again", staleWhy: "Why",
    approvedBy: (who, when) => `approved by ${who} on ${when}`,
  },
};
const GOLD_TYPES = ["other", "count", "percent", "money", "date", "schedule", "duration", "person", "organisation",
  "place", "channel", "list", "definition", "yesno", "reason"];

const state = { lang: "zh", offset: 0, total: 0, filters: {} };

function t() {
  return STRINGS[state.lang];
}

function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  node.append(...children);
  return node;
}

function button(label, onClick, cls = "") {
  const b = el("button", { type: "button", class: cls }, label);
  b.addEventListener("click", onClick);
  return b;
}

class ApiError extends Error {
  constructor(status, detail) {
    super(detail);
    this.status = status;
  }
}

/** Call the admin API with the session's token; problem+json errors become ApiError with the server's detail. */
async function api(method, path, body) {
  const headers = { Authorization: `Bearer ${sessionStorage.getItem(TOKEN_KEY) || ""}` };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (res.ok) return res.status === 204 ? null : res.json();
  let detail = `${res.status} ${res.statusText}`;
  try {
    const problem = await res.json();
    if (problem.detail) detail = `${res.status} ${problem.detail}`;
  } catch { /* not JSON: keep the status line */ }
  if (res.status === 401 || res.status === 403) signOut(t().badToken + detail);
  throw new ApiError(res.status, detail);
}

/* ---------- language ---------- */

function setLang(lang) {
  state.lang = STRINGS[lang] ? lang : "zh";
  localStorage.setItem(LANG_KEY, state.lang); // the interface language only; the token never leaves sessionStorage
  document.title = `${t().title} · ${state.lang === "zh" ? "Review" : "答案审核"}`;
  relabel(t(), state.lang);
  if (!$("app").hidden) refresh();
}

/* ---------- sign-in ---------- */

function signIn(event) {
  event.preventDefault();
  sessionStorage.setItem(TOKEN_KEY, $("token").value.trim());
  sessionStorage.setItem(REVIEWER_KEY, $("reviewer").value.trim());
  $("token").value = "";
  showApp();
}

function signOut(message = "") {
  sessionStorage.removeItem(TOKEN_KEY);
  $("app").hidden = true;
  $("logout").hidden = true;
  $("login").hidden = false;
  $("login-error").textContent = message;
  $("reviewer").value = sessionStorage.getItem(REVIEWER_KEY) || "";
}

function showApp() {
  $("login").hidden = true;
  $("app").hidden = false;
  $("logout").hidden = false;
  $("login-error").textContent = "";
  refresh();
}

function refresh() {
  loadStats().catch(() => {});
  loadStale();
  loadRows().catch(() => {});
}

/* ---------- dashboard ---------- */

async function loadStats() {
  const stats = await api("GET", `/v1/review/stats?days=${DAYS}`);
  renderTotals(stats);
  renderChart(stats.days);
  for (const lang of ["zh", "en"]) renderUnanswered($(`unanswered-${lang}`), stats.unanswered[lang]);
}

function share(value) {
  return value == null ? "–" : `${Math.round(value * 100)}%`;
}

function renderTotals(stats) {
  const rows = [[t().all, stats.total], [t().zhName, stats.languages.zh], [t().enName, stats.languages.en]];
  const columns = [t().asked, t().declinedShare, t().rated, t().downShare, t().downShareRated];
  const head = el("tr", {}, el("th", {}), ...columns.map((h) => el("th", { scope: "col" }, h)));
  const body = rows.map(([name, x]) =>
    el("tr", {}, el("th", { scope: "row" }, name), el("td", {}, String(x.questions)), el("td", {}, share(x.declined_share)),
      el("td", {}, String(x.rated)), el("td", {}, share(x.down_share)), el("td", {}, share(x.down_share_rated))));
  const off = stats.question_log ? null : el("p", { class: "note" }, t().logOff);
  $("totals").replaceChildren(...[off, el("table", { class: "totals-table" }, el("thead", {}, head), el("tbody", {}, ...body))].filter(Boolean));
}

/** A bar a day, Chinese and English stacked; each bar's <title> gives its numbers. */
function renderChart(days) {
  const width = 640, height = 180, pad = { left: 28, right: 8, top: 10, bottom: 24 };
  const max = Math.max(1, ...days.map((d) => d.questions));
  const step = (width - pad.left - pad.right) / days.length;
  const y = (n) => ((height - pad.top - pad.bottom) * n) / max;
  const base = height - pad.bottom;
  const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", class: "bars",
    "aria-label": `${t().perDay}: ${days.map((d) => `${d.date} ${d.questions}`).join(", ")}` });
  chart.append(svg("line", { x1: pad.left, y1: base, x2: width - pad.right, y2: base, class: "axis" }));
  chart.append(svg("text", { x: pad.left - 4, y: pad.top + 8, class: "tick", "text-anchor": "end" }, String(max)));
  chart.append(svg("text", { x: pad.left - 4, y: base, class: "tick", "text-anchor": "end" }, "0"));
  days.forEach((d, i) => {
    const x = pad.left + i * step + step * 0.15, w = step * 0.7;
    const group = svg("g", { class: "day" }, svg("title", {}, `${d.date}: ${d.questions} (${t().zhName} ${d.zh}, ${t().enName} ${d.en}; ${t().declined} ${d.declined}, ${t().rated} ${d.rated})`));
    group.append(svg("rect", { x, y: base - y(d.zh), width: w, height: y(d.zh), class: "zh" }));
    group.append(svg("rect", { x, y: base - y(d.zh) - y(d.en), width: w, height: y(d.en), class: "en" }));
    if (i % 7 === days.length % 7 || i === days.length - 1) {
      group.append(svg("text", { x: x + w / 2, y: height - 8, class: "tick", "text-anchor": "middle" }, d.date.slice(5)));
    }
    chart.append(group);
  });
  const legend = el("p", { class: "legend" }, el("span", { class: "key zh" }), t().zhName, " ", el("span", { class: "key en" }), t().enName);
  $("chart").replaceChildren(chart, legend);
}

function renderUnanswered(list, topics) {
  list.replaceChildren(...topics.map((c) => el("li", {}, c.question, " ", el("span", { class: "count" }, t().times(c.count)),
    c.examples.length > 1 ? el("div", { class: "examples" }, c.examples.slice(1).join(" · ")) : null)));
  if (!topics.length) list.replaceChildren(el("li", { class: "none" }, t().noneYet));
}

/* ---------- curated answers flagged stale ---------- */

async function loadStale() {
  $("stale-status").textContent = "";
  try {
    const entries = await api("GET", "/v1/curated?stale=true");
    $("stale").replaceChildren(...entries.map(renderStale));
    if (!entries.length) $("stale-status").textContent = t().staleNone;
  } catch (err) {
    $("stale").replaceChildren();
    $("stale-status").textContent = t().failed + err.message;
  }
}

function renderStale(entry) {
  const status = el("span", { class: "status result", role: "status" });
  const again = async () => {
    status.textContent = "";
    try {
      await api("POST", `/v1/curated/${entry.id}/approve`, { approved_by: sessionStorage.getItem(REVIEWER_KEY) || "reviewer" });
      loadStale();
    } catch (err) {
      status.textContent = t().actionFailed + err.message;
    }
  };
  const answers = ["zh", "en"].filter((lang) => entry.answers[lang]).map((lang) => el("div", { class: "answer" }, `${lang}: ${entry.answers[lang]}`));
  return el("li", { "data-id": entry.id }, el("strong", {}, `#${entry.id} ${entry.questions[0]}`), " ",
    el("span", { class: "meta" }, t().approvedBy(entry.approved_by, entry.approved_at.slice(0, 10))), ...answers,
    el("p", { class: "why" }, `${t().staleWhy}: ${entry.stale_reason || ""}`),
    el("div", { class: "actions" }, button(t().reapprove, again, "action"), status));
}

/* ---------- the feedback list ---------- */

async function loadRows() {
  $("status").textContent = t().loading;
  const params = new URLSearchParams({ ...state.filters, limit: String(PAGE_SIZE), offset: String(state.offset) });
  try {
    const page = await api("GET", `/v1/review/feedback?${params}`);
    state.total = page.total;
    $("rows").replaceChildren(...page.items.map(renderRow));
    const last = state.offset + page.items.length;
    $("status").textContent = page.items.length ? "" : t().empty;
    $("page").textContent = page.items.length ? t().range(state.offset + 1, last, page.total) : "";
    $("prev").disabled = state.offset === 0;
    $("next").disabled = last >= page.total;
  } catch (err) {
    $("status").textContent = t().failed + err.message;
  }
}

function applyFilters(event) {
  event.preventDefault();
  const data = new FormData($("filters"));
  state.filters = Object.fromEntries([...data.entries()].filter(([, v]) => String(v).trim()));
  state.offset = 0;
  loadRows();
}

function renderRow(row) {
  const card = el("article", { class: `row ${row.rating}`, "data-id": row.id });
  const badge = el("span", { class: `badge ${row.rating}` }, row.rating === "down" ? t().down : t().up);
  card.append(el("header", {}, badge, el("span", { class: "meta" }, `#${row.id} · ${row.created_at.replace("T", " ").slice(0, 16)} · ${row.lang} · ${row.index_version}`),
    row.answerable ? null : el("span", { class: "badge declined" }, t().declined),
    row.origin === "curated" ? el("span", { class: "badge curated" }, t().curatedOrigin) : null));
  card.append(el("p", { class: "question" }, row.question));
  if (row.history.length) {
    card.append(el("details", { class: "history" }, el("summary", {}, `${t().history} (${row.history.length})`),
      el("ol", {}, ...row.history.map((turn) => el("li", {}, el("strong", {}, turn.question), turn.answer ? el("div", { class: "turn-answer" }, turn.answer) : null)))));
  }
  card.append(el("div", { class: "answer" }, row.answer));
  if (row.citations.length) {
    card.append(el("ol", { class: "citations", "aria-label": t().citations },
      ...row.citations.map((c) => el("li", {}, el("span", { class: "ctitle" }, c.title || c.doc_id), " ", el("q", {}, c.text)))));
  }
  if (row.comment) card.append(el("p", { class: "comment" }, el("strong", {}, `${t().comment}: `), row.comment));
  const work = el("div", { class: "work" });
  card.append(renderVerdicts(row, work), work);
  return card;
}

/** The verdicts given, each with its undo; the actions not taken yet, one click away. */
function renderVerdicts(row, work) {
  const done = new Map(row.verdicts.map((v) => [v.kind, v]));
  const bar = el("div", { class: "actions" });
  const status = el("span", { class: "status", role: "status" });
  for (const v of row.verdicts) {
    const label = v.kind === "declining_right" ? t().verdictDeclining : v.kind === "curated" ? t().verdictCurated(v.ref) : t().verdictGold(v.ref);
    bar.append(el("span", { class: "verdict" }, label, " ", button(t().undo, () => act(status, () => undo(v)), "link")));
  }
  if (!done.has("curated")) bar.append(button(t().approve, () => work.replaceChildren(curateForm(row, work)), "action"));
  if (!row.answerable && !done.has("declining_right")) {
    bar.append(button(t().declineRight, () => act(status, () => api("POST", `/v1/review/feedback/${row.id}/verdicts`, { kind: "declining_right" })), "action"));
  }
  if (!done.has("gold")) bar.append(button(t().addGold, () => work.replaceChildren(goldForm(row, work)), "action"));
  bar.append(status);
  return bar;
}

/** Run an action; reload the list when it worked, else show the server's reason. */
async function act(status, action) {
  status.textContent = "";
  try {
    await action();
    await loadRows();
    loadStats().catch(() => {});
  } catch (err) {
    status.textContent = t().actionFailed + err.message;
  }
}

/** Undo a verdict and what it made (the curated entry, the gold question). */
async function undo(verdict) {
  if (verdict.kind === "curated" && verdict.ref) await api("DELETE", `/v1/curated/${verdict.ref}`).catch(gone);
  if (verdict.kind === "gold" && verdict.ref) await api("DELETE", `/v1/gold/${verdict.ref}`).catch(gone);
  await api("DELETE", `/v1/review/verdicts/${verdict.id}`);
}

/** What was made is gone already: undoing the verdict is all that is left to do. */
function gone(err) {
  if (!(err instanceof ApiError && err.status === 404)) throw err;
}

/* ---------- passages: the row's citations, or found by searching ---------- */

/** A picker of corpus spans: the row's own citations as candidates, and a search of the passages. */
function passagePicker(row) {
  const chosen = new Map();
  const chosenList = el("ul", { class: "chosen" });
  const redraw = () => chosenList.replaceChildren(...[...chosen.values()].map((p) =>
    el("li", {}, el("q", {}, p.text), " ", button(t().remove, () => { chosen.delete(key(p)); redraw(); }, "link"))));
  const key = (p) => `${p.doc_id}:${p.start}:${p.end}`;
  const offer = (p) => {
    const quote = el("q", {}, p.text);
    let picked = null;
    const add = button(t().add, () => { const span = picked || p; chosen.set(key(span), span); redraw(); picked = null; }, "link");
    // The selection is read before the click can move it: a selected sentence is cited rather than the whole passage.
    const remember = () => { picked = selectedSpan(p, quote); };
    add.addEventListener("pointerdown", remember);
    add.addEventListener("keydown", remember);
    return el("li", {}, el("span", { class: "ctitle" }, p.title || p.doc_id), " ", quote, " ", add);
  };
  const found = el("ul", { class: "found" }, ...row.citations.map(offer));
  const query = el("input", { type: "search", maxlength: 2000, "aria-label": t().searchPassages, placeholder: t().searchPassages });
  query.value = row.question;
  const status = el("span", { class: "status" });
  const search = async () => {
    status.textContent = "";
    const res = await fetch(`/v1/search?${new URLSearchParams({ q: query.value, k: "5" })}`);
    if (!res.ok) { status.textContent = t().actionFailed + res.status; return; }
    const results = (await res.json()).results;
    found.replaceChildren(...results.map(offer));
    if (!results.length) status.textContent = t().noResults;
  };
  query.addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); search(); } });
  const node = el("fieldset", { class: "picker" }, el("legend", {}, t().pickCitations),
    el("div", { class: "search" }, query, button(t().search, search), status), found, el("p", { class: "hint" }, t().chosen), chosenList);
  return { node, chosen: () => [...chosen.values()] };
}

/** The part of passage p the user selected inside its quote element, as a span of the article; else null. */
function selectedSpan(p, quote) {
  const selection = window.getSelection();
  if (!selection || selection.isCollapsed || !quote.contains(selection.anchorNode) || !quote.contains(selection.focusNode)) return null;
  const text = selection.toString().trim();
  const at = p.text.indexOf(text);
  if (!text || at < 0) return null;
  return { ...p, start: p.start + at, end: p.start + at + text.length, text };
}

function field(label, input) {
  return el("label", { class: "field" }, el("span", {}, label), input);
}

function lines(text) {
  return text.split("\n").map((s) => s.trim()).filter(Boolean);
}

/** Approve a corrected answer: questions, an answer per language, citations → POST /v1/curated, then the verdict. */
function curateForm(row, work) {
  const questions = el("textarea", { rows: 3, class: "questions" });
  questions.value = row.question;
  const zh = el("textarea", { rows: 3, class: "answer-zh", "aria-label": t().answerZh });
  const en = el("textarea", { rows: 3, class: "answer-en", "aria-label": t().answerEn });
  const picker = passagePicker(row);
  const status = el("span", { class: "status result", role: "status" });
  const save = () => act(status, async () => {
    const body = {
      questions: lines(questions.value),
      answers: { zh: zh.value.trim() || null, en: en.value.trim() || null },
      citations: picker.chosen().map((p) => ({ doc_id: p.doc_id, start: p.start, end: p.end })),
      approved_by: sessionStorage.getItem(REVIEWER_KEY) || "reviewer",
      feedback_id: row.id,
    };
    const entry = await api("POST", "/v1/curated", body);
    await api("POST", `/v1/review/feedback/${row.id}/verdicts`, { kind: "curated", ref: String(entry.id) });
  });
  return el("div", { class: "editor curate" }, field(t().questions, questions), field(t().answerZh, zh), field(t().answerEn, en),
    picker.node, el("div", { class: "actions" }, button(t().save, save, "primary"), button(t().cancel, () => work.replaceChildren()), status));
}

/** Add a gold question: facts and evidence quotes (from the row's citations or a search) → POST /v1/gold, then the verdict. */
function goldForm(row, work) {
  const question = el("input", { type: "text", maxlength: 2000, class: "gold-question" });
  question.value = row.question;
  const answerable = el("input", { type: "checkbox", class: "gold-answerable" });
  answerable.checked = true;
  const facts = el("textarea", { rows: 2, class: "gold-facts" });
  const short = el("textarea", { rows: 2, class: "gold-short" });
  const type = el("select", { class: "gold-type" }, ...GOLD_TYPES.map((name) => el("option", { value: name }, name)));
  const picker = passagePicker(row);
  picker.node.querySelector("legend").textContent = t().evidence;
  const status = el("span", { class: "status result", role: "status" });
  const save = () => act(status, async () => {
    const yes = answerable.checked;
    const body = {
      question: question.value.trim(),
      answerable: yes,
      facts: yes ? lines(facts.value).map((f) => f.split("|").map((s) => s.trim()).filter(Boolean)) : [],
      evidence: yes ? picker.chosen().map((p) => ({ doc_id: p.doc_id, quote: p.text })) : [],
      type: type.value,
      short: yes ? lines(short.value) : [],
      history: row.history.map((turn) => ({ question: turn.question, answer: "" })),
      feedback_id: row.id,
    };
    const gold = await api("POST", "/v1/gold", body);
    await api("POST", `/v1/review/feedback/${row.id}/verdicts`, { kind: "gold", ref: gold.id });
  });
  return el("div", { class: "editor gold" }, field(t().question, question),
    el("label", { class: "check" }, answerable, t().answerable), field(t().facts, facts), picker.node,
    field(t().type, type), field(t().short, short),
    el("div", { class: "actions" }, button(t().save, save, "primary"), button(t().cancel, () => work.replaceChildren()), status));
}

/* ---------- start ---------- */

function start() {
  const lang = localStorage.getItem(LANG_KEY) || ((navigator.language || "").toLowerCase().startsWith("zh") ? "zh" : "en");
  for (const b of document.querySelectorAll("[data-lang]")) b.addEventListener("click", () => setLang(b.dataset.lang));
  $("login").addEventListener("submit", signIn);
  $("logout").addEventListener("click", () => signOut());
  $("filters").addEventListener("submit", applyFilters);
  $("prev").addEventListener("click", () => { state.offset = Math.max(0, state.offset - PAGE_SIZE); loadRows(); });
  $("next").addEventListener("click", () => { state.offset += PAGE_SIZE; loadRows(); });
  setLang(lang);
  if (sessionStorage.getItem(TOKEN_KEY)) showApp();
  else signOut();
}

start();

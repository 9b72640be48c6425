/* trainer-qa chat widget. Embed: <script src="https://HOST/widget.js" defer></script>
   Options (data- attributes on that tag): data-lang (auto|zh|en), data-title, data-accent,
   data-position (bottom-right|bottom-left), data-fallback (contact line shown when we cannot answer or
   an error occurs), data-starters (starter questions separated by "|"; absent: a few of our own in the
   page's language; empty: none). The widget's own labels follow the language of the latest answer.
   Safe by construction: every piece of text from the user or the server goes in through
   textContent / text nodes; no innerHTML, no inline handlers, no eval; styles through a
   constructable stylesheet, so a strict host CSP needs only script-src for this file. */
(() => {
  "use strict";

  const script = document.currentScript;
  if (!script || document.querySelector("trainer-qa-widget")) return;

  const API = new URL(script.src, location.href).origin;
  const MAX_TURNS = 5;
  const MAX_TURN_ANSWER = 8000;  // the server's limit on an earlier answer in history
  const TIMEOUT_MS = 30000;

  const STRINGS = {
    zh: {
      title: "AI训练师课程咨询", open: "打开在线咨询", close: "关闭咨询窗口",
      greeting: "您好！关于AI训练师职业和课程，有什么想了解的？回答均摘自我们的资料，并注明出处。",
      label: "您的问题", placeholder: "输入问题，按回车发送", send: "发送",
      you: "您的问题", bot: "回答", thinking: "正在查找资料…", draft: "草稿，核对中…", newChat: "新对话", starters: "您可以这样问：",
      notCovered: "我们的资料里没有这方面的内容。", contact: "人工咨询：", contactDefault: "如需人工帮助，请联系我们的工作人员。",
      related: "没有找到直接答案；以下是相关资料", showPassage: "展开原文段落", short: "简答",
      conflict: "资料来源说法不一", sources: "出处", copy: "复制回答和出处", copied: "已复制", copyFailed: "复制失败，请手动选择文字",
      cite: (n, t) => `查看出处 ${n}：${t}`, back: "返回对话", passage: "原文段落",
      rate: "这个回答有帮助吗？", up: "回答有帮助", down: "回答没有帮助", comment: "补充说明（可选）",
      sendFeedback: "提交反馈", thanks: "感谢您的反馈！", feedbackFailed: "反馈未能提交，请稍后再试。",
      failed: "暂时无法回答，请稍后再试。", starting: "服务正在启动，请过几秒再试。",
      tooFast: "提问太频繁了，请稍等片刻再试。", retry: "重试",
      curated: (date) => `本回答经工作人员审核（${date}）`,
      defaultStarters: ["AI训练师是做什么的？", "课程是周末上课吗？", "AI训练师岗位数量增长了多少？"],
    },
    en: {
      title: "AI Trainer Course Q&A", open: "Open the Q&A chat", close: "Close the chat",
      greeting: "Hello! Ask about the AI trainer profession and our course. Answers quote our materials and name their sources.",
      label: "Your question", placeholder: "Type a question, press Enter", send: "Send",
      you: "Your question", bot: "Answer", thinking: "Looking it up…", draft: "Draft, being checked…", newChat: "New conversation", starters: "You could ask:",
      notCovered: "This is not covered by our materials.", contact: "Talk to a person: ", contactDefault: "To talk to a person, contact our staff.",
      related: "No direct answer; related materials", showPassage: "Show the passage", short: "Short answer",
      conflict: "Our sources disagree", sources: "Sources", copy: "Copy the answer and its sources", copied: "Copied", copyFailed: "Copy failed; select the text by hand",
      cite: (n, t) => `Open source ${n}: ${t}`, back: "Back to the chat", passage: "Passage",
      rate: "Was this helpful?", up: "Helpful answer", down: "Unhelpful answer", comment: "Comment (optional)",
      sendFeedback: "Send feedback", thanks: "Thank you for your feedback!", feedbackFailed: "Feedback could not be sent; please try later.",
      failed: "We cannot answer right now; please try again later.", starting: "The service is starting; try again in a few seconds.",
      tooFast: "Too many questions at once; please wait a moment and try again.", retry: "Try again",
      curated: (date) => `Approved by our staff (${date})`,
      defaultStarters: ["What does an AI trainer do?", "How is the course split between theory and practice?", "Are the classes on weekends?"],
    },
  };

  const ICONS = {
    chat: "M20 2H4c-1.1 0-2 .9-2 2v18l4-4h14c1.1 0 2-.9 2-2V4c0-1.1-.9-2-2-2z",
    close: "M19 6.41 17.59 5 12 10.59 6.41 5 5 6.41 10.59 12 5 17.59 6.41 19 12 13.41 17.59 19 19 17.59 13.41 12z",
    send: "M2.01 21 23 12 2.01 3 2 10l15 2-15 2z",
    up: "M1 21h4V9H1v12zm22-11c0-1.1-.9-2-2-2h-6.31l.95-4.57.03-.32c0-.41-.17-.79-.44-1.06L14.17 1 7.59 7.59C7.22 7.95 7 8.45 7 9v10c0 1.1.9 2 2 2h9c.83 0 1.54-.5 1.84-1.22l3.02-7.05c.09-.23.14-.47.14-.73v-2z",
    restart: "M19 13h-6v6h-2v-6H5v-2h6V5h2v6h6v2z",
    copy: "M16 1H4c-1.1 0-2 .9-2 2v14h2V3h12V1zm3 4H8c-1.1 0-2 .9-2 2v14c0 1.1.9 2 2 2h11c1.1 0 2-.9 2-2V7c0-1.1-.9-2-2-2zm0 16H8V7h11v14z",
    down: "M15 3H6c-.83 0-1.54.5-1.84 1.22l-3.02 7.05c-.09.23-.14.47-.14.73v2c0 1.1.9 2 2 2h6.31l-.95 4.57-.03.32c0 .41.17.79.44 1.06L9.83 23l6.59-6.59c.36-.36.58-.86.58-1.41V5c0-1.1-.9-2-2-2zm4 0v12h4V3h-4z",
  };

  const STYLE = `
:host { all: initial; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
.root { --accent: #1f6feb; font: 15px/1.55 system-ui, -apple-system, "Segoe UI", "PingFang SC",
  "Hiragino Sans GB", "Microsoft YaHei", "WenQuanYi Micro Hei", "Noto Sans CJK SC", sans-serif;
  color: #1b1f24; }
button, input, textarea { font: inherit; color: inherit; }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
svg { width: 1.25em; height: 1.25em; fill: currentColor; flex: none; }
.launcher { position: fixed; bottom: 20px; right: 20px; z-index: 2147483000; width: 58px; height: 58px;
  border: 0; border-radius: 50%; background: var(--accent); color: #fff; cursor: pointer;
  display: grid; place-items: center; box-shadow: 0 6px 20px rgb(0 0 0 / 25%); }
.launcher svg { width: 28px; height: 28px; }
.left .launcher, .left .panel { right: auto; left: 20px; }
.panel { position: fixed; bottom: 92px; right: 20px; z-index: 2147483001; width: 390px;
  height: min(640px, calc(100vh - 112px)); display: flex; flex-direction: column; background: #fff;
  border-radius: 14px; box-shadow: 0 12px 40px rgb(0 0 0 / 28%); overflow: hidden; }
header { display: flex; align-items: center; gap: 8px; padding: 12px 12px 12px 16px; background: var(--accent); color: #fff; }
h2 { flex: 1; margin: 0; font-size: 16px; font-weight: 600; }
.icon { border: 0; background: transparent; color: inherit; cursor: pointer; padding: 6px; border-radius: 8px;
  display: inline-grid; place-items: center; }
.icon:hover { background: rgb(0 0 0 / 8%); }
.log, .viewer { position: relative; flex: 1; overflow-y: auto; padding: 14px; background: #f5f7fa; }
.msg { margin: 0 0 12px; padding: 10px 12px; border-radius: 12px; max-width: 92%; overflow-wrap: anywhere; }
.msg p { margin: 0; }
.user { margin-left: auto; background: var(--accent); color: #fff; white-space: pre-wrap; }
.bot { background: #fff; border: 1px solid #dde3ea; }
.thinking { color: #57606a; font-style: italic; }
.draft-label { font-size: 0.8em; margin: 0 0 4px; }
.cite { border: 1px solid var(--accent); background: #fff; color: var(--accent); border-radius: 6px;
  padding: 0 5px; margin: 0 2px; font-size: 0.85em; line-height: 1.4; cursor: pointer; }
.cite:hover { background: var(--accent); color: #fff; }
.uncovered { margin-top: 8px; padding: 8px 10px; border-left: 4px solid #d4a72c; background: #fff8e1; }
.uncovered strong, .conflict strong { display: block; }
.short { margin: 0 0 6px; font-size: 1.45em; font-weight: 700; line-height: 1.3; overflow-wrap: anywhere; }
.related { margin: 6px 0 0; padding-left: 0; list-style: none; }
.related li { margin: 6px 0; padding: 6px 8px; background: #fff; border: 1px solid #eadfb5; border-radius: 8px; }
.related details > summary { cursor: pointer; }
.related .passage { margin: 6px 0 0; white-space: pre-wrap; font-size: 13px; }
.conflict { margin-top: 8px; padding: 8px 10px; border-left: 4px solid #cf222e; background: #ffebe9; }
.curated { margin-top: 8px; padding: 6px 10px; border-left: 4px solid #1a7f37; background: #dafbe1; font-size: 13px; }
.conflict ul, .sources { margin: 6px 0 0; padding-left: 0; list-style: none; }
.conflict li, .sources li { margin: 4px 0; }
.sources { border-top: 1px solid #e6eaef; padding-top: 6px; font-size: 13px; color: #57606a; }
.meta { color: #57606a; font-size: 13px; }
.starters { margin: 0 0 12px; padding: 0; list-style: none; display: flex; flex-direction: column; align-items: flex-start; gap: 6px; }
.starter { border: 1px solid var(--accent); background: #fff; color: var(--accent); border-radius: 14px; padding: 4px 12px;
  cursor: pointer; text-align: start; }
.starter:hover { background: var(--accent); color: #fff; }
.error .retry { margin-top: 8px; }
.feedback { display: flex; flex-wrap: wrap; align-items: center; gap: 4px; margin-top: 8px; }
.thumb { border: 1px solid #d0d7de; background: #fff; color: #57606a; border-radius: 8px; padding: 4px 8px; cursor: pointer; }
.thumb[aria-pressed="true"] { background: var(--accent); border-color: var(--accent); color: #fff; }
.note { flex-basis: 100%; display: flex; gap: 6px; margin-top: 4px; }
.note textarea { flex: 1; min-height: 2.4em; resize: vertical; border: 1px solid #d0d7de; border-radius: 8px; padding: 4px 8px; }
.primary { border: 0; border-radius: 8px; background: var(--accent); color: #fff; padding: 6px 12px; cursor: pointer; }
.primary:disabled { opacity: 0.5; cursor: default; }
.status, .copy-status { font-size: 13px; color: #57606a; }
.viewer h3 { margin: 10px 0 4px; font-size: 16px; }
.viewer blockquote { margin: 10px 0 0; padding: 10px 12px; background: #fff; border: 1px solid #dde3ea; border-radius: 10px;
  white-space: pre-wrap; overflow-wrap: anywhere; }
mark { background: #fff3a3; color: inherit; padding: 1px 2px; border-radius: 3px; box-decoration-break: clone; -webkit-box-decoration-break: clone; }
.back { border: 1px solid #d0d7de; background: #fff; border-radius: 8px; padding: 4px 10px; cursor: pointer; }
form { display: flex; gap: 8px; padding: 10px; border-top: 1px solid #e6eaef; background: #fff; }
form input { flex: 1; min-width: 0; border: 1px solid #d0d7de; border-radius: 10px; padding: 9px 12px; }
@media (max-width: 480px) {
  .panel, .left .panel { inset: 0; width: 100%; height: 100%; border-radius: 0; }
  .open .launcher { display: none; }
  form input { font-size: 16px; }  /* below 16px, iOS zooms the page on focus */
}
@media (prefers-reduced-motion: no-preference) { .panel { animation: rise 0.16s ease-out; } }
@keyframes rise { from { opacity: 0; transform: translateY(8px); } }
`;

  /** The UI language: data-lang, or the host page's <html lang> when auto. */
  function pickLang(wanted) {
    if (wanted === "zh" || wanted === "en") return wanted;
    return (document.documentElement.lang || navigator.language || "").toLowerCase().startsWith("zh") ? "zh" : "en";
  }

  const opts = script.dataset;
  let T = STRINGS[pickLang(opts.lang)];
  const accent = opts.accent && isColour(opts.accent) ? opts.accent : "";
  const fallback = (opts.fallback || "").trim();
  const PHONE = window.matchMedia("(max-width: 480px)");
  const FOCUSABLE = "button, input, textarea, summary, [tabindex]:not([tabindex='-1'])";
  const turns = [];
  let conversation = 0;  // a new conversation drops the answers still on their way

  /** Whether a data-accent value is a CSS colour (anything else is ignored). */
  function isColour(value) {
    return typeof CSS !== "undefined" && CSS.supports("color", value);
  }

  /** An element with attributes and children; strings become text nodes (never parsed as HTML). */
  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) {
      if (/^on/i.test(name) || name === "style") throw new Error(`refusing attribute ${name}`);
      if (value !== false && value != null) node.setAttribute(name, value === true ? "" : String(value));
    }
    node.append(...children.filter((c) => c != null && c !== false));
    return node;
  }

  /** An inline SVG icon from one path. */
  function icon(name) {
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    const path = document.createElementNS(ns, "path");
    path.setAttribute("d", ICONS[name]);
    svg.append(path);
    return svg;
  }

  /** Apply the stylesheet: constructable where supported (CSP-proof), else a <style> element. */
  function adoptStyles(shadow) {
    if ("adoptedStyleSheets" in Document.prototype && "replaceSync" in CSSStyleSheet.prototype) {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(STYLE);
      shadow.adoptedStyleSheets = [sheet];
    } else {
      shadow.append(el("style", {}, STYLE));
    }
  }

  /** POST JSON to the API with a time limit; returns the Response. */
  async function post(path, body) {
    const ctrl = new AbortController();
    const timer = setTimeout(() => ctrl.abort(), TIMEOUT_MS);
    try {
      return await fetch(API + path, { method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body), signal: ctrl.signal, credentials: "omit" });
    } finally {
      clearTimeout(timer);
    }
  }

  /** Ask the server, sending these earlier turns as history; as server-sent events, `onDraft`
      gets a generated answer's text as it comes (unverified), and the final answer is returned. */
  async function askServer(question, history, onDraft) {
    const res = await post("/v1/ask", { question, history, stream: true });
    if (!res.ok) throw new Error({ 429: T.tooFast, 503: T.starting }[res.status] || T.failed);
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
      if (done) throw new Error(T.failed);
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

  /** The starter questions: data-starters split at "|", else our own in the UI language. */
  function starterQuestions() {
    if (opts.starters == null) return T.defaultStarters;
    return opts.starters.split("|").map((q) => q.trim()).filter(Boolean).slice(0, 6);
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

  /** "source · date" for a citation: only the parts it has ("" for neither). */
  function metaLine(c) {
    return [c.source, c.published].filter(Boolean).join(" · ");
  }

  /** " (source · date)" after a title, or nothing. */
  function metaSuffix(c) {
    const meta = metaLine(c);
    return meta ? ` (${meta})` : "";
  }

  /** The contact line: data-fallback, else a general one. */
  function contactLine() {
    return el("p", { class: "fallback" }, ...(fallback ? [T.contact, fallback] : [T.contactDefault]));
  }

  /** Build the widget and wire it up. */
  function mount() {
    const host = document.createElement("trainer-qa-widget");
    const shadow = host.attachShadow({ mode: "open" });
    adoptStyles(shadow);
    const ui = buildUi();
    setLang(ui, T === STRINGS.zh ? "zh" : "en");
    ui.log.append(...greeting(ui));
    shadow.append(ui.root);
    document.body.append(host);
    wire(ui);
  }

  /** The launcher, the panel, the log, the source viewer and the question form. Labels that follow
      the UI language name their string in data-t (text), data-t-label (aria-label) or data-t-placeholder. */
  function buildUi() {
    const launcher = el("button", { class: "launcher", type: "button", "data-t-label": "open",
      "aria-expanded": "false", "aria-controls": "tqa-panel" }, icon("chat"));
    const restart = el("button", { class: "icon restart", type: "button", "data-t-label": "newChat" }, icon("restart"));
    const close = el("button", { class: "icon close", type: "button", "data-t-label": "close" }, icon("close"));
    const log = el("div", { class: "log", role: "log", "aria-live": "polite", "data-t-label": opts.title ? null : "title",
      "aria-label": opts.title || null });
    const viewer = el("section", { class: "viewer", "aria-labelledby": "tqa-viewer-title", hidden: true });
    const input = el("input", { id: "tqa-q", type: "text", name: "question", maxlength: 2000,
      autocomplete: "off", "data-t-placeholder": "placeholder" });
    const send = el("button", { class: "primary", type: "submit", "data-t-label": "send" }, icon("send"));
    const form = el("form", {}, el("label", { class: "sr", for: "tqa-q", "data-t": "label" }), input, send);
    const title = el("h2", { id: "tqa-title", "data-t": opts.title ? null : "title" }, opts.title || "");
    const panel = el("section", { class: "panel", id: "tqa-panel", role: "dialog", "aria-labelledby": "tqa-title", hidden: true },
      el("header", {}, title, restart, close), log, viewer, form);
    const side = opts.position === "bottom-left" ? "left" : "right";
    const root = el("div", { class: `root ${side}` }, launcher, panel);
    if (accent) root.style.setProperty("--accent", accent);
    return { root, launcher, restart, close, panel, log, viewer, form, input, send };
  }

  /** Switch the widget's own labels to `lang` (the messages already shown keep theirs). */
  function setLang(ui, lang) {
    T = STRINGS[lang] || T;
    ui.root.lang = T === STRINGS.zh ? "zh-CN" : "en";
    for (const node of ui.root.querySelectorAll("[data-t]")) node.textContent = T[node.dataset.t];
    for (const node of ui.root.querySelectorAll("[data-t-label]")) {
      node.setAttribute("aria-label", T[node.dataset.tLabel]);
      if (node.classList.contains("icon")) node.title = T[node.dataset.tLabel];  // a tooltip for the header's icons
    }
    for (const node of ui.root.querySelectorAll("[data-t-placeholder]")) node.placeholder = T[node.dataset.tPlaceholder];
  }

  /** The greeting and the starter questions (each asks itself when clicked). */
  function greeting(ui) {
    const questions = starterQuestions();
    const starters = questions.length ? el("ul", { class: "starters", "aria-label": T.starters }, ...questions.map((q) => {
      const b = el("button", { class: "starter", type: "button" }, q);
      b.addEventListener("click", () => { ui.input.value = q; submit(ui); });
      return el("li", {}, b);
    })) : null;
    return [el("div", { class: "msg bot" }, el("p", {}, T.greeting)), starters].filter(Boolean);
  }

  /** Forget the conversation: the log back to the greeting, no history sent with the next question. */
  function newConversation(ui) {
    conversation += 1;
    turns.length = 0;
    closeViewer(ui, false);
    ui.log.replaceChildren(...greeting(ui));
    ui.log.removeAttribute("aria-busy");
    ui.send.disabled = false;
    ui.input.value = "";
    ui.input.focus();
  }

  /** On a phone the panel covers the page: Tab and Shift+Tab cycle inside it. */
  function trapFocus(ui, event) {
    if (!PHONE.matches) return;
    const items = [...ui.panel.querySelectorAll(FOCUSABLE)].filter((n) => !n.disabled && n.getClientRects().length);
    if (!items.length) return;
    const [first, last] = [items[0], items[items.length - 1]];
    const active = ui.root.getRootNode().activeElement;
    if (event.shiftKey && (active === first || !ui.panel.contains(active))) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (active === last || !ui.panel.contains(active))) {
      event.preventDefault();
      first.focus();
    }
  }

  /** Event handlers: open/close, Escape, Tab on a phone, a new conversation, asking. */
  function wire(ui) {
    const setOpen = (open) => {
      ui.panel.hidden = !open;
      ui.root.classList.toggle("open", open);
      ui.launcher.setAttribute("aria-expanded", String(open));
      ui.panel.setAttribute("aria-modal", String(open && PHONE.matches));
      (open ? ui.input : ui.launcher).focus();
    };
    ui.launcher.addEventListener("click", () => setOpen(ui.panel.hidden));
    ui.close.addEventListener("click", () => setOpen(false));
    ui.restart.addEventListener("click", () => newConversation(ui));
    ui.panel.addEventListener("keydown", (event) => {
      if (event.key === "Tab") trapFocus(ui, event);
      if (event.key !== "Escape") return;
      event.preventDefault();
      if (!ui.viewer.hidden) closeViewer(ui);
      else setOpen(false);
    });
    ui.form.addEventListener("submit", (event) => {
      event.preventDefault();
      submit(ui);
    });
  }

  /** Send the typed question and show the answer (one at a time). */
  function submit(ui) {
    const question = ui.input.value.trim();
    if (!question || ui.send.disabled) return;
    ui.input.value = "";
    closeViewer(ui, false);
    ui.log.querySelector(".starters")?.remove();
    const asked = el("div", { class: "msg user", "aria-label": T.you }, question);
    ui.log.append(asked);
    exchange(ui, question, asked, asked);
  }

  /** Ask `question` and put the answer (or the error, with a retry button) in place of `slot`. */
  async function exchange(ui, question, asked, slot) {
    const waiting = el("div", { class: "msg bot thinking" }, T.thinking);
    if (slot === asked) asked.after(waiting);
    else slot.replaceWith(waiting);
    ui.send.disabled = true;
    ui.log.setAttribute("aria-busy", "true");
    ui.log.scrollTop = ui.log.scrollHeight;
    const current = conversation;
    const history = turns.slice(-MAX_TURNS);
    let shown;
    try {
      const data = await askServer(question, history, (draft) => showDraft(waiting, draft));
      if (current !== conversation) return;
      turns.push({ question, answer: data.answer.slice(0, MAX_TURN_ANSWER) });
      if (data.lang && STRINGS[data.lang] !== T) setLang(ui, data.lang);
      shown = answerMessage(ui, { question, history, data, opened: new Set() });
    } catch (err) {
      if (current !== conversation) return;
      shown = errorMessage(ui, question, asked, err instanceof TypeError || err.name === "AbortError" ? T.failed : err.message);
    }
    waiting.replaceWith(shown);
    ui.log.removeAttribute("aria-busy");
    ui.send.disabled = false;
    ui.log.scrollTop = asked.offsetTop - 12;  // the question at the top, the answer's start in view
  }

  /** A generated answer as it comes, marked as a draft: the verified answer replaces it. */
  function showDraft(waiting, draft) {
    waiting.classList.add("draft");
    waiting.replaceChildren(el("p", { class: "draft-label" }, T.draft), el("p", {}, draft));
  }

  /** What went wrong, a retry button (same question, same history) and the contact line. */
  function errorMessage(ui, question, asked, message) {
    const retry = el("button", { class: "primary retry", type: "button" }, T.retry);
    const box = el("div", { class: "msg bot error", role: "alert" }, el("p", {}, message), contactLine(), retry);
    retry.addEventListener("click", () => { if (!ui.send.disabled) exchange(ui, question, asked, box); });
    return box;
  }

  /** One answer: the short answer big, text with [n] buttons, the not-covered state (with related
      passages when the server found some), conflicts, sources, feedback. `shown` is what the user
      saw: { question, history, data, opened (the related passages opened) }. */
  function answerMessage(ui, shown) {
    const data = shown.data;
    const cites = data.citations || [];
    const open = (c, from) => openViewer(ui, c, from);
    return el("article", { class: "msg bot", "aria-label": T.bot, lang: data.lang === "zh" ? "zh-CN" : "en" },
      data.short_answer ? shortLine(data.short_answer, cites, open) : null,
      el("p", { class: "answer" }, ...answerNodes(data.answer, cites, open)),
      data.curated ? el("p", { class: "curated", role: "note" }, T.curated(String(data.curated.approved_at).slice(0, 10))) : null,
      data.answerable ? null : uncovered(ui, shown),
      (data.conflicts || []).length ? conflictBox(data.conflicts, cites, open) : null,
      cites.length ? sourceList(cites, open) : null,
      feedbackRow(shown), copyRow(data));
  }

  /** The asked fact alone, big, with its citation. */
  function shortLine(short, cites, open) {
    const c = cites[short.n - 1];
    return el("p", { class: "short", "aria-label": T.short }, short.text, c ? " " : null, c ? citeButton(c, open) : null);
  }

  /** The answer text as text nodes, with each [n] that names a citation made a button. */
  function answerNodes(text, cites, open) {
    return text.split(/\[(\d+)\]/).map((part, i) => {
      if (i % 2 === 0) return document.createTextNode(part);
      const c = cites[Number(part) - 1];
      return c ? citeButton(c, open) : document.createTextNode(`[${part}]`);
    });
  }

  function citeButton(c, open) {
    const button = el("button", { class: "cite", type: "button", "aria-label": T.cite(c.n, c.title) }, `[${c.n}]`);
    button.addEventListener("click", () => open(c, button));
    return button;
  }

  function uncovered(ui, shown) {
    const related = shown.data.related || [];
    return el("div", { class: "uncovered", role: "note" }, el("strong", {}, related.length ? T.related : T.notCovered),
      related.length ? relatedList(ui, related, shown.opened) : null, contactLine());
  }

  /** A related passage as a citation: its best sentence is the span the viewer marks. */
  function asCitation(r) {
    const chars = Array.from(r.passage || r.text);
    const text = chars.slice(r.highlight_start - r.start, r.highlight_end - r.start).join("");
    return { ...r, text, start: r.highlight_start, end: r.highlight_end, passage_start: r.start };
  }

  /** Related passages collapsed to their best sentence; each opens like a citation, or expands in place. */
  function relatedList(ui, related, opened) {
    return el("ol", { class: "related" }, ...related.map((r) => {
      const c = asCitation(r);
      const [before, span, after] = passageParts(c);
      const button = citeButton(c, (cc, from) => { opened.add(r.n); openViewer(ui, cc, from); });
      const more = el("details", {}, el("summary", { class: "meta" }, T.showPassage),
        el("p", { class: "passage" }, before, el("mark", {}, span), after));
      more.addEventListener("toggle", () => { if (more.open) opened.add(r.n); });
      return el("li", { lang: r.lang === "zh" ? "zh-CN" : "en" }, button, " ", el("span", { class: "sentence" }, c.text),
        el("div", { class: "meta" }, `${c.title}${metaSuffix(c)}`), more);
    }));
  }

  /** Disagreeing sources: each value with the citations (and titles) that give it. */
  function conflictBox(conflicts, cites, open) {
    return el("div", { class: "conflict", role: "note" }, el("strong", {}, T.conflict),
      ...conflicts.map((k) => el("div", {}, el("span", { class: "meta" }, k.about),
        el("ul", {}, ...k.values.map((v) => el("li", {}, el("b", {}, v.value), " — ",
          ...v.citations.filter((n) => cites[n - 1]).flatMap((n) => [citeButton(cites[n - 1], open), " ", cites[n - 1].title, " "])))))));
  }

  function sourceList(cites, open) {
    return el("ol", { class: "sources", "aria-label": T.sources }, ...cites.map((c) =>
      el("li", {}, citeButton(c, open), " ", c.title, metaLine(c) ? el("span", { class: "meta" }, metaSuffix(c)) : null)));
  }

  /** The answer and its numbered sources as plain text, for pasting elsewhere. */
  function copyText(data) {
    const lines = (data.citations || []).map((c) => {
      const meta = [c.source, c.published].filter(Boolean).join(", ");
      return `[${c.n}] ${c.title}${meta ? ` — ${meta}` : ""}`;
    });
    return lines.length ? `${data.answer}\n\n${T.sources}:\n${lines.join("\n")}` : data.answer;
  }

  /** A button that copies the answer with its sources, and says whether it worked. */
  function copyRow(data) {
    const button = el("button", { class: "thumb copy", type: "button", "aria-label": T.copy, title: T.copy }, icon("copy"));
    const status = el("span", { class: "copy-status", role: "status" });
    const [copied, failed] = [T.copied, T.copyFailed];
    button.addEventListener("click", async () => {
      status.textContent = (await copyToClipboard(copyText(data), button)) ? copied : failed;
    });
    return el("div", { class: "feedback" }, button, status);
  }

  /** The async clipboard, else the old selection copy (no permission, or an older browser). */
  async function copyToClipboard(text, near) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      const area = el("textarea", { class: "sr", readonly: "" });
      area.value = text;
      near.after(area);
      area.select();
      let ok = false;
      try { ok = document.execCommand("copy"); } catch { ok = false; }
      area.remove();
      near.focus();
      return ok;
    }
  }

  /** Show the cited passage with the cited span marked. */
  function openViewer(ui, c, from) {
    const [before, span, after] = passageParts(c);
    const back = el("button", { class: "back", type: "button" }, `← ${T.back}`);
    back.addEventListener("click", () => closeViewer(ui));
    const heading = el("h3", { id: "tqa-viewer-title", tabindex: "-1" }, `[${c.n}] ${c.title}`);
    const meta = metaLine(c) ? el("p", { class: "meta" }, metaLine(c)) : "";
    ui.viewer.replaceChildren(back, heading, meta,
      el("blockquote", { "aria-label": T.passage }, before, el("mark", {}, span), after));
    ui.viewer.returnFocus = from;
    ui.log.hidden = true;
    ui.viewer.hidden = false;
    heading.focus();
    ui.viewer.querySelector("mark").scrollIntoView({ block: "nearest" });
  }

  function closeViewer(ui, refocus = true) {
    if (ui.viewer.hidden) return;
    ui.viewer.hidden = true;
    ui.log.hidden = false;
    if (refocus && ui.viewer.returnFocus) ui.viewer.returnFocus.focus();
  }

  /** Thumbs up/down; either opens an optional comment and a send button. */
  function feedbackRow(shown) {
    const row = el("div", { class: "feedback" });
    const thumbs = ["up", "down"].map((rating) => {
      const b = el("button", { class: "thumb", type: "button", "aria-label": T[rating], "aria-pressed": "false", "data-rating": rating }, icon(rating));
      b.addEventListener("click", () => chooseRating(row, thumbs, b, shown));
      return b;
    });
    row.append(el("span", { class: "meta" }, T.rate), ...thumbs);
    return row;
  }

  function chooseRating(row, thumbs, chosen, shown) {
    thumbs.forEach((b) => b.setAttribute("aria-pressed", String(b === chosen)));
    let note = row.querySelector(".note");
    if (!note) {
      const text = el("textarea", { "aria-label": T.comment, placeholder: T.comment, maxlength: 2000, rows: 1 });
      const send = el("button", { class: "primary", type: "button" }, T.sendFeedback);
      send.addEventListener("click", () => sendFeedback(row, thumbs, text, send, shown));
      text.addEventListener("keydown", (e) => {
        if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); send.click(); }
      });
      note = el("div", { class: "note" }, text, send);
      row.append(note);
    }
    note.querySelector("textarea").focus();
  }

  /** The rating with what the user saw: the answer, its citations, the earlier turns sent with the
      question, and which related passages were opened. */
  async function sendFeedback(row, thumbs, text, send, { question, history, data, opened }) {
    const chosen = thumbs.find((b) => b.getAttribute("aria-pressed") === "true");
    if (!chosen || send.disabled) return;
    send.disabled = true;
    const comment = text.value.trim();
    const body = { question, answer: data.answer, citations: data.citations || [],
      index_version: data.index_version, rating: chosen.dataset.rating, history,
      opened_related: [...opened].sort((a, b) => a - b), answerable: data.answerable, origin: data.origin };
    if (comment) body.comment = comment;
    let ok = false;
    try { ok = (await post("/v1/feedback", body)).ok; } catch { ok = false; }
    if (ok) {
      thumbs.forEach((b) => { b.disabled = true; });
      row.querySelector(".note").replaceWith(el("span", { class: "status", role: "status" }, T.thanks));
    } else {
      send.disabled = false;
      row.append(el("span", { class: "status", role: "alert" }, T.feedbackFailed));
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mount);
  else mount();
})();

/* What the staff pages (console, materials, review) share; each loads it before its own script. */
"use strict";

const $ = (id) => document.getElementById(id);

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

/** Mark the page's language and relabel every element marked data-i18n, data-i18n-label or
    data-i18n-placeholder from `strings`; the [data-lang] buttons show which language is on. */
function relabel(strings, lang) {
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = strings[node.dataset.i18n];
  for (const node of document.querySelectorAll("[data-i18n-label]")) node.setAttribute("aria-label", strings[node.dataset.i18nLabel]);
  for (const node of document.querySelectorAll("[data-i18n-placeholder]")) node.placeholder = strings[node.dataset.i18nPlaceholder];
  for (const b of document.querySelectorAll("[data-lang]")) b.setAttribute("aria-pressed", String(b.dataset.lang === lang));
}

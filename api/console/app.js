// The merchant console: sign in, go on or off duty, take offers as they arrive, and serve
// the orders won. It uses only the public GraphQL API (operations.js).

import { ApiError, LiveConnection, request } from "./graphql.js";
import * as ops from "./operations.js";
import {
  MERCHANT_STATUS,
  ORDER_STATUS,
  countdown,
  distance,
  errorText,
  formFacts,
  money,
  time,
} from "./format.js";

const SESSION_KEY = "wuyou.console.session";
const ACTIVE = ["ACCEPTED", "IN_SERVICE"];
const ENDED = ["COMPLETED", "CANCELLED", "NO_PROVIDER"];
const ENDED_SHOWN = 10;
/** How far along an order is: an answer older than what is shown never takes it back. */
const STAGE = { ACCEPTED: 1, IN_SERVICE: 2, COMPLETED: 3, CANCELLED: 3, NO_PROVIDER: 3 };
const RESYNC_EVERY_MS = 60_000;
/** Accept/decline failures after which the offer is gone for good. */
const OFFER_GONE = new Set(["OFFER_EXPIRED", "OFFER_WITHDRAWN", "ALREADY_TAKEN", "NOT_FOUND", "INVALID_STATE"]);
/** orderUpdated failures that subscribing again cannot mend (the order is not, or no
 * longer, one this account may see): the order is then kept fresh by re-reading only. */
const ORDER_UNWATCHABLE = new Set(["NOT_FOUND", "BAD_USER_INPUT", "FORBIDDEN"]);

const TITLE = document.title;
const $ = (selector, root = document) => root.querySelector(selector);
const slot = (root, name) => root.querySelector(`[data-slot="${name}"]`);

const view = {
  login: $("#login-view"),
  loginForm: $("#login-form"),
  desk: $("#desk-view"),
  session: $("#session"),
  who: $("#who"),
  notice: $("#notice"),
  announcer: $("#announcer"),
  merchantName: $("#merchant-name"),
  merchantMeta: $("#merchant-meta"),
  dutyState: $("#duty-state"),
  dutyToggle: $("#duty-toggle"),
  duty: $("#duty"),
  liveState: $("#live-state"),
  offers: $("#offers"),
  offerCount: $("#offer-count"),
  offersEmpty: $("#offers-empty"),
  orders: $("#orders"),
  orderCount: $("#order-count"),
  ordersEmpty: $("#orders-empty"),
  ended: $("#ended"),
  endedEmpty: $("#ended-empty"),
};

/** Everything the signed-in page holds; reset on signing out. */
let desk = null;
let cardNumber = 0;

function newDesk(session) {
  return {
    session,
    merchant: null,
    live: null,
    offers: new Map(), // offer id → { offer, deadline, total, card, expired }
    settled: new Set(), // offer ids answered or gone: a late re-read never brings them back
    orders: new Map(), // order number → { order, card, unsubscribe, unwatchable }
    offersError: null, // the notice's line saying the offers subscription failed
    timeouts: [],
    intervals: [],
  };
}

// ---------------------------------------------------------------- messages

function announce(text) {
  view.announcer.textContent = text;
}

function showNotice(text) {
  view.notice.textContent = text;
  view.notice.hidden = !text;
}

function errorLine(code, message, field) {
  const line = document.createElement("span");
  line.className = "error-line";
  const text = document.createElement("span");
  text.textContent = errorText(code, message);
  const tag = document.createElement("code");
  tag.className = "error-code";
  tag.textContent = field ? `${code} · ${field}` : code;
  line.append(text, " ", tag);
  return line;
}

/** Show a payload's typed errors: each beside the control it concerns, else in the box's
 * general error line. */
function showErrors(box, errors) {
  clearErrors(box);
  const general = slot(box, "error");
  for (const { field, code, message } of errors) {
    const target = field && box.querySelector(`[data-error-for="${field}"]`);
    if (target) {
      target.replaceChildren(errorLine(code, message, field));
      for (const control of box.querySelectorAll(`[name="${field}"]`)) {
        control.setAttribute("aria-invalid", "true");
      }
    } else {
      general.append(errorLine(code, message, field));
    }
  }
}

function clearErrors(box) {
  slot(box, "error")?.replaceChildren();
  for (const target of box.querySelectorAll("[data-error-for]")) target.replaceChildren();
  for (const control of box.querySelectorAll("[aria-invalid]")) control.removeAttribute("aria-invalid");
}

/** A top-level error: signing out when the token no longer works, else said in `target`
 * (an error line; the page's notice when none). */
function apiFailure(error, target = view.notice) {
  if (!(error instanceof ApiError)) throw error;
  if (error.unauthenticated) {
    signOut(errorText(error.code, error.message));
    return;
  }
  target.replaceChildren(errorLine(error.code, error.message));
  target.hidden = false;
}

/** Send a mutation for `box` (a card or panel) while `button` waits: a top-level failure or
 * the payload's typed errors are shown in the box. Resolves to the payload (null when none
 * came); its `errors` tell whether it succeeded. */
async function mutate(box, button, query, input) {
  clearErrors(box);
  const data = await busy(button, () => ask(query, { input }, slot(box, "error")));
  if (!data) return null;
  const [payload] = Object.values(data);
  showErrors(box, payload.errors);
  return payload;
}

/** Move the keyboard's and screen reader's place to a box's heading (its card went). */
function focusHeading(box) {
  const heading = box.querySelector("h2, h3");
  heading.tabIndex = -1;
  heading.focus();
}

async function busy(button, work) {
  button.disabled = true;
  button.setAttribute("aria-busy", "true");
  try {
    return await work();
  } finally {
    button.disabled = false;
    button.removeAttribute("aria-busy");
  }
}

// ---------------------------------------------------------------- session

function loadSession() {
  try {
    const session = JSON.parse(sessionStorage.getItem(SESSION_KEY));
    if (session?.token && Date.parse(session.expiresAt) > Date.now()) return session;
  } catch {
    // an unreadable session is no session
  }
  sessionStorage.removeItem(SESSION_KEY);
  return null;
}

function showLogin() {
  view.desk.hidden = true;
  view.session.hidden = true;
  view.login.hidden = false;
  $("#username").focus();
}

async function logIn(event) {
  event.preventDefault();
  const form = view.loginForm;
  clearErrors(form);
  const input = { username: form.username.value.trim(), password: form.password.value };
  const missing = [];
  if (!input.username) missing.push({ field: "username", code: "REQUIRED", message: "请输入用户名。" });
  if (!input.password) missing.push({ field: "password", code: "REQUIRED", message: "请输入密码。" });
  if (missing.length) {
    showErrors(form, missing);
    return;
  }
  const button = form.querySelector("button[type=submit]");
  let login;
  try {
    ({ login } = await busy(button, () => request(ops.LOGIN, { input })));
  } catch (error) {
    apiFailure(error, slot(form, "error"));
    return;
  }
  if (login.errors.length) {
    showErrors(form, login.errors);
    return;
  }
  if (login.account.role !== "MERCHANT") {
    showErrors(form, [{ field: null, code: "WRONG_ROLE", message: "该账号不是服务商员工账号，不能使用工作台。" }]);
    return;
  }
  form.reset();
  const session = {
    token: login.token,
    expiresAt: login.expiresAt,
    username: login.account.username,
    displayName: login.account.displayName,
  };
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
  openDesk(session);
}

function signOut(reason = "") {
  if (desk) {
    desk.live?.close();
    desk.timeouts.forEach(clearTimeout);
    desk.intervals.forEach(clearInterval);
    desk = null;
  }
  sessionStorage.removeItem(SESSION_KEY);
  for (const list of [view.offers, view.orders, view.ended]) list.replaceChildren();
  document.title = TITLE;
  showNotice(reason);
  announce(reason || "已退出登录。");
  showLogin();
}

// ---------------------------------------------------------------- the desk

function openDesk(session) {
  desk = newDesk(session);
  showNotice("");
  view.login.hidden = true;
  view.desk.hidden = false;
  view.session.hidden = false;
  view.who.textContent = session.displayName || session.username;
  view.merchantName.textContent = "…";
  for (const line of [view.merchantMeta, view.dutyState, view.liveState]) line.textContent = "";
  view.dutyToggle.disabled = true;
  const left = Date.parse(session.expiresAt) - Date.now();
  desk.timeouts.push(setTimeout(() => signOut("登录已过期，请重新登录。"), Math.min(left, 2 ** 31 - 1)));
  desk.intervals.push(setInterval(() => countdownTick(), 250));
  desk.intervals.push(setInterval(() => resync(), RESYNC_EVERY_MS));
  desk.live = new LiveConnection({
    token: session.token,
    onState: showLiveState,
    onConnected: () => resync(),
    onAuthFailure: (error) => signOut(errorText(error.code, error.message)),
  });
  desk.live.subscribe(ops.OFFERS, {}, {
    next: ({ offers }) => offerEvent(offers),
    // Said until the subscription is made again (after a backoff, by LiveConnection),
    // when the offers it may have missed are read back.
    error: (error) => {
      apiFailure(error);
      desk.offersError = view.notice.firstChild;
    },
    resumed: () => {
      if (desk.offersError && view.notice.firstChild === desk.offersError) showNotice("");
      desk.offersError = null;
      resyncOffers();
    },
  });
  loadDesk();
  view.merchantName.focus();
}

/** Run an operation for the open desk; null when it did not answer (the failure is said
 * in `errorTarget`) or the desk closed meanwhile. */
async function ask(query, variables, errorTarget) {
  const mine = desk;
  try {
    const data = await request(query, variables, mine.session.token);
    return desk === mine ? data : null;
  } catch (error) {
    if (desk === mine) apiFailure(error, errorTarget);
    return null;
  }
}

async function loadDesk() {
  const data = await ask(ops.DESK, {});
  if (!data) return;
  if (data.me?.role !== "MERCHANT" || !data.myMerchant) {
    signOut("该账号不是服务商员工账号，不能使用工作台。");
    return;
  }
  view.who.textContent = data.me.displayName || data.me.username;
  showMerchant(data.myMerchant);
}

/** Show the provider, with `changes` (a whole Merchant, or the counters an order carries). */
function showMerchant(changes) {
  desk.merchant = { ...desk.merchant, ...changes };
  const m = desk.merchant;
  if (m.name === undefined) return; // the desk itself is not read yet
  view.merchantName.textContent = m.name;
  const parts = [MERCHANT_STATUS[m.status] ?? m.status, `进行中 ${m.activeOrders}/${m.capacity} 单`];
  if (m.services) parts.push(m.services.map((s) => s.serviceType?.name ?? s.code).join("、"));
  view.merchantMeta.textContent = parts.join(" · ");
  view.dutyState.textContent = m.onDuty ? "接单中" : "休息中";
  view.dutyState.classList.toggle("on", m.onDuty);
  view.dutyToggle.textContent = m.onDuty ? "下岗休息" : "上岗接单";
  view.dutyToggle.classList.toggle("primary", !m.onDuty);
  view.dutyToggle.disabled = false;
}

async function toggleDuty() {
  const input = { onDuty: !desk.merchant.onDuty };
  const merchant = (await mutate(view.duty, view.dutyToggle, ops.SET_ON_DUTY, input))?.merchant;
  if (!merchant) return;
  showMerchant(merchant);
  announce(merchant.onDuty ? "已上岗，开始接单。" : "已下岗，不再接收新订单。");
}

function showLiveState({ state, attempt, retryAt }) {
  view.liveState.dataset.state = state;
  if (state === "connected") view.liveState.textContent = "实时连接：已连接";
  else if (state === "connecting") view.liveState.textContent = attempt ? `实时连接：正在重连（第 ${attempt} 次）…` : "实时连接：连接中…";
  else {
    const seconds = Math.max(1, Math.round((retryAt - Date.now()) / 1000));
    view.liveState.textContent = `实时连接：已断开，${seconds} 秒后重连`;
  }
}

/** Re-read what a lost message would have told: pending offers, orders, duty. */
async function resync() {
  if (!desk) return;
  await Promise.all([resyncOffers(), loadOrders(), loadDesk()]);
}

// ---------------------------------------------------------------- offers

async function resyncOffers() {
  // Only offers shown before the question can be gone: one that arrives while it is
  // under way is newer than the answer.
  const known = new Set(desk.offers.keys());
  const data = await ask(ops.PENDING_OFFERS, {});
  if (!data) return;
  const pending = new Set();
  for (const offer of data.myOffers) {
    pending.add(offer.id);
    offerArrived(offer);
  }
  for (const id of known) if (!pending.has(id)) removeOffer(id);
}

function offerEvent({ kind, offer }) {
  const number = offer.job.number;
  switch (kind) {
    case "OFFERED":
      offerArrived(offer);
      break;
    case "WITHDRAWN":
      if (removeOffer(offer.id)) announce(`订单 ${number} 已撤回（居民取消或已由他人接单）。`);
      break;
    case "EXPIRED":
      if (removeOffer(offer.id)) announce(`订单 ${number} 超时未接，已转派。`);
      break;
    case "ACCEPTED":
      removeOffer(offer.id);
      loadOrders();
      break;
    default:
      removeOffer(offer.id);
  }
}

/** An offer as an event or a re-read tells it: shown (and announced when new) while it is
 * pending and not answered here. */
function offerArrived(offer) {
  if (offer.status !== "PENDING" || desk.settled.has(offer.id)) return;
  if (!desk.offers.has(offer.id)) announceOffer(offer);
  showOffer(offer);
}

function announceOffer(offer) {
  const job = offer.job;
  const what = job.serviceType?.name ?? "服务";
  announce(`新订单：${job.urgent ? "紧急，" : ""}${what}，${job.grid.name}，订单号 ${job.number}，请在 ${countdown(offer.secondsLeft)} 内响应。`);
  navigator.vibrate?.(200);
}

function showOffer(offer) {
  let entry = desk.offers.get(offer.id);
  if (!entry) {
    entry = { card: offerCard(offer.id), expired: false };
    desk.offers.set(offer.id, entry);
    view.offers.prepend(entry.card);
  }
  entry.offer = offer;
  entry.deadline = performance.now() + offer.secondsLeft * 1000;
  if (entry.expired && offer.secondsLeft > 0) {
    // Its time ran out by this page's reckoning, not by the server's.
    entry.expired = false;
    entry.card.classList.remove("expired");
    for (const button of entry.card.querySelectorAll("button")) button.disabled = false;
  }
  entry.total = Math.max(offer.secondsLeft, (Date.parse(offer.expiresAt) - Date.parse(offer.offeredAt)) / 1000);
  const job = offer.job;
  const card = entry.card;
  card.dataset.number = job.number;
  slot(card, "service").textContent = `${job.serviceType?.name ?? "服务"} · ${job.grid.name}`;
  slot(card, "urgent").hidden = !job.urgent;
  slot(card, "progress").max = entry.total;
  fillFacts(slot(card, "facts"), [
    ["订单号", job.number],
    ["距离", distance(offer.distanceKm)],
    ["报价", job.quote.note ? `${money(job.quote.amount)}（${job.quote.note}）` : money(job.quote.amount)],
    ["联系人", [job.contactName, job.contactPhone].filter(Boolean).join(" ")],
    ["下单时间", time(job.placedAt)],
    ...formFacts(job.serviceType, job.form),
  ]);
  countdownTick();
  showCounts();
}

function offerCard(id) {
  const card = $("#offer-card").content.firstElementChild.cloneNode(true);
  labelCard(card);
  const form = slot(card, "decline-form");
  card.querySelector("[data-action=accept]").addEventListener("click", (e) => acceptOffer(id, e.currentTarget));
  card.querySelector("[data-action=decline]").addEventListener("click", () => {
    form.hidden = false;
    form.querySelector("input").focus();
  });
  card.querySelector("[data-action=cancel-decline]").addEventListener("click", () => {
    form.hidden = true;
    clearErrors(card);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    declineOffer(id, form);
  });
  return card;
}

/** Give a cloned card's heading and error lines ids, and point its controls at them. */
function labelCard(card) {
  const prefix = `card-${++cardNumber}`;
  const heading = card.querySelector("h3");
  heading.id = `${prefix}-title`;
  card.querySelector("article").setAttribute("aria-labelledby", heading.id);
  for (const target of card.querySelectorAll("[data-error-for]")) {
    const field = target.dataset.errorFor;
    target.id = `${prefix}-${field}-error`;
    for (const control of card.querySelectorAll(`[name="${field}"]`)) {
      control.setAttribute("aria-describedby", target.id);
    }
  }
}

function removeOffer(id) {
  desk.settled.add(id);
  const entry = desk.offers.get(id);
  if (!entry) return false;
  entry.card.remove();
  desk.offers.delete(id);
  showCounts();
  return true;
}

/** Offers whose time ran out here wait for the server's word (or the next re-read). */
function countdownTick() {
  if (!desk) return;
  const now = performance.now();
  for (const entry of desk.offers.values()) {
    const left = Math.max(0, Math.ceil((entry.deadline - now) / 1000));
    const clock = slot(entry.card, "countdown");
    const text = left > 0 ? countdown(left) : "已超时";
    if (clock.textContent !== text) clock.textContent = text;
    slot(entry.card, "progress").value = left;
    entry.card.classList.toggle("hurry", left > 0 && left <= 10);
    if (left === 0 && !entry.expired) {
      entry.expired = true;
      entry.card.classList.add("expired");
      for (const button of entry.card.querySelectorAll("button")) button.disabled = true;
      desk.timeouts.push(setTimeout(() => resyncOffers(), 3000));
    }
  }
}

/** Answer an offer; resolves to the payload when the answer was taken. An offer that
 * turned out to be gone (expired, withdrawn, taken) stays a moment with the reason. */
async function answerOffer(id, button, query, input) {
  const entry = desk.offers.get(id);
  if (!entry) return null;
  const payload = await mutate(entry.card, button, query, { offerId: id, ...input });
  if (!payload?.errors.length) return payload;
  if (payload.errors.some((e) => OFFER_GONE.has(e.code))) {
    for (const control of entry.card.querySelectorAll("button")) control.disabled = true;
    desk.timeouts.push(setTimeout(() => desk && removeOffer(id), 5000));
  }
  return null;
}

async function acceptOffer(id, button) {
  const order = (await answerOffer(id, button, ops.ACCEPT_OFFER, {}))?.order;
  if (!order) return;
  removeOffer(id);
  const card = showOrder(order);
  announce(`已接单：订单 ${order.number}，请尽快联系居民。`);
  focusHeading(card);
}

async function declineOffer(id, form) {
  const number = desk.offers.get(id)?.offer.job.number;
  const reason = form.other.value.trim() || form.querySelector("input[name=reason]:checked")?.value || "";
  const button = form.querySelector("button[type=submit]");
  if (!(await answerOffer(id, button, ops.DECLINE_OFFER, { reason }))) return;
  removeOffer(id);
  announce(`已拒单：订单 ${number}。`);
  focusHeading(view.offers.parentElement);
}

// ---------------------------------------------------------------- orders

async function loadOrders() {
  const known = new Set(desk.orders.keys());
  const data = await ask(ops.ORDERS, { active: ACTIVE, ended: ENDED });
  if (!data) return;
  const listed = new Set();
  for (const { node } of [...data.active.edges, ...data.ended.edges].reverse()) {
    listed.add(node.number);
    showOrder(node);
  }
  // An order shown as active that is in neither list ended long ago, while we were away.
  for (const number of known) {
    const entry = desk.orders.get(number);
    if (entry && ACTIVE.includes(entry.order.status) && !listed.has(number)) dropOrder(number);
  }
}

function showOrder(order) {
  let entry = desk.orders.get(order.number);
  if (!entry) {
    entry = { card: orderCard(order.number), unsubscribe: null, unwatchable: false };
    desk.orders.set(order.number, entry);
  }
  const was = entry.order?.status;
  if ((STAGE[order.status] ?? 0) < (STAGE[was] ?? 0)) return entry.card;
  entry.order = order;
  const card = entry.card;
  const active = ACTIVE.includes(order.status);
  card.dataset.number = order.number;
  card.dataset.status = order.status;
  slot(card, "service").textContent = `${order.serviceType?.name ?? "服务"} · ${order.number}`;
  const badge = slot(card, "status");
  badge.textContent = ORDER_STATUS[order.status] ?? order.status;
  badge.dataset.status = order.status;
  fillFacts(slot(card, "facts"), orderFacts(order));
  card.querySelector("[data-action=start]").hidden = order.status !== "ACCEPTED";
  const form = slot(card, "complete-form");
  if (order.status === "IN_SERVICE" && was !== "IN_SERVICE") prepareCompletion(form, order);
  form.hidden = order.status !== "IN_SERVICE";
  if (order.merchant) showMerchant(order.merchant);
  if (active) {
    if (card.parentElement !== view.orders) view.orders.prepend(card);
    if (!entry.unwatchable) entry.unsubscribe ??= watchOrder(entry, order.number);
  } else {
    entry.unsubscribe?.();
    entry.unsubscribe = null;
    if (card.parentElement !== view.ended) view.ended.prepend(card);
    while (view.ended.children.length > ENDED_SHOWN) dropOrder(view.ended.lastElementChild.dataset.number);
  }
  showCounts();
  return card;
}

/** Follow an order's changes live. A failed subscription is made again after a backoff
 * (then the orders are re-read); one that cannot be mended is not made again. */
function watchOrder(entry, number) {
  return desk.live.subscribe(ops.ORDER_UPDATED, { number }, {
    next: ({ orderUpdated }) => orderChanged(orderUpdated),
    retry: (error) => !ORDER_UNWATCHABLE.has(error.code),
    error: (error) => {
      if (!ORDER_UNWATCHABLE.has(error.code)) return;
      entry.unsubscribe = null;
      entry.unwatchable = true;
      loadOrders();
    },
    resumed: () => loadOrders(),
    complete: () => {
      entry.unsubscribe = null;
    },
  });
}

function orderChanged({ order }) {
  if (!desk?.orders.has(order.number)) return;
  const before = desk.orders.get(order.number).order.status;
  showOrder(order);
  if (order.status === "CANCELLED" && before !== "CANCELLED") {
    announce(`订单 ${order.number} 已取消${order.statusReason ? `：${order.statusReason}` : ""}。`);
  }
}

function dropOrder(number) {
  const entry = desk.orders.get(number);
  if (!entry) return;
  entry.unsubscribe?.();
  entry.card.remove();
  desk.orders.delete(number);
  showCounts();
}

function orderFacts(order) {
  const phone = document.createElement("a");
  phone.href = `tel:${order.contactPhone}`;
  phone.textContent = order.contactPhone;
  const contact = document.createDocumentFragment();
  contact.append(`${order.contactName} `, phone);
  const facts = [
    ["联系人", contact],
    ["地址", order.address],
    ["网格", order.grid.name],
    ["报价", money(order.quote.amount)],
  ];
  if (order.finalPrice !== null) facts.push(["实收", money(order.finalPrice)]);
  if (order.outcome) {
    const outcome = order.serviceType?.outcomes.find((o) => o.code === order.outcome);
    facts.push(["结果", outcome?.label ?? order.outcome]);
  }
  if (order.outcomeNote) facts.push(["说明", order.outcomeNote]);
  if (order.statusReason) facts.push(["原因", order.statusReason]);
  facts.push(["接单时间", time(order.acceptedAt)]);
  if (order.startedAt) facts.push(["开始服务", time(order.startedAt)]);
  if (order.finishedAt) facts.push(["结束时间", time(order.finishedAt)]);
  if (order.urgent) facts.push(["紧急", "是"]);
  return [...facts, ...formFacts(order.serviceType, order.form)];
}

function orderCard(number) {
  const card = $("#order-card").content.firstElementChild.cloneNode(true);
  labelCard(card);
  const start = card.querySelector("[data-action=start]");
  start.addEventListener("click", () => startService(number, start));
  const form = slot(card, "complete-form");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    completeOrder(number, form);
  });
  return card;
}

function prepareCompletion(form, order) {
  form.finalPrice.value = order.quote.amount ?? "";
  const outcomes = order.serviceType?.outcomes ?? [];
  slot(form, "outcome-field").hidden = outcomes.length === 0;
  form.outcome.replaceChildren(new Option("请选择", ""), ...outcomes.map((o) => new Option(o.label, o.code)));
}

async function startService(number, button) {
  const card = desk.orders.get(number).card;
  const input = { orderNumber: number };
  const order = (await mutate(card, button, ops.START_SERVICE, input))?.order;
  if (!order) return;
  showOrder(order);
  announce(`订单 ${number} 开始服务。`);
  slot(card, "complete-form").querySelector("input").focus();
}

async function completeOrder(number, form) {
  const card = desk.orders.get(number).card;
  const input = {
    orderNumber: number,
    finalPrice: form.finalPrice.value.trim() || null,
    outcomeNote: form.outcomeNote.value.trim(),
  };
  if (!slot(form, "outcome-field").hidden) input.outcome = form.outcome.value || null;
  const button = form.querySelector("button[type=submit]");
  const order = (await mutate(card, button, ops.COMPLETE_ORDER, input))?.order;
  if (!order) return;
  showOrder(order);
  announce(`订单 ${number} 已完成。`);
  focusHeading(card);
}

// ---------------------------------------------------------------- shared bits

function fillFacts(list, facts) {
  list.replaceChildren(
    ...facts.flatMap(([term, value]) => {
      const dt = document.createElement("dt");
      dt.textContent = term;
      const dd = document.createElement("dd");
      dd.append(value ?? "");
      return [dt, dd];
    }),
  );
}

function showCounts() {
  const active = view.orders.children.length;
  view.offerCount.textContent = String(desk.offers.size);
  document.title = desk.offers.size ? `(${desk.offers.size}) ${TITLE}` : TITLE;
  view.offersEmpty.hidden = desk.offers.size > 0;
  view.orderCount.textContent = String(active);
  view.ordersEmpty.hidden = active > 0;
  view.endedEmpty.hidden = view.ended.children.length > 0;
}

view.loginForm.addEventListener("submit", logIn);
$("#logout").addEventListener("click", () => signOut());
view.dutyToggle.addEventListener("click", toggleDuty);
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible" && desk) {
    desk.live.reconnectNow();
    resync();
  }
});

const saved = loadSession();
if (saved) openDesk(saved);
else showLogin();

/* The counter page: staff sign in with the counter and a PIN (the server counts wrong PINs and
   locks), then call, recall, start, finish, mark no-show or transfer; the waiting list of the
   counter's services (numbers only), today's figures and staff calls from kiosks. */
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const SESSION = "adm-counter-session";
  const page = { counter: null, current: null, refreshTimer: null, closeEvents: null, busy: false };
  window.admCounter = page; // read by the browser tests

  function counterById(id) { return ADM.boot.counters.find((c) => c.id === id); }

  function setLanguage(language) {
    ADM.state.language = language;
    localStorage.setItem("adm-language", language);
    ADM.translate();
    fillCounters();
    if (page.counter) { showWhere(); render(); }
  }

  function fillCounters() {
    const select = $("counter");
    const chosen = select.value;
    select.replaceChildren();
    for (const c of ADM.boot.counters) {
      const option = ADM.el("option", "", ADM.t("web_counter", { n: c.number }) + " \u2014 " +
        c.agency + " (" + c.services.join(", ") + ")");
      option.value = c.id;
      select.append(option);
    }
    if (chosen) select.value = chosen;
  }

  function showWhere() {
    const c = page.counter;
    $("where").textContent = ADM.t("web_counter", { n: c.number }) + " \u00b7 " + c.agency;
    const transfer = $("transfer-to");
    transfer.replaceChildren();
    for (const s of ADM.boot.services) {
      const option = ADM.el("option", "", ADM.t("web_transfer") + " " + s.code + " \u2014 " +
        ADM.serviceName(s.code));
      option.value = s.code;
      transfer.append(option);
    }
  }

  function message(text, kind) {
    const node = $("message");
    node.textContent = text || "";
    node.className = "message " + (kind || "");
  }

  // --- sign-in --------------------------------------------------------------------------

  async function signIn(event) {
    event.preventDefault();
    const id = $("counter").value;
    const pin = $("pin").value;
    $("pin").value = "";
    const note = $("signin-message");
    note.textContent = "";
    try {
      const answer = await ADM.api("POST", "/v1/counters/" + encodeURIComponent(id) + "/session",
        { pin });
      sessionStorage.setItem(SESSION, JSON.stringify({ id, token: answer.token }));
      enter(id, answer.token);
    } catch (error) {
      if (error.code === "wrong_pin") {
        note.textContent = ADM.t("web_signin_wrong", { n: error.body.attempts_left });
      } else if (error.code === "locked") {
        const minutes = Math.max(1, Math.ceil((error.body.retry_after_s || 60) / 60));
        note.textContent = ADM.t("web_signin_locked", { n: minutes });
      } else {
        note.textContent = ADM.t("web_signin_failed");
      }
    }
  }

  function enter(id, token) {
    page.counter = counterById(id);
    if (!page.counter) { signOut(); return; }
    ADM.state.client = id;
    ADM.state.key = token;
    $("signin").hidden = true;
    $("desk").hidden = false;
    $("signout").hidden = false;
    showWhere();
    page.closeEvents = ADM.events(onEvent, (up) => { $("offline").hidden = up; });
    refresh();
    page.refreshTimer = setInterval(refresh, 30000);
  }

  function signOut() {
    sessionStorage.removeItem(SESSION);
    if (page.closeEvents) page.closeEvents();
    clearInterval(page.refreshTimer);
    page.counter = null;
    page.current = null;
    $("desk").hidden = true;
    $("signin").hidden = false;
    $("signout").hidden = true;
    $("offline").hidden = true;
    $("where").textContent = "";
  }

  // --- the desk -------------------------------------------------------------------------

  /* Events ask for what they touch only: a ticket of this counter's services or at this
     counter refreshes the desk (the current number and the waiting list, one fetch for a
     burst); an alert refreshes the staff calls; the day's figures come with the counter's own
     actions and every 30 s, so thirty counter pages do not recount the day at every ticket. */
  let pending = null;
  let lastCounts = "";
  function onEvent(kind, data) {
    const mine = page.counter;
    if (!mine) return;
    if (kind === "alert") { refreshAlerts(); return; }
    if (kind === "counts") {
      const counts = JSON.stringify(mine.services.map((code) => (data.waiting || {})[code] || 0));
      if (counts === lastCounts) return;
      lastCounts = counts;
    } else if (!(mine.services.includes(data.service) || data.counter === mine.id)) {
      return;
    }
    clearTimeout(pending);
    pending = setTimeout(refreshDesk, 300);
  }

  async function guarded(work) {
    try {
      await work();
      if (page.counter) render();
    } catch (error) {
      if (error.status === 401) signOut();
    }
  }

  function refreshDesk() {
    const id = encodeURIComponent(page.counter.id);
    return guarded(async () => {
      const [counters, waiting] = await Promise.all([
        ADM.api("GET", "/v1/counters"),
        ADM.api("GET", "/v1/counters/" + id + "/waiting"),
      ]);
      const mine = counters.find((c) => c.id === page.counter.id);
      page.current = mine ? mine.current : null;
      page.waiting = waiting;
    });
  }

  function refreshAlerts() {
    return guarded(async () => { page.alerts = await ADM.api("GET", "/v1/alerts?open=false"); });
  }

  function refreshStats() {
    return guarded(async () => { page.stats = await ADM.api("GET", "/v1/stats"); });
  }

  async function refresh() {
    if (!page.counter) return;
    await Promise.all([refreshDesk(), refreshAlerts(), refreshStats()]);
  }

  function render() {
    renderCurrent();
    renderWaiting();
    renderFigures();
    renderAlerts();
  }

  function priorityBadge(kind) {
    return kind ? ADM.el("span", "badge prio", ADM.t("web_prio_" + kind)) : null;
  }

  function renderCurrent() {
    const now = $("now");
    now.replaceChildren();
    const ticket = page.current;
    if (!ticket) {
      now.append(ADM.el("div", "empty", ADM.t("web_current_none")));
    } else {
      now.append(ADM.el("div", "number num", ticket.number));
      const facts = ADM.el("div", "facts");
      const service = ADM.el("div", "service", ADM.serviceName(ticket.service));
      const badge = priorityBadge(ticket.priority);
      if (badge) { service.append(" "); service.append(badge); }
      if (ticket.booking_code) {
        service.append(" ");
        service.append(ADM.el("span", "badge booking",
          ADM.t("web_booking", { slot: ADM.timeOf(ticket.slot_start) })));
      }
      facts.append(service);
      const status = ticket.status === "serving"
        ? ADM.t("web_status_serving", { time: ADM.timeOf(ticket.called_at) })
        : ADM.t("web_status_called", { time: ADM.timeOf(ticket.called_at) });
      facts.append(ADM.el("div", "status", status));
      if (ticket.recalls > 0) {
        facts.append(ADM.el("div", "status", ADM.t("web_recalls", { n: ticket.recalls })));
      }
      now.append(facts);
    }
    const called = ticket && ticket.status === "called";
    const atDesk = ticket && (ticket.status === "called" || ticket.status === "serving");
    $("call-next").disabled = page.busy || !!atDesk;
    $("recall").disabled = page.busy || !called;
    $("start").disabled = page.busy || !called;
    $("done").disabled = page.busy || !atDesk;
    $("no-show").disabled = page.busy || !called;
    $("transfer").disabled = page.busy || !atDesk;
    $("transfer-to").disabled = !atDesk;
    for (const option of $("transfer-to").options) {  // not to the service it is in already
      option.disabled = !!ticket && option.value === ticket.service;
      if (option.disabled && option.selected) option.selected = false;
    }
    const select = $("transfer-to");
    if (select.selectedOptions.length === 0 || select.selectedOptions[0].disabled) {
      const first = [...select.options].find((o) => !o.disabled);
      if (first) first.selected = true;
    }
  }

  function renderWaiting() {
    const list = $("waiting-list");
    const waiting = page.waiting || [];
    list.replaceChildren();
    $("waiting-count").textContent = ADM.t("web_waiting_count", { n: waiting.length });
    const counts = $("service-counts");
    counts.replaceChildren();
    for (const code of page.counter.services) {
      const n = waiting.filter((w) => w.service === code).length;
      counts.append(ADM.el("span", "badge", code + " \u00b7 " + ADM.serviceName(code) + ": " + n));
    }
    if (!waiting.length) {
      list.append(ADM.el("li", "nobody", ADM.t("web_nobody")));
      return;
    }
    for (const w of waiting.slice(0, 60)) {
      const item = ADM.el("li");
      item.append(ADM.el("span", "number num", w.number));
      const badge = priorityBadge(w.priority);
      if (badge) item.append(badge);
      if (w.slot_start) {
        item.append(ADM.el("span", "badge booking",
          ADM.t("web_booking", { slot: ADM.timeOf(w.slot_start) })));
      }
      item.append(ADM.el("span", "age", ADM.t("web_minutes", { n: ADM.minutesSince(w.issued_at) })));
      list.append(item);
    }
  }

  function minutes(value) {
    return value === null || value === undefined ? "\u2013" : ADM.t("web_minutes", { n: Math.round(value) });
  }

  function renderFigures() {
    const box = $("figures");
    box.replaceChildren();
    const stats = page.stats;
    if (!stats) return;
    const mine = stats.counters.find((c) => c.id === page.counter.id) || {};
    const services = stats.services.filter((s) => page.counter.services.includes(s.id));
    const waiting = services.reduce((sum, s) => sum + (s.waiting || 0), 0);
    const rows = [
      ["web_fig_served", mine.served || 0],
      ["web_fig_no_show", mine.no_show || 0],
      ["web_fig_waiting", waiting],
      ["web_fig_wait", minutes(mine.wait_median_min)],
      ["web_fig_service", minutes(mine.service_median_min)],
    ];
    for (const [key, value] of rows) {
      const figure = ADM.el("div", "figure");
      figure.append(ADM.el("div", "value num", value));
      figure.append(ADM.el("div", "label", ADM.t(key)));
      box.append(figure);
    }
  }

  function renderAlerts() {
    const list = $("alerts");
    list.replaceChildren();
    const alerts = (page.alerts || []).slice().reverse().slice(0, 8);
    if (!alerts.length) {
      list.append(ADM.el("li", "none", ADM.t("web_alerts_none")));
      return;
    }
    for (const a of alerts) {
      const item = ADM.el("li", a.acknowledged_at ? "" : "open");
      item.append(ADM.el("span", "at num", ADM.timeOf(a.at)));
      item.append(ADM.el("span", "what", ADM.t("web_alert_help", { kiosk: a.kiosk, screen: a.screen })));
      if (a.acknowledged_at) {
        item.append(ADM.el("span", "at taken", ADM.t("web_alert_taken", { by: a.acknowledged_by })));
      } else {
        const button = ADM.el("button", "btn", ADM.t("web_alert_ack"));
        button.type = "button";
        button.addEventListener("click", () => act("POST", "/v1/alerts/" + a.id + "/ack"));
        item.append(button);
      }
      list.append(item);
    }
  }

  const ERRORS = { counter_busy: "web_error_busy", wrong_state: "web_error_state" };

  async function act(method, path, body) {
    page.busy = true;
    renderCurrent();
    try {
      const answer = await ADM.api(method, path, body);
      if (answer && /\/(call-next|recall)$/.test(path)) {
        page.answered = { ticket: answer.id, at: Date.now() };
      }
      if (answer === null && path.endsWith("/call-next")) message(ADM.t("web_nobody"), "");
      else message("", "");
    } catch (error) {
      if (error.status === 401) { signOut(); return; }
      const key = ERRORS[error.code];
      message(key ? ADM.t(key) : ADM.t("web_error", { code: error.code }), "error");
    } finally {
      page.busy = false;
      await refresh();
    }
  }

  function ticketAction(action) {
    return () => {
      if (page.current) act("POST", "/v1/tickets/" + encodeURIComponent(page.current.id) + "/" + action);
    };
  }

  // --- wiring ---------------------------------------------------------------------------

  $("office").textContent = ADM.boot.office;
  $("signin-form").addEventListener("submit", signIn);
  $("signout").addEventListener("click", signOut);
  $("lang").addEventListener("click", () => setLanguage(ADM.state.language === "id" ? "en" : "id"));
  $("call-next").addEventListener("click",
    () => act("POST", "/v1/counters/" + encodeURIComponent(page.counter.id) + "/call-next"));
  $("recall").addEventListener("click",
    () => act("POST", "/v1/counters/" + encodeURIComponent(page.counter.id) + "/recall"));
  $("start").addEventListener("click", ticketAction("start"));
  $("done").addEventListener("click", ticketAction("done"));
  $("no-show").addEventListener("click", ticketAction("no-show"));
  $("transfer").addEventListener("click", () => {
    if (page.current) {
      act("POST", "/v1/tickets/" + encodeURIComponent(page.current.id) + "/transfer",
        { service: $("transfer-to").value });
    }
  });

  setLanguage(localStorage.getItem("adm-language") === "en" ? "en" : "id");
  ADM.syncClock();
  const tick = () => { $("clock").textContent = ADM.clockText(); };
  tick();
  setInterval(tick, 1000);
  setInterval(ADM.syncClock, 600000);
  const saved = JSON.parse(sessionStorage.getItem(SESSION) || "null");
  if (saved && saved.id && saved.token) enter(saved.id, saved.token);
})();

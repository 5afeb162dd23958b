/* Shared by the counter page and the caller display: the page's boot data (office, counters,
   services, text from the kiosk's catalogue), text in the chosen language, API calls with the
   client's credentials, and the office clock (the server's time and zone, not the PC's).
   Data from the server is only ever put on the page with textContent. */
"use strict";

const ADM = (() => {
  const boot = JSON.parse(document.getElementById("boot").textContent);
  const state = { language: "id", client: "", key: "", skewMs: 0, offsetMin: 0, errors: 0 };

  function t(key, values, language) {
    const entry = boot.text[key];
    if (!entry) return key;
    let text = entry[language || state.language] || entry.id;
    for (const [name, value] of Object.entries(values || {})) {
      text = text.split("{" + name + "}").join(String(value));
    }
    return text;
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function setText(selector, text) {
    for (const node of document.querySelectorAll(selector)) node.textContent = text;
  }

  /* Every [data-t] element shows its key's text; [data-t-en] shows the English one (the
     display shows both languages at once). */
  function translate() {
    document.documentElement.lang = state.language;
    for (const node of document.querySelectorAll("[data-t]")) node.textContent = t(node.dataset.t);
    for (const node of document.querySelectorAll("[data-t-en]")) {
      node.textContent = t(node.dataset.tEn, {}, "en");
    }
  }

  class ApiError extends Error {
    constructor(status, body) {
      const error = (body && body.error) || {};
      super(error.code || "http_" + status);
      this.status = status;
      this.code = error.code || "http_" + status;
      this.body = error;
    }
  }

  async function api(method, path, body) {
    const headers = { "X-Client-Id": state.client, Authorization: "Bearer " + state.key };
    const init = { method, headers, cache: "no-store" };
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    const response = await fetch(path, init);
    if (response.status === 204) return null;
    let data = null;
    try { data = await response.json(); } catch (e) { data = null; }
    if (!response.ok) throw new ApiError(response.status, data);
    return data;
  }

  function events(onEvent, onState) {
    /* The server's events; EventSource reconnects by itself (retry: 1000), and when the
       browser gives up (the server answered an error while restarting) a new one is made. */
    let source = null;
    let retry = null;
    const kinds = ["call", "ticket", "counts", "alert"];
    function open() {
      const query = new URLSearchParams({ client: state.client, key: state.key });
      source = new EventSource("/v1/events?" + query.toString());
      source.onopen = () => onState(true);
      source.onerror = () => {
        state.errors += 1;
        onState(false);
        if (source.readyState === EventSource.CLOSED) {
          clearTimeout(retry);
          retry = setTimeout(open, 2000);
        }
      };
      for (const kind of kinds) {
        source.addEventListener(kind, (event) => {
          let data = null;
          try { data = JSON.parse(event.data); } catch (e) { return; }
          onEvent(kind, data);
        });
      }
    }
    open();
    return () => { clearTimeout(retry); if (source) source.close(); };
  }

  async function syncClock() {
    /* The office's time: the server's clock and the offset of its office zone. */
    try {
      const sent = Date.now();
      const health = await (await fetch("/v1/health", { cache: "no-store" })).json();
      const received = Date.now();
      const server = Date.parse(health.server_time);
      const match = /([+-])(\d\d):(\d\d)$/.exec(health.server_time);
      state.offsetMin = match ? (match[1] === "-" ? -1 : 1) * (+match[2] * 60 + +match[3]) : 0;
      state.skewMs = server - (sent + received) / 2;
      return true;
    } catch (e) {
      return false;
    }
  }

  function officeNow() {
    return new Date(Date.now() + state.skewMs + state.offsetMin * 60000);
  }

  function pad(n) { return String(n).padStart(2, "0"); }

  function clockText(date) {
    const d = date || officeNow();
    return pad(d.getUTCHours()) + ":" + pad(d.getUTCMinutes());
  }

  function timeOf(iso) {
    /* "10:02" for a time the server sent (already in the office's zone, with its offset). */
    const match = /T(\d\d):(\d\d)/.exec(iso || "");
    return match ? match[1] + ":" + match[2] : "";
  }

  function minutesSince(iso) {
    const then = Date.parse(iso);
    if (Number.isNaN(then)) return 0;
    return Math.max(0, Math.floor((Date.now() + state.skewMs - then) / 60000));
  }

  const DAYS = {
    id: ["Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"],
    en: ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
  };
  const MONTHS = {
    id: ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
      "September", "Oktober", "November", "Desember"],
    en: ["January", "February", "March", "April", "May", "June", "July", "August",
      "September", "October", "November", "December"],
  };

  function dateText(language) {
    const d = officeNow();
    const lang = language || state.language;
    return DAYS[lang][d.getUTCDay()] + ", " + d.getUTCDate() + " " +
      MONTHS[lang][d.getUTCMonth()] + " " + d.getUTCFullYear();
  }

  function service(code) {
    return boot.services.find((s) => s.code === code) || { code, name_id: code, name_en: code };
  }

  function serviceName(code, language) {
    const found = service(code);
    return (language || state.language) === "en" ? found.name_en : found.name_id;
  }

  return {
    boot, state, t, el, setText, translate, api, ApiError, events, syncClock, officeNow,
    clockText, timeOf, minutesSince, dateText, service, serviceName,
  };
})();

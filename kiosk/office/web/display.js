/* The caller display: the newest call very large, the latest call of every counter, the last
   five calls, people waiting per service, the office name and clock; each new call flashes and
   is announced (a chime, then the server's spoken WAV). Credentials come in the URL fragment
   (/display#client=tv-1&key=KEY), which the browser never sends to the server. */
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const RECENT = 5;
  const show = { calls: [], byCounter: {}, waiting: {}, spoken: [], connected: false,
    lastCallAt: 0, received: [], errors: 0, soundBlocked: false };
  window.admDisplay = show; // read by the browser tests

  const fragment = new URLSearchParams(location.hash.slice(1));
  ADM.state.client = fragment.get("client") || "";
  ADM.state.key = fragment.get("key") || "";
  ADM.state.language = "id";
  ADM.translate();
  $("office").textContent = ADM.boot.office;

  function counterNumber(call) {
    if (call.counter_number) return call.counter_number;
    const c = ADM.boot.counters.find((x) => x.id === call.counter);
    return c ? c.number : "";
  }

  function renderHero() {
    const call = show.calls[show.calls.length - 1];
    $("hero-idle").textContent = call ? "" : ADM.t("web_display_idle") + " / " +
      ADM.t("web_display_idle", {}, "en");
    $("hero-number").textContent = call ? call.number : "";
    $("hero-counter").textContent = call ? ADM.t("web_counter", { n: counterNumber(call) }) : "";
    $("hero-go").hidden = !call;
    $("hero-service").textContent = call
      ? ADM.serviceName(call.service, "id") + " \u00b7 " + ADM.serviceName(call.service, "en")
      : "";
  }

  function renderRecent() {
    const list = $("recent");
    list.replaceChildren();
    const calls = show.calls.slice(-RECENT).reverse();
    if (!calls.length) {
      list.append(ADM.el("li", "none", "\u2013"));
      return;
    }
    for (const call of calls) {
      const item = ADM.el("li");
      item.append(ADM.el("span", "num", call.number));
      item.append(ADM.el("span", "to", "\u2192 " + ADM.t("web_counter", { n: counterNumber(call) })));
      list.append(item);
    }
  }

  function renderCounters() {
    const box = $("counters");
    box.replaceChildren();
    const newest = show.calls[show.calls.length - 1];
    for (const c of ADM.boot.counters) {
      const call = show.byCounter[c.id];
      const tile = ADM.el("div", "counter-tile" + (newest && call === newest ? " latest" : ""));
      tile.append(ADM.el("div", "name", ADM.t("web_counter", { n: c.number })));
      tile.append(ADM.el("div", "number num" + (call ? "" : " none"), call ? call.number : "\u2013"));
      box.append(tile);
    }
  }

  function renderLines() {
    const list = $("lines");
    list.replaceChildren();
    for (const s of ADM.boot.services) {
      const item = ADM.el("li");
      item.append(ADM.el("span", "code", s.code));
      item.append(ADM.el("span", "name", s.name_id));
      item.append(ADM.el("span", "agency", s.agency));
      item.append(ADM.el("span", "n num", show.waiting[s.code] || 0));
      list.append(item);
    }
  }

  function render() {
    renderHero();
    renderRecent();
    renderCounters();
    renderLines();
  }

  // --- sound: one announcement after the other ------------------------------------------

  const queue = [];
  let playing = false;

  function playOne(audio, src, started) {
    return new Promise((resolve) => {
      if (src) audio.src = src;
      audio.currentTime = 0;
      audio.onplaying = started || null;
      audio.onended = () => resolve(true);
      audio.onerror = () => resolve(false);
      audio.play().catch((error) => {
        if (error && error.name === "NotAllowedError") {
          show.soundBlocked = true;
          $("sound").hidden = false;
        }
        resolve(false);
      });
    });
  }

  async function announceNext() {
    if (playing) return;
    const call = queue.shift();
    if (!call) return;
    playing = true;
    await playOne($("chime"));
    await playOne($("voice"), "/speech/" + encodeURIComponent(call.ticket) + ".wav",
      () => show.spoken.push(call.ticket));
    playing = false;
    announceNext();
  }

  $("sound").addEventListener("click", () => {
    show.soundBlocked = false;
    $("sound").hidden = true;
    $("chime").play().catch(() => {});
  });

  // --- events ---------------------------------------------------------------------------

  function onCall(call) {
    if (call.replay) {
      if (!show.calls.some((c) => c.ticket === call.ticket && c.at === call.at)) show.calls.push(call);
    } else {
      show.calls.push(call);
      show.lastCallAt = Date.now();
      show.received.push({ ticket: call.ticket, at: show.lastCallAt, recall: !!call.recall });
      queue.push(call);
      announceNext();
      const hero = $("hero");
      hero.classList.remove("flash");
      void hero.offsetWidth; // restart the animation
      hero.classList.add("flash");
    }
    show.calls = show.calls.slice(-50);
    if (call.counter) show.byCounter[call.counter] = call;
    render();
  }

  function onEvent(kind, data) {
    if (kind === "call") onCall(data);
    else if (kind === "counts") { show.waiting = data.waiting || {}; renderLines(); }
  }

  async function fillCounters() {
    /* At start and after a reconnect: each counter's ticket now, where no call was seen. */
    try {
      for (const c of await ADM.api("GET", "/v1/counters")) {
        if (c.current && !show.byCounter[c.id]) {
          show.byCounter[c.id] = { ticket: c.current.id, number: c.current.number,
            counter: c.id, counter_number: c.number, service: c.current.service };
        }
      }
      render();
    } catch (e) { /* the events will bring them */ }
  }

  function onState(up) {
    show.connected = up;
    show.errors = ADM.state.errors;
    $("offline").hidden = up;
    if (up) { ADM.syncClock(); fillCounters(); }
  }

  const tick = () => {
    $("clock").textContent = ADM.clockText();
    $("date").textContent = ADM.dateText("id");
  };
  render();
  tick();
  setInterval(tick, 1000);
  if (!ADM.state.client || !ADM.state.key) {
    $("screen").hidden = true;
    $("setup").hidden = false;
  } else {
    ADM.syncClock().then(tick);
    ADM.events(onEvent, onState);
    setInterval(ADM.syncClock, 600000);
  }
})();

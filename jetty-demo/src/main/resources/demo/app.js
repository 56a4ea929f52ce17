// The demo page: signs in through the Frappe-style login, listens on the plain JSON WebSocket
// (/ai-progress/ws) for ai_progress events, and posts chat_completion with its own task_id so it
// can route events to the right answer and cancel it. The HTTP reply arrives last and confirms
// the streamed text.
(function () {
  "use strict";
  var $ = function (id) { return document.getElementById(id); };
  var CHAT = "/api/method/ai_assistant.api.chat_completion";
  var CANCEL = "/api/method/ai_assistant.api.cancel";
  var state = { user: null, ws: null, turns: {}, running: null, providers: [], logCount: 0, history: [] };

  function api(path, opts) {
    opts = opts || {};
    opts.credentials = "same-origin";
    return fetch(path, opts).then(function (r) {
      return r.text().then(function (t) {
        var body = null;
        try { body = t.trim() ? JSON.parse(t) : null; } catch (e) { body = { message: t }; }
        return { ok: r.ok, status: r.status, body: body };
      });
    });
  }

  function log(obj) {
    state.logCount++;
    $("log-count").textContent = state.logCount + " events";
    var pre = $("event-log");
    pre.textContent += JSON.stringify(obj) + "\n";
    if (pre.textContent.length > 200000) pre.textContent = pre.textContent.slice(-150000);
  }

  // ---- sign in
  function showLogin() { $("login-view").hidden = false; $("chat-view").hidden = true; $("who").textContent = ""; }
  function showChat() {
    $("login-view").hidden = true; $("chat-view").hidden = false;
    var who = $("who"); who.textContent = "";
    var name = document.createElement("span"); name.className = "who-name"; name.textContent = "signed in as " + state.user;
    who.appendChild(name);
    var out = document.createElement("button"); out.className = "secondary"; out.textContent = "Sign out"; out.id = "logout-button";
    out.onclick = function () { api("/api/method/logout", { method: "POST" }).then(function () { location.reload(); }); };
    who.appendChild(out);
    connectSocket(); loadProviders(); $("message").focus();
  }
  $("login-form").addEventListener("submit", function (e) {
    e.preventDefault();
    var body = new URLSearchParams({ usr: $("usr").value, pwd: $("pwd").value });
    api("/api/method/login", { method: "POST", body: body }).then(function (r) {
      if (r.ok) { $("login-error").hidden = true; state.user = $("usr").value; showChat(); }
      else { var el = $("login-error"); el.hidden = false; el.textContent = (r.body && r.body.message) || ("HTTP " + r.status); }
    });
  });

  // ---- providers
  function loadProviders() {
    api("/ai-progress/providers").then(function (r) {
      state.providers = (r.ok && r.body && r.body.message && r.body.message.providers) || [];
      var sel = $("provider"); sel.innerHTML = "";
      state.providers.forEach(function (p) { var o = document.createElement("option"); o.value = p.name; o.textContent = p.name; sel.appendChild(o); });
      fillModels();
    });
  }
  function fillModels() {
    var p = state.providers.filter(function (x) { return x.name === $("provider").value; })[0];
    var sel = $("model"); sel.innerHTML = "";
    ((p && p.models && p.models.length ? p.models : (p ? [p.default_model] : [])) || []).forEach(function (m) {
      var o = document.createElement("option"); o.value = m; o.textContent = m; if (p && m === p.default_model) o.selected = true; sel.appendChild(o);
    });
  }
  $("provider").addEventListener("change", fillModels);

  // ---- realtime
  function connectSocket() {
    var proto = location.protocol === "https:" ? "wss:" : "ws:";
    var ws = new WebSocket(proto + "//" + location.host + "/ai-progress/ws");
    state.ws = ws;
    ws.onopen = function () { var s = $("socket-status"); s.textContent = "live"; s.className = "status live"; };
    ws.onclose = function () {
      var s = $("socket-status"); s.textContent = "reconnecting…"; s.className = "status";
      if (state.user) setTimeout(connectSocket, 1500);
    };
    ws.onmessage = function (m) {
      var frame; try { frame = JSON.parse(m.data); } catch (e) { return; }
      log(frame);
      if (frame.event === "ai_progress" && frame.data) onProgress(frame.data);
    };
  }

  // ---- one question/answer turn
  function newTurn(taskId, question) {
    var node = $("turn-template").content.firstElementChild.cloneNode(true);
    node.dataset.taskId = taskId;
    node.querySelector(".question").textContent = question;
    $("empty-hint").hidden = true;
    $("conversation").appendChild(node);
    var turn = {
      node: node, text: "", reasoning: "", seq: 0, reasoningStart: null, reasoningEnd: null, timer: null, finished: false,
      el: function (sel) { return node.querySelector(sel); }
    };
    state.turns[taskId] = turn;
    // to the very bottom, not just the turn's end (which would sit behind the sticky composer and
    // stop the follow-the-stream scrolling)
    window.scrollTo(0, document.documentElement.scrollHeight);
    return turn;
  }

  // Follow the stream while the reader is at the bottom; leave them alone once they scroll up.
  function atBottom() {
    var doc = document.documentElement;
    return window.innerHeight + window.scrollY >= doc.scrollHeight - 160;
  }
  function follow(wasAtBottom) {
    if (wasAtBottom) window.scrollTo(0, document.documentElement.scrollHeight);
  }

  // Renders the answer; while streaming, the cursor goes inside the last block (paragraph, list
  // item, code) so it sits right after the last character instead of on a line of its own.
  function renderAnswer(turn, streaming) {
    var a = turn.el(".answer");
    a.innerHTML = window.renderMarkdown(turn.text || "");
    if (!streaming) return;
    var at = a;
    while (at.lastElementChild) at = at.lastElementChild;
    var cursor = document.createElement("span"); cursor.className = "cursor";
    at.appendChild(cursor);
  }

  function tickTimer(turn) {
    var secs = Math.max(0, Math.round(((turn.reasoningEnd || Date.now()) - turn.reasoningStart) / 1000));
    turn.el(".timer").textContent = secs + "s";
  }

  function endReasoning(turn, reasoningMs) {
    if (!turn.reasoningStart || turn.reasoningDone) return;
    turn.reasoningDone = true;
    turn.reasoningEnd = Date.now();
    clearInterval(turn.timer);
    var secs = reasoningMs != null ? Math.max(1, Math.round(reasoningMs / 1000)) : Math.max(1, Math.round((turn.reasoningEnd - turn.reasoningStart) / 1000));
    var details = turn.el(".reasoning");
    details.classList.add("done");
    turn.el(".reasoning-label").textContent = "Thought for " + secs + (secs === 1 ? " second" : " seconds");
    turn.el(".timer").textContent = "";
    details.open = false;
  }

  function onProgress(ev) {
    var turn = state.turns[ev.task_id];
    if (!turn || turn.finished) return;
    if (ev.seq && ev.seq <= turn.seq) return; // already seen (replay after reconnect)
    if (ev.seq) turn.seq = ev.seq;
    var wasAtBottom = atBottom();
    applyEvent(turn, ev);
    follow(wasAtBottom);
  }

  function applyEvent(turn, ev) {
    switch (ev.type) {
      case "thinking":
        turn.el(".state").textContent = "thinking…";
        break;
      case "reasoning":
        if (!turn.reasoningStart) {
          turn.reasoningStart = Date.now();
          turn.el(".reasoning").hidden = false;
          turn.timer = setInterval(function () { tickTimer(turn); }, 250);
        }
        turn.reasoning += ev.text;
        var rt = turn.el(".reasoning-text"); rt.textContent = turn.reasoning; rt.scrollTop = rt.scrollHeight;
        tickTimer(turn);
        break;
      case "text":
        endReasoning(turn);
        turn.text += ev.text;
        renderAnswer(turn, true);
        turn.el(".state").textContent = "answering…";
        break;
      case "tool_call":
        var card = document.createElement("div"); card.className = "tool-card";
        var name = document.createElement("div"); name.className = "name"; name.textContent = "tool call: " + ev.tool.name;
        var args = document.createElement("pre"); args.textContent = prettyJson(ev.tool.arguments);
        card.appendChild(name); card.appendChild(args); turn.el(".tools").appendChild(card);
        break;
      case "completion":
        endReasoning(turn, ev.reasoning_ms);
        turn.text = ev.text;
        finishTurn(turn, true, ev);
        break;
      case "error":
        endReasoning(turn);
        finishTurn(turn, false, ev);
        break;
    }
  }

  function prettyJson(s) { try { return JSON.stringify(JSON.parse(s), null, 2); } catch (e) { return s; } }

  function finishTurn(turn, ok, ev) {
    if (turn.finished) return;
    turn.finished = true;
    clearInterval(turn.timer);
    var wasAtBottom = atBottom();
    renderAnswer(turn, false);
    var st = turn.el(".state");
    if (ok) {
      st.textContent = "done in " + ((ev.duration_ms || 0) / 1000).toFixed(1) + " s · " + (ev.provider || "") + " / " + (ev.model || "");
      st.className = "state ok";
      if (ev.usage) {
        turn.el(".usage").textContent = ev.usage.input_tokens + " in · " + ev.usage.output_tokens + " out" +
          (ev.usage.reasoning_tokens != null ? " (" + ev.usage.reasoning_tokens + " reasoning)" : "") + " · " + ev.usage.total_tokens + " total";
      }
      state.history.push({ role: "assistant", content: turn.text });
    } else {
      st.textContent = (ev.code ? ev.code + ": " : "") + (ev.message || ev.error || "failed");
      st.className = "state failed";
    }
    if (state.running === turn) { state.running = null; setBusy(false); }
    follow(wasAtBottom);
  }

  function setBusy(busy) {
    $("send-button").disabled = busy;
    $("stop-button").disabled = !busy;
  }

  function randomId() {
    var a = new Uint8Array(9); crypto.getRandomValues(a);
    return "demo-" + Array.from(a, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  $("ask-form").addEventListener("submit", function (e) {
    e.preventDefault();
    var text = $("message").value.trim();
    if (!text || state.running) return;
    var taskId = randomId();
    var turn = newTurn(taskId, text);
    state.running = turn; setBusy(true);
    $("message").value = "";
    state.history.push({ role: "user", content: text });
    var body = { messages: state.history.slice(-20), task_id: taskId, provider: $("provider").value, model: $("model").value };
    api(CHAT, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) }).then(function (r) {
      var m = r.body && r.body.message;
      if (!r.ok) {
        finishTurn(turn, false, { message: (r.body && r.body.message) || ("HTTP " + r.status) });
      } else if (m && m.success === false) {
        endReasoning(turn);
        turn.text = m.content || turn.text;
        finishTurn(turn, false, { message: m.error, code: m.code });
      } else if (m) {
        // The reply is the source of truth; if the socket missed anything, this fills it in.
        if (m.reasoning && !turn.reasoning) {
          turn.reasoning = m.reasoning; turn.reasoningStart = Date.now();
          turn.el(".reasoning").hidden = false; turn.el(".reasoning-text").textContent = m.reasoning;
        }
        endReasoning(turn, m.reasoning_ms);
        turn.text = m.content;
        finishTurn(turn, true, { duration_ms: m.duration_ms, provider: m.provider, model: m.model, usage: m.usage });
      }
    }).catch(function (err) { finishTurn(turn, false, { message: String(err) }); });
  });

  $("message").addEventListener("keydown", function (e) {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); $("ask-form").requestSubmit(); }
  });

  $("stop-button").addEventListener("click", function () {
    var turn = state.running; if (!turn) return;
    $("stop-button").disabled = true;
    api(CANCEL, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ task_id: turn.node.dataset.taskId }) });
  });

  // ---- start: already signed in?
  api("/api/method/frappe.auth.get_logged_user").then(function (r) {
    if (r.ok && r.body && r.body.message) { state.user = r.body.message; showChat(); } else { showLogin(); }
  });
})();

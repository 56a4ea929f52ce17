// The operators' panel: polls /ai-progress/health (open to anyone) and, when the demo's config
// enables it and the user has the role, /ai-progress/metrics (Prometheus text). Small on purpose.
(function () {
  "use strict";
  var $ = function (id) { return document.getElementById(id); };
  var SHOWN = [
    ["ai_progress_generations_active", "active generations"],
    ["ai_progress_generations_started_total", "generations started"],
    ["ai_progress_cancellations_total", "cancellations"],
    ["ai_progress_fallbacks_total", "fallbacks"],
    ["ai_progress_retries_total", "retries"],
    ["ai_progress_errors_total", "errors"],
    ["ai_progress_sockets_open", "open sockets"],
    ["ai_progress_events_delivered_total", "events delivered"],
    ["ai_progress_delivered_bytes_total", "bytes delivered"],
    ["ai_progress_outbox_merges_total", "outbox merges"],
    ["ai_progress_outbox_overflow_closes_total", "slow sockets closed"],
    ["ai_progress_replay_events_total", "replayed events"]
  ];

  function row(label, value) {
    var tr = document.createElement("tr");
    var a = document.createElement("td"); a.textContent = label;
    var b = document.createElement("td"); b.textContent = value;
    tr.appendChild(a); tr.appendChild(b);
    return tr;
  }

  // sums every sample of a metric (all label sets)
  function sums(text) {
    var out = {};
    text.split("\n").forEach(function (line) {
      if (!line || line.charAt(0) === "#") return;
      var name = line.split(/[{ ]/)[0];
      var value = parseFloat(line.slice(line.lastIndexOf(" ") + 1));
      out[name] = (out[name] || 0) + value;
    });
    return out;
  }

  function poll() {
    var panel = $("ops-panel");
    if (!panel || !panel.open) return;
    var body = $("ops-rows");
    fetch("/ai-progress/health", { credentials: "same-origin" }).then(function (r) {
      return r.json().then(function (h) {
        body.innerHTML = "";
        body.appendChild(row("health", (h.ready ? "ready" : "NOT READY") + " (HTTP " + r.status + "), cluster " + h.cluster));
        Object.keys(h.providers || {}).forEach(function (name) {
          var p = h.providers[name];
          body.appendChild(row("provider " + name, p.last_outcome + (p.last_error_code ? " " + p.last_error_code : "")
            + (p.at ? " at " + p.at.slice(11, 19) : "")));
        });
        return fetch("/ai-progress/metrics", { credentials: "same-origin" });
      });
    }).then(function (r) {
      if (r.status !== 200) {
        body.appendChild(row("metrics", r.status === 404 ? "off (ai-progress.metrics.enabled=false)" : "HTTP " + r.status + " (needs the metrics role)"));
        return;
      }
      return r.text().then(function (t) {
        var s = sums(t);
        SHOWN.forEach(function (m) { if (m[0] in s) body.appendChild(row(m[1], String(Math.round(s[m[0]])))); });
      });
    }).catch(function (e) { body.innerHTML = ""; body.appendChild(row("health", "unreachable: " + e)); });
  }

  setInterval(poll, 2000);
  document.addEventListener("toggle", function (e) { if (e.target && e.target.id === "ops-panel") poll(); }, true);
})();

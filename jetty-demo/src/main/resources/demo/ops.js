// The operators' panel: polls /ai-progress/health (open to anyone). The Prometheus figures at
// /ai-progress/metrics need an admin container login (e.g. Basic), which this page's form sign-in
// does not keep, so the panel names that endpoint instead of requesting it and failing.
(function () {
  "use strict";
  var $ = function (id) { return document.getElementById(id); };
  function row(label, value) {
    var tr = document.createElement("tr");
    var a = document.createElement("td"); a.textContent = label;
    var b = document.createElement("td"); b.textContent = value;
    tr.appendChild(a); tr.appendChild(b);
    return tr;
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
        body.appendChild(row("metrics", "GET /ai-progress/metrics (Prometheus; ai-progress.metrics.enabled, admin role)"));
      });
    }).catch(function (e) { body.innerHTML = ""; body.appendChild(row("health", "unreachable: " + e)); });
  }

  setInterval(poll, 2000);
  document.addEventListener("toggle", function (e) { if (e.target && e.target.id === "ops-panel") poll(); }, true);
})();

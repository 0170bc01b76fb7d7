/* Live updates: subscribe this page's channel over /ws and apply each kpi:update in place.
   Protocol: docs/dashboard.md. The page works without this script (figures drawn on the server). */
(function () {
  "use strict";
  var channel = document.body.dataset.channel;
  var statusBadge = document.getElementById("live-status");
  var retryMs = 1000;
  var updates = 0;

  function filters() {
    var params = new URLSearchParams(window.location.search);
    var chosen = {};
    ["start", "end", "artist"].forEach(function (name) {
      if (params.get(name)) { chosen[name] = params.get(name); }
    });
    return chosen;
  }

  function showStatus(text) {
    if (statusBadge) { statusBadge.textContent = text; statusBadge.dataset.state = text; }
  }

  function applyKpis(kpis) {
    Object.keys(kpis || {}).forEach(function (key) {
      document.querySelectorAll('[data-kpi="' + CSS.escape(key) + '"]').forEach(function (el) {
        el.textContent = kpis[key];
      });
    });
  }

  function applyCharts(charts) {
    if (!window.Plotly) { return; }
    Object.keys(charts || {}).forEach(function (id) {
      var element = document.getElementById(id);
      if (element) { window.Plotly.react(element, charts[id].data, charts[id].layout || {}); }
    });
  }

  function onMessage(event) {
    var message = JSON.parse(event.data);
    if (message.type === "connection:status") {
      showStatus(message.status === "connected" ? "live" : message.status);
    } else if (message.type === "kpi:update" && message.channel === channel) {
      applyKpis(message.data.kpis);
      applyCharts(message.data.charts);
      updates += 1;
      document.body.dataset.liveUpdates = String(updates);
      document.body.dataset.liveUpdatedAt = new Date().toISOString();
    } else if (message.type === "error" && window.console) {
      window.console.warn("dashboard live channel:", message.message);
    }
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + window.location.host + "/ws");
    socket.onopen = function () {
      retryMs = 1000;
      socket.send(JSON.stringify({ type: "subscribe", channel: channel, filters: filters() }));
    };
    socket.onmessage = onMessage;
    socket.onclose = function (event) {
      showStatus("offline");
      if (event.code === 4401) { window.location.assign("/login"); return; }
      window.setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 30000);
    };
  }

  if (channel && "WebSocket" in window) { connect(); }
})();

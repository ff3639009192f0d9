/* dangvu — the member's attempt page: save each answer as it is chosen, keep unsent
   answers in the phone (localStorage) until the network is back, count down the time. */
(function () {
  "use strict";
  var form = document.getElementById("bai-lam");
  if (!form) return;
  var token = form.dataset.token, api = "/api/v1/attempts/" + token;
  var key = "dangvu-" + token, status = document.getElementById("trang-thai");
  var pending = JSON.parse(localStorage.getItem(key) || "{}");
  var deadline = form.dataset.deadline ? Date.parse(form.dataset.deadline) : null;
  var skew = form.dataset.now ? Date.parse(form.dataset.now) - Date.now() : 0;

  function say(text, css) { status.textContent = text; status.className = "trang-thai " + (css || ""); }
  function keep() { localStorage.setItem(key, JSON.stringify(pending)); }
  function chosen(q) {
    var boxes = form.querySelectorAll('input[name="q' + q + '"]:checked'), out = [];
    for (var i = 0; i < boxes.length; i++) out.push(parseInt(boxes[i].value, 10));
    return out;
  }
  var busy = null, again = false, refused = "";
  function send(q) {
    if (!(q in pending)) return Promise.resolve();
    var sent = pending[q], body = JSON.stringify({options: sent});
    return fetch(api + "/answers/" + q, {method: "PUT", headers: {"Content-Type": "application/json"}, body: body})
      .then(function (r) {
        return r.json().then(function (data) {
          var last = pending[q] === sent;  /* not chosen again while this one was on its way */
          if (r.ok) { if (last) { delete pending[q]; keep(); mark(q, true); } return; }
          if (r.status === 409) { if (last) { delete pending[q]; keep(); } refused = data.error; return; }
          throw new Error(data.error || r.status);
        });
      });
  }
  /* One save at a time, in order, so an earlier choice never overtakes a later one. */
  function flush() {
    if (busy) { again = true; return busy; }
    var qs = Object.keys(pending);
    if (!qs.length) { say(refused || "Đã lưu mọi câu trả lời.", refused ? "loi" : "ok"); return Promise.resolve(); }
    say("Đang lưu " + qs.length + " câu...", "");
    refused = "";
    busy = qs.reduce(function (p, q) { return p.then(function () { return send(q); }); }, Promise.resolve())
      .then(function () {
        if (refused) say(refused, "loi");
        else if (!Object.keys(pending).length) say("Đã lưu mọi câu trả lời.", "ok");
      })
      .catch(function () { again = false; say("Mất kết nối: câu trả lời được giữ trên máy và sẽ tự lưu khi có mạng.", "loi"); })
      .then(function () { busy = null; if (again) { again = false; return flush(); } });
    return busy;
  }
  function mark(q, saved) {
    var box = document.getElementById("cau-" + q);
    if (box) box.classList.toggle("da-luu", saved);
  }
  form.addEventListener("change", function (e) {
    var q = e.target.name.slice(1);
    pending[q] = chosen(q); keep(); mark(q, false); flush();
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    if (!confirm("Nộp bài? Sau khi nộp không sửa được nữa.")) return;
    flush().then(function () {
      if (Object.keys(pending).length) { say("Chưa nộp được vì mất kết nối; hãy bấm Nộp bài lại khi có mạng.", "loi"); return; }
      return fetch(api + "/submit", {method: "POST"}).then(function (r) {
        return r.json().then(function (data) {
          if (r.ok) { localStorage.removeItem(key); location.reload(); }
          else say(data.error, "loi");
        });
      });
    }).catch(function () { say("Chưa nộp được vì mất kết nối; hãy bấm Nộp bài lại khi có mạng.", "loi"); });
  });
  window.addEventListener("online", flush);
  setInterval(function () { if (Object.keys(pending).length) flush(); }, 5000);
  for (var q in pending) {  /* answers kept from before a reload or a lost connection */
    var boxes = form.querySelectorAll('input[name="q' + q + '"]');
    for (var i = 0; i < boxes.length; i++) boxes[i].checked = pending[q].indexOf(parseInt(boxes[i].value, 10)) >= 0;
  }
  flush();
  if (deadline) {
    var clock = document.getElementById("dong-ho");
    (function tick() {
      var left = Math.max(0, Math.floor((deadline - (Date.now() + skew)) / 1000));
      clock.textContent = Math.floor(left / 60) + ":" + ("0" + left % 60).slice(-2);
      if (left > 0) setTimeout(tick, 1000); else say("Đã hết giờ làm bài.", "loi");
    })();
  }
})();

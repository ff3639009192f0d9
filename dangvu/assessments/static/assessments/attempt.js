/* dangvu — the member's attempt page: save each answer as it is chosen and say so under the
   question, keep unsent answers in the phone (localStorage) and send them again until the
   signal is back, ask before submitting (saying how many questions are unanswered), count
   down the time; on the result page, bring the score into view. */
(function () {
  "use strict";
  var result = document.getElementById("ket-qua");
  if (result) {  /* after "Nộp bài" the page reloads: the score, not the last question */
    if ("scrollRestoration" in history) history.scrollRestoration = "manual";
    window.scrollTo(0, 0);
    result.focus();
    return;
  }
  var form = document.getElementById("bai-lam");
  if (!form) return;
  /* The questions came in the answer to "Bắt đầu" (a POST): the personal link goes back
     in the address bar, so that reloading reads the page instead of posting again. */
  if (form.dataset.page && location.pathname !== form.dataset.page && history.replaceState)
    history.replaceState(null, "", form.dataset.page);
  var token = form.dataset.token, api = "/api/v1/attempts/" + token;
  var key = "dangvu-" + token, status = document.getElementById("trang-thai");
  var pending = JSON.parse(localStorage.getItem(key) || "{}");
  var deadline = form.dataset.deadline ? Date.parse(form.dataset.deadline) : null;
  var skew = form.dataset.now ? Date.parse(form.dataset.now) - Date.now() : 0;
  var LOST = "Mất kết nối: câu trả lời được giữ trên máy và sẽ tự lưu khi có mạng.";
  var NOT_SENT = "Chưa nộp được vì mất kết nối; hãy bấm Nộp bài lại khi có mạng.";

  function say(text, css) { status.textContent = text; status.className = "trang-thai " + (css || ""); }
  function keep() { localStorage.setItem(key, JSON.stringify(pending)); }
  function chosen(q) {
    var boxes = form.querySelectorAll('input[name="q' + q + '"]:checked'), out = [];
    for (var i = 0; i < boxes.length; i++) out.push(parseInt(boxes[i].value, 10));
    return out;
  }
  /* Under each question: "Đang lưu…", "Đã lưu ✓", or why not (yet). */
  var NOTES = {saving: "Đang lưu…", saved: "Đã lưu ✓", waiting: "Chưa lưu: sẽ tự gửi lại khi có mạng", refused: "Không lưu được"};
  function mark(q, state) {
    var box = document.getElementById("cau-" + q), note = document.getElementById("luu-" + q);
    if (box) box.classList.toggle("da-luu", state === "saved");
    if (note) { note.textContent = NOTES[state] || ""; note.className = "luu " + state; }
  }
  /* A weak signal can leave a request hanging: give up on it after a while and try again. */
  function put(url, body) {
    var abort = window.AbortController ? new AbortController() : null;
    var timer = abort ? setTimeout(function () { abort.abort(); }, 15000) : null;
    return fetch(url, {method: "PUT", headers: {"Content-Type": "application/json"}, body: body,
                       signal: abort ? abort.signal : undefined})
      .then(function (r) { clearTimeout(timer); return r; }, function (e) { clearTimeout(timer); throw e; });
  }
  var busy = null, again = false, refused = "", retry = null, wait = 2000;
  function send(q) {
    if (!(q in pending)) return Promise.resolve();
    var sent = pending[q];
    return put(api + "/answers/" + q, JSON.stringify({options: sent}))
      .then(function (r) {
        return r.json().then(function (data) {
          var last = pending[q] === sent;  /* not chosen again while this one was on its way */
          if (r.ok) { if (last) { delete pending[q]; keep(); mark(q, "saved"); } return; }
          if (r.status === 409) { if (last) { delete pending[q]; keep(); mark(q, "refused"); } refused = data.error; return; }
          throw new Error(data.error || r.status);
        });
      });
  }
  function later() {  /* try again soon, then less and less often */
    clearTimeout(retry);
    retry = setTimeout(flush, wait);
    wait = Math.min(wait * 2, 20000);
  }
  /* One save at a time, in order, so an earlier choice never overtakes a later one. */
  function flush() {
    if (busy) { again = true; return busy; }
    var qs = Object.keys(pending);
    if (!qs.length) { say(refused || "Đã lưu mọi câu trả lời.", refused ? "loi" : "ok"); return Promise.resolve(); }
    say("Đang lưu " + qs.length + " câu...", "");
    qs.forEach(function (q) { mark(q, "saving"); });
    refused = "";
    busy = qs.reduce(function (p, q) { return p.then(function () { return send(q); }); }, Promise.resolve())
      .then(function () {
        wait = 2000;
        if (refused) say(refused, "loi");
        else if (!Object.keys(pending).length) say("Đã lưu mọi câu trả lời.", "ok");
      })
      .catch(function () {
        again = false;
        Object.keys(pending).forEach(function (q) { mark(q, "waiting"); });
        say(LOST, "loi");
        later();
      })
      .then(function () { busy = null; if (again) { again = false; return flush(); } });
    return busy;
  }
  form.addEventListener("change", function (e) {
    var q = e.target.name.slice(1);
    pending[q] = chosen(q); keep(); flush();
  });

  /* Submitting: an in-page question that says what is left, then the submission. */
  var boxes = form.querySelectorAll("fieldset.question");
  var dialog = document.getElementById("xac-nhan");
  function unanswered() {
    var out = [];
    for (var i = 0; i < boxes.length; i++) if (!boxes[i].querySelector("input:checked")) out.push(boxes[i]);
    return out;
  }
  function question() {
    var left = unanswered().length, total = boxes.length;
    return left ? "Còn " + left + "/" + total + " câu chưa trả lời. Vẫn nộp bài?"
                : "Đã trả lời đủ " + total + "/" + total + " câu. Nộp bài?";
  }
  function submit() {
    return flush().then(function () {
      if (Object.keys(pending).length) { say(NOT_SENT, "loi"); return; }
      return fetch(api + "/submit", {method: "POST"}).then(function (r) {
        return r.json().then(function (data) {
          if (r.ok) {
            localStorage.removeItem(key);
            if ("scrollRestoration" in history) history.scrollRestoration = "manual";
            location.reload();
          } else say(data.error, "loi");
        });
      });
    }).catch(function () { say(NOT_SENT, "loi"); });
  }
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var text = question();
    if (!dialog || !dialog.showModal) { if (confirm(text + " Sau khi nộp không sửa được nữa.")) submit(); return; }
    document.getElementById("xac-nhan-cau").textContent = text;
    document.getElementById("xac-nhan-nop").textContent = unanswered().length ? "Vẫn nộp bài" : "Nộp bài";
    dialog.showModal();
  });
  if (dialog && dialog.showModal) {
    document.getElementById("xac-nhan-nop").addEventListener("click", function () { dialog.close(); submit(); });
    document.getElementById("xac-nhan-quay-lai").addEventListener("click", function () {
      dialog.close();
      var first = unanswered()[0];
      if (first) { first.scrollIntoView({block: "center"}); first.querySelector("input").focus({preventScroll: true}); }
    });
  }

  window.addEventListener("online", function () { wait = 2000; flush(); });
  for (var q in pending) {  /* answers kept from before a reload or a lost connection */
    var inputs = form.querySelectorAll('input[name="q' + q + '"]');
    for (var i = 0; i < inputs.length; i++) inputs[i].checked = pending[q].indexOf(parseInt(inputs[i].value, 10)) >= 0;
  }
  /* Chosen on a slow phone before this script arrived: differs from what the server sent. */
  for (var b = 0; b < boxes.length; b++) {
    var all = boxes[b].querySelectorAll("input"), moved = false;
    for (var j = 0; j < all.length; j++) if (all[j].checked !== all[j].defaultChecked) moved = true;
    if (moved) { var name = all[0].name.slice(1); pending[name] = chosen(name); }
  }
  keep();
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

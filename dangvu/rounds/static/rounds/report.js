// A unit's report: "Gửi báo cáo" asks first, in the page (without this script the button
// sends the report directly; the page says beforehand that it cannot be edited after).
(function () {
  "use strict";
  var form = document.getElementById("viet-bao-cao");
  if (!form) return;
  var dialog = document.getElementById("xac-nhan");
  var confirmed = false, submitter = null;
  form.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (confirmed || !button || !button.hasAttribute("data-submit-report")) return;
    event.preventDefault();
    submitter = button;
    if (!dialog || !dialog.showModal) {
      if (window.confirm(form.getAttribute("data-confirm-submit"))) { confirmed = true; form.requestSubmit(button); }
      return;
    }
    dialog.showModal();
  });
  if (dialog && dialog.showModal) {
    document.getElementById("xac-nhan-gui").addEventListener("click", function () {
      dialog.close();
      confirmed = true;
      form.requestSubmit(submitter);
    });
    document.getElementById("xac-nhan-quay-lai").addEventListener("click", function () { dialog.close(); });
  }
})();

// A job's page: asks the job's status every two seconds and shows it; reloads the page once the job has ended
// (the page then shows the result). Without this script the page's 새로 고침 link does the same by hand.
(function () {
  "use strict";
  var box = document.getElementById("job-progress");
  if (!box || box.dataset.finished === "1") { return; }
  var bar = box.querySelector("[data-job-bar]");
  var percent = box.querySelector("[data-job-percent]");
  var state = box.querySelector("[data-job-state]");
  var stage = box.querySelector("[data-job-stage]");
  function show(status) {
    bar.value = status.percent;
    bar.textContent = status.percent + "%";
    percent.textContent = status.percent;
    state.textContent = status.state_label;
    if (stage) { stage.textContent = status.stage || "작업자를 기다리는 중"; }
  }
  function ask() {
    fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
      .then(function (status) {
        show(status);
        if (status.finished) { window.location.reload(); } else { window.setTimeout(ask, 2000); }
      })
      .catch(function () { window.setTimeout(ask, 5000); });
  }
  window.setTimeout(ask, 1000);
}());

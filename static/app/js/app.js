// Moves focus to content swapped in by htmx and announces it, so keyboard and screen-reader
// users notice the change.
document.addEventListener("htmx:afterSwap", function (event) {
  var target = event.detail.target;
  if (target && target.dataset.announce) {
    var live = document.getElementById("live-region");
    if (live) { live.textContent = target.dataset.announce; }
  }
  var heading = target && target.querySelector("h1, h2, h3");
  if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus(); }
});

// Moves focus to content swapped in by htmx and announces it, so keyboard and screen-reader
// users notice the change.
document.addEventListener("htmx:afterSwap", function (event) {
  // event.target is the swapped-in element; with an outerHTML swap event.detail.target is the
  // old element, already detached, which still carries the previous announcement.
  var target = event.target;
  if (target && target.dataset.announce) {
    var live = document.getElementById("live-region");
    if (live) { live.textContent = target.dataset.announce; }
  }
  var heading = target && target.querySelector("h1, h2, h3");
  if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus(); }
});

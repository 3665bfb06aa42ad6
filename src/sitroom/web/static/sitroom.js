// sitroom: show what was extracted for the highlighted span under the pointer or keyboard focus.
(function () {
  var inspector = document.getElementById("inspector");
  if (!inspector) return;
  function show(event) {
    var span = event.target.closest ? event.target.closest("[data-tip]") : null;
    if (span) inspector.textContent = span.getAttribute("data-tip");
  }
  document.addEventListener("mouseover", show);
  document.addEventListener("focusin", show);
  var target = document.querySelector(".hl-target");
  if (target) { target.scrollIntoView({block: "center"}); target.focus({preventScroll: true}); }
})();

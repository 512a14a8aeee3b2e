// Keyboard shortcuts, an enhancement only: every action is also a link or a button.
// Lists: j / k move to the next / previous row, Enter opens it. A draft: j / k next / previous draft,
// a approves (the form as edited), r moves to the rejection reason (Enter there rejects).
(function () {
  "use strict";
  function typing(target) {
    var tag = target && target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }
  function moveInList(step) {
    var links = Array.prototype.slice.call(document.querySelectorAll("[data-keys=list] [data-open]"));
    if (!links.length) { return false; }
    var at = links.indexOf(document.activeElement);
    var next = at < 0 ? 0 : Math.min(links.length - 1, Math.max(0, at + step));
    links[next].focus();
    return true;
  }
  function follow(id) {
    var link = document.getElementById(id);
    if (link) { window.location.assign(link.href); }
  }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) { return; }
    var key = event.key;
    if (key === "j" || key === "k") {
      if (!moveInList(key === "j" ? 1 : -1)) { follow(key === "j" ? "next" : "prev"); }
      event.preventDefault();
    } else if (key === "a") {
      var approve = document.getElementById("approve");
      if (approve) { approve.click(); event.preventDefault(); }
    } else if (key === "r") {
      var reason = document.getElementById("reason");
      if (reason) { reason.focus(); event.preventDefault(); }
    }
  });
})();

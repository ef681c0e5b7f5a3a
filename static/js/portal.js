/* Focus where the user's work continues, after a page load and after an htmx swap.

   A file rather than an inline script: the Content-Security-Policy allows no inline script.
   - A page that answers an invalid form starts at its error summary
     (includes/error_summary.html), so the errors are read out and the links lead to the fields.
   - After an htmx swap, an error summary in the new content gets the focus. In a region marked
     data-focus-region (a sorteerbak cell), focus goes to the first field of a form just opened,
     or else to the region's first link or button: after a save or a cancel, the cell's own
     "Wijzigen", so keyboard users continue where they were.
   Messages are announced by the live region #messages (includes/messages.html), which htmx
   fills out of band without replacing it. */
(function () {
  "use strict";

  var FIELDS = "input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled])";

  function focusErrorSummary(root) {
    var summary = root.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
      return true;
    }
    return false;
  }

  document.addEventListener("DOMContentLoaded", function () {
    focusErrorSummary(document);
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var region = event.target;
    if (!(region instanceof Element) || !document.body.contains(region)) {
      return;
    }
    if (focusErrorSummary(region) || !region.hasAttribute("data-focus-region")) {
      return;
    }
    var next = region.querySelector(FIELDS) || region.querySelector("a[href], button");
    if (next) {
      next.focus();
    }
  });
})();

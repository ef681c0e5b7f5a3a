/* Focus where the user's work continues, after a page load and after an htmx swap.

   A file rather than an inline script: the Content-Security-Policy allows no inline script.
   - A page that answers an invalid form starts at its error summary
     (includes/error_summary.html), so the errors are read out and the links lead to the fields.
   - A page that a button sent back to a place on it (a redirect to #punt-3, #positie-dordrecht,
     a form's action ending in #zetels) focuses that place, and shows the message of what was
     done just above it: the message would otherwise stand at the top, out of view.
   - After an htmx swap, an error summary in the new content gets the focus. In a region marked
     data-focus-region (a sorteerbak cell, an escalation, a process step), focus goes to the
     element marked data-focus-first (an escalation's new status), else to the first field of a
     form just opened, else to the region's first link or button: after a save or a cancel, the
     cell's own "Wijzigen", so keyboard users continue where they were.
   - Escape closes what was opened: an open <details> (its summary gets the focus back), or a
     form opened in place, through its link marked data-cancel.
   Messages are announced by the live region #messages (includes/messages.html), which htmx
   fills out of band without replacing it. */
(function () {
  "use strict";

  var FIELDS = "input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled])";
  var TABLE_PARTS = "tr, td, th, thead, tbody, tfoot";

  function focusErrorSummary(root) {
    var summary = root.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
      return true;
    }
    return false;
  }

  function focusTarget(target) {
    if (!target.matches("a[href], button, input, select, textarea, [tabindex]")) {
      target.setAttribute("tabindex", "-1");
    }
    target.focus();
  }

  function focusHashTarget() {
    var id = window.location.hash.slice(1);
    if (!id) {
      return;
    }
    var target;
    try {
      target = document.getElementById(decodeURIComponent(id));
    } catch (error) {
      return;
    }
    if (!target) {
      return;
    }
    var messages = document.getElementById("messages");
    if (messages && messages.querySelector("li") && !target.contains(messages)) {
      // Beside the place itself: a list item holds it at its start; a table row cannot hold
      // it, so above the row's table; anything else gets it just before it.
      if (target.matches("li")) {
        target.insertBefore(messages, target.firstChild);
      } else {
        var anchor = target.matches(TABLE_PARTS) ? target.closest(".table-scroll, table") : target;
        if (anchor && anchor.parentNode) {
          anchor.parentNode.insertBefore(messages, anchor);
        }
      }
    }
    focusTarget(target);
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!focusErrorSummary(document)) {
      focusHashTarget();
    }
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var region = event.target;
    if (!(region instanceof Element) || !document.body.contains(region)) {
      return;
    }
    if (focusErrorSummary(region) || !region.hasAttribute("data-focus-region")) {
      return;
    }
    var next = region.querySelector("[data-focus-first]") || region.querySelector(FIELDS) ||
      region.querySelector("a[href], button");
    if (next) {
      next.focus();
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !(event.target instanceof Element)) {
      return;
    }
    var details = event.target.closest("details[open]");
    if (details) {
      details.open = false;
      details.querySelector("summary").focus();
      event.preventDefault();
      return;
    }
    var region = event.target.closest("[data-focus-region]");
    var cancel = region && region.querySelector("[data-cancel]");
    if (cancel) {
      cancel.click();
      event.preventDefault();
    }
  });
})();

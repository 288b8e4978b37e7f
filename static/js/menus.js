// The top bar's menus are <details> and work without this file. With it, a menu closes the
// way a menu is expected to: on Escape (focus goes back to its button) and on a click outside.
(function () {
  "use strict";
  var MENUS = "header.topbar details";

  function openMenus() {
    return Array.prototype.slice.call(document.querySelectorAll(MENUS + "[open]"));
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    // The innermost open menu around the focus closes first; with focus elsewhere, all do.
    var inside = event.target.closest && event.target.closest(MENUS + "[open]");
    if (inside) {
      inside.open = false;
      inside.querySelector("summary").focus();
      return;
    }
    openMenus().forEach(function (menu) { menu.open = false; });
  });

  document.addEventListener("click", function (event) {
    openMenus().forEach(function (menu) {
      if (!menu.contains(event.target)) menu.open = false;
    });
  });
})();

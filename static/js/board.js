// The board, enhanced: it opens scrolled to now, empty slots form one keyboard grid (Tab
// enters it, arrow keys move, Enter books), and dragging across slots proposes that range.
// Without this file every slot is still a link proposing its own time.
(function () {
  "use strict";
  var board = document.querySelector(".board");
  if (!board) return;

  // Open at the current time: the now line a quarter of the way in, past the sticky column.
  var now = board.getAttribute("data-now");
  if (now !== null) {
    var line = board.querySelector(".now");
    var head = board.querySelector(".ac-col");
    if (line && head) {
      var x = line.getBoundingClientRect().left - board.getBoundingClientRect().left + board.scrollLeft - head.offsetWidth;
      board.scrollLeft = Math.max(0, x - (board.clientWidth - head.offsetWidth) / 4);
    }
  }

  var rows = Array.prototype.map.call(board.querySelectorAll(".board-row"), function (row) {
    return Array.prototype.slice.call(row.querySelectorAll("a.slot"));
  }).filter(function (slots) { return slots.length > 0; });
  if (!rows.length) return;

  function position(slot) {
    for (var r = 0; r < rows.length; r++) {
      var c = rows[r].indexOf(slot);
      if (c >= 0) return [r, c];
    }
    return null;
  }

  function nearest(slots, start) {
    // The slot of another row closest in time (rows miss the slots their bookings cover).
    var best = slots[0];
    for (var i = 0; i < slots.length; i++) {
      if (slots[i].dataset.start <= start) best = slots[i]; else break;
    }
    return best;
  }

  function focusSlot(slot) {
    var all = board.querySelectorAll("a.slot[tabindex='0']");
    for (var i = 0; i < all.length; i++) all[i].setAttribute("tabindex", "-1");
    slot.setAttribute("tabindex", "0");
    slot.focus();
  }

  // One tab stop for the whole grid: the slot at now if there is one, else the first.
  var first = rows[0][0];
  if (line) {
    var nowAt = line.getBoundingClientRect().left;
    rows[0].forEach(function (slot) { if (slot.getBoundingClientRect().left <= nowAt) first = slot; });
  }
  Array.prototype.forEach.call(board.querySelectorAll("a.slot"), function (s) { s.setAttribute("tabindex", "-1"); });
  first.setAttribute("tabindex", "0");

  board.addEventListener("keydown", function (event) {
    var at = position(event.target);
    if (!at) return;
    var r = at[0], c = at[1], target = null;
    if (event.key === "ArrowRight") target = rows[r][c + 1];
    else if (event.key === "ArrowLeft") target = rows[r][c - 1];
    else if (event.key === "Home") target = rows[r][0];
    else if (event.key === "End") target = rows[r][rows[r].length - 1];
    else if (event.key === "ArrowDown" && rows[r + 1]) target = nearest(rows[r + 1], event.target.dataset.start);
    else if (event.key === "ArrowUp" && rows[r - 1]) target = nearest(rows[r - 1], event.target.dataset.start);
    else return;
    event.preventDefault();
    if (target) focusSlot(target);
  });

  // Dragging across the free slots of one row proposes that range.
  var drag = null, dragged = false;
  function clear() {
    Array.prototype.forEach.call(board.querySelectorAll("a.slot.selecting"), function (s) { s.classList.remove("selecting"); });
  }
  function span(a, b) {
    var slots = rows[a[0]], lo = Math.min(a[1], b[1]), hi = Math.max(a[1], b[1]);
    for (var i = lo; i < hi; i++) {
      if (slots[i].dataset.end !== slots[i + 1].dataset.start) return null;  // a booking in between
    }
    return slots.slice(lo, hi + 1);
  }
  board.addEventListener("pointerdown", function (event) {
    var slot = event.target.closest("a.slot");
    // Touch keeps its swipe for scrolling the board; a tap is still the slot's link.
    if (!slot || event.button !== 0 || event.pointerType === "touch") return;
    drag = { from: position(slot), slots: [slot], moved: false };
    event.preventDefault();
  });
  board.addEventListener("pointermove", function (event) {
    if (!drag) return;
    var under = document.elementFromPoint(event.clientX, event.clientY);
    var slot = under && under.closest("a.slot");
    var at = slot && position(slot);
    if (!at || at[0] !== drag.from[0]) return;
    var slots = span(drag.from, at);
    if (!slots) return;
    drag.slots = slots;
    drag.moved = drag.moved || slots.length > 1;
    clear();
    slots.forEach(function (s) { s.classList.add("selecting"); });
  });
  document.addEventListener("pointerup", function () {
    if (!drag) return;
    var d = drag;
    drag = null;
    clear();
    if (!d.moved) return;  // a plain click: the link's own href
    dragged = true;
    var url = new URL(d.slots[0].href, window.location.href);
    url.searchParams.set("start", d.slots[0].dataset.start);
    url.searchParams.set("end", d.slots[d.slots.length - 1].dataset.end);
    window.location.href = url.toString();
  });
  document.addEventListener("pointercancel", function () { drag = null; clear(); });
  // The click that ends a drag must not also follow the first slot's link; later clicks do
  // (also after Back brings this page out of the browser's cache).
  board.addEventListener("click", function (event) {
    if (dragged) {
      event.preventDefault();
      dragged = false;
    }
  });
  window.addEventListener("pageshow", function () { dragged = false; drag = null; clear(); });
})();

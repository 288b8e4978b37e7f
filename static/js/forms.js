// Progressive enhancement for the dispatch forms; every form works without it.

// Walk-up dispatch: picking another aircraft refills Hobbs and tach out from that aircraft's
// last check-in (the options carry them, see dispatch.forms.AircraftMetersSelect).
(function () {
  var form = document.querySelector("form[data-walkup]");
  if (!form) return;
  var select = form.querySelector("select[name=aircraft]");
  if (!select) return;
  select.addEventListener("change", function () {
    var option = select.options[select.selectedIndex];
    if (!option || !option.dataset.hobbs) return;
    form.elements.hobbs_out.value = option.dataset.hobbs;
    form.elements.tach_out.value = option.dataset.tach;
  });
})();

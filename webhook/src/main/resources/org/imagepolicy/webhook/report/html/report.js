(function () {
  "use strict";
  var table = document.getElementById("violations");
  if (!table) { document.body.setAttribute("data-ready", "true"); return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var query = document.getElementById("q");
  var outcome = document.getElementById("outcome");
  var shown = document.getElementById("shown");
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var sortColumn = -1, ascending = true;

  function key(row, column) {
    var cell = row.cells[column];
    return cell.getAttribute("data-key") || cell.textContent;
  }

  function filter() {
    var text = query.value.toLowerCase(), wanted = outcome.value, count = 0;
    rows.forEach(function (row) {
      var visible = (!wanted || row.getAttribute("data-outcome") === wanted)
        && (!text || row.textContent.toLowerCase().indexOf(text) >= 0);
      row.hidden = !visible;
      if (visible) { count++; }
    });
    shown.textContent = String(count);
  }

  function sort(column, asc) {
    sortColumn = column;
    ascending = asc;
    rows.sort(function (a, b) {
      var order = key(a, column).localeCompare(key(b, column), undefined, { numeric: true, sensitivity: "base" });
      return asc ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    headers.forEach(function (th, i) {
      if (i === column) { th.setAttribute("aria-sort", asc ? "ascending" : "descending"); } else { th.removeAttribute("aria-sort"); }
    });
  }

  // The view lives in the address's fragment (#q=...&outcome=fail&sort=image&dir=desc) so it can be shared.
  function save() {
    var state = new URLSearchParams();
    if (query.value) { state.set("q", query.value); }
    if (outcome.value) { state.set("outcome", outcome.value); }
    if (sortColumn >= 0) { state.set("sort", headers[sortColumn].getAttribute("data-column")); state.set("dir", ascending ? "asc" : "desc"); }
    history.replaceState(null, "", "#" + state.toString());
  }

  function load() {
    var state = new URLSearchParams(location.hash.replace(/^#/, ""));
    query.value = state.get("q") || "";
    if (state.get("outcome")) { outcome.value = state.get("outcome"); }
    var column = headers.findIndex(function (th) { return th.getAttribute("data-column") === state.get("sort"); });
    if (column >= 0) { sort(column, state.get("dir") !== "desc"); }
    filter();
  }

  headers.forEach(function (th, i) {
    var button = th.querySelector("button");
    if (button) {
      button.addEventListener("click", function () { sort(i, sortColumn === i ? !ascending : true); save(); });
    }
  });
  query.addEventListener("input", function () { filter(); save(); });
  outcome.addEventListener("change", function () { filter(); save(); });
  load();
  document.body.setAttribute("data-ready", "true");
})();

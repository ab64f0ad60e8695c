(function () {
  /* Turns each [data-tabs] box into tabs. Without script every panel stays visible. */
  document.documentElement.classList.add("js");
  var boxes = document.querySelectorAll("[data-tabs]");
  Array.prototype.forEach.call(boxes, function (box) {
    var panels = Array.prototype.filter.call(box.children, function (el) {
      return el.classList.contains("tab-panel");
    });
    if (panels.length < 2) { return; }
    var bar = document.createElement("div");
    bar.className = "tab-bar";
    bar.setAttribute("role", "tablist");
    var buttons = panels.map(function (panel, i) {
      var b = document.createElement("button");
      b.type = "button";
      b.setAttribute("role", "tab");
      b.textContent = panel.getAttribute("data-label");
      b.addEventListener("click", function () { select(i); });
      bar.appendChild(b);
      return b;
    });
    function select(i) {
      panels.forEach(function (p, j) { p.hidden = i !== j; });
      buttons.forEach(function (b, j) { b.setAttribute("aria-selected", i === j ? "true" : "false"); });
    }
    box.insertBefore(bar, panels[0]);
    select(0);
  });
})();

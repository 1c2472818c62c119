// Progressive enhancement: every page works without JavaScript; this file only
// makes it quicker to use. Nothing here is inline (the CSP forbids it).

// Ticking a facet box applies it at once. Without JavaScript the "Áp dụng bộ
// lọc" button does the same.
document.addEventListener("change", function (event) {
  var box = event.target;
  if (box.matches && box.matches(".facet-form input[type=checkbox]")) {
    submitWithoutEmpty(box.form);
  }
});

// Empty fields (year_from=, date_to=) stay out of the URL. Without JavaScript
// the server redirects to the URL without them.
function submitWithoutEmpty(form) {
  Array.prototype.forEach.call(form.elements, function (field) {
    if (field.name && (field.type === "text" || field.type === "number" || field.type === "date" ||
                       field.type === "search" || field.type === "hidden") && !field.value.trim()) {
      field.disabled = true;
    }
  });
  form.submit();
}
document.addEventListener("submit", function (event) {
  if (event.target.matches(".facet-form")) {
    event.preventDefault();
    submitWithoutEmpty(event.target);
  }
});

// Filters on a phone: the "Bộ lọc (n)" button opens them in place (without
// JavaScript it links to #bo-loc, which style.css shows with :target).
document.addEventListener("click", function (event) {
  var button = event.target.closest(".filters-button, .filters-close");
  if (!button) return;
  var panel = document.getElementById("bo-loc");
  var toggle = document.querySelector(".filters-button");
  if (!panel || !toggle) return;
  event.preventDefault();
  var open = button === toggle ? !panel.classList.contains("open") : false;
  panel.classList.toggle("open", open);
  toggle.setAttribute("aria-expanded", String(open));
  if (open) {
    var first = panel.querySelector("input, a[href]:not(.filters-close)");
    if (first) first.focus();
  } else {
    toggle.focus();
  }
});

// Long facet lists: "Xem thêm" shows the rest in place when the page has them
// all (otherwise it loads the page listing them), and a box filters the list.
function fold(text) {
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
}
document.querySelectorAll(".facet .facet-filter").forEach(function (label) { label.hidden = false; });
document.addEventListener("click", function (event) {
  var more = event.target.closest(".facet-more[data-expand]");
  if (!more) return;
  event.preventDefault();
  var facet = document.getElementById(more.getAttribute("data-expand"));
  facet.querySelectorAll("li.facet-extra").forEach(function (li) { li.hidden = false; });
  more.hidden = true;
  var box = facet.querySelector("[data-facet-filter]");
  if (box) box.focus();
});
document.addEventListener("input", function (event) {
  var box = event.target;
  if (!box.matches("[data-facet-filter]")) return;
  var facet = document.getElementById(box.getAttribute("data-facet-filter"));
  var wanted = fold(box.value.trim());
  var expand = facet.querySelector(".facet-more[data-expand]");
  facet.querySelectorAll("li").forEach(function (li) {
    var label = li.querySelector("label").textContent;
    if (wanted) {
      li.hidden = fold(label).indexOf(wanted) < 0;
    } else {
      li.hidden = li.classList.contains("facet-extra") && expand !== null && !expand.hidden;
    }
  });
});

// "/" anywhere but in a text field puts the cursor in the search box.
document.addEventListener("keydown", function (event) {
  if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
  var target = event.target;
  if (target.closest && target.closest("input, textarea, select, [contenteditable]")) return;
  var box = document.getElementById("q");
  if (!box) return;
  event.preventDefault();
  box.focus();
  box.select();
});

// Autocomplete: the WAI-ARIA combobox pattern (list autocomplete, focus stays in
// the box, aria-activedescendant names the option). Numbers and titles open
// their directive, an issuer filters by it; Enter without a chosen option
// searches as usual. Without JavaScript the box is a plain search field.
(function () {
  var input = document.getElementById("q");
  var endpoint = input && input.getAttribute("data-suggest");
  if (!endpoint || !window.fetch) return;
  var KINDS = {number: "Số hiệu", issuer: "Cơ quan", title: "Trích yếu"};
  var wrap = document.createElement("div");
  wrap.className = "suggest";
  input.parentNode.insertBefore(wrap, input);
  wrap.appendChild(input);
  var list = document.createElement("ul");
  list.id = "q-suggestions";
  list.className = "suggest-list";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "Gợi ý tìm kiếm");
  list.hidden = true;
  wrap.appendChild(list);
  var status = document.createElement("div");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  wrap.appendChild(status);
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("aria-expanded", "false");

  var items = [], active = -1, asked = 0, timer = null;

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }
  function choose(i) {
    active = i;
    Array.prototype.forEach.call(list.children, function (li, j) {
      li.setAttribute("aria-selected", String(j === i));
      li.classList.toggle("active", j === i);
    });
    if (i < 0) {
      input.removeAttribute("aria-activedescendant");
    } else {
      input.setAttribute("aria-activedescendant", list.children[i].id);
      list.children[i].scrollIntoView({block: "nearest"});
    }
  }
  function go(i) {
    if (items[i]) window.location.href = items[i].url;
  }
  function show(found) {
    items = found;
    list.textContent = "";
    found.forEach(function (s, i) {
      var li = document.createElement("li");
      li.id = "q-suggestion-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.className = "suggestion suggestion-" + s.type;
      var kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = KINDS[s.type] || "";
      var label = document.createElement("span");
      label.className = "label";
      label.textContent = s.label;
      var detail = document.createElement("span");
      detail.className = "detail";
      detail.textContent = s.detail;
      li.appendChild(kind);
      li.appendChild(label);
      li.appendChild(detail);
      li.addEventListener("mousedown", function (event) { event.preventDefault(); });
      li.addEventListener("click", function () { go(i); });
      list.appendChild(li);
    });
    active = -1;
    input.removeAttribute("aria-activedescendant");
    if (found.length) {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      status.textContent = found.length + " gợi ý; dùng phím mũi tên để chọn.";
    } else {
      close();
      status.textContent = "";
    }
  }
  function ask() {
    var typed = input.value.trim();
    var ticket = ++asked;
    if (!typed) { show([]); return; }
    fetch(endpoint + "?" + new URLSearchParams({q: typed}).toString(), {headers: {Accept: "application/json"}})
      .then(function (response) { return response.ok ? response.json() : {suggestions: []}; })
      .then(function (body) { if (ticket === asked) show(body.suggestions || []); })
      .catch(function () { if (ticket === asked) show([]); });
  }
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(ask, 60);
  });
  input.addEventListener("keydown", function (event) {
    var open = !list.hidden && items.length;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!open) { if (input.value.trim()) ask(); return; }
      event.preventDefault();
      var step = event.key === "ArrowDown" ? 1 : -1;
      var next = active + step;
      if (next >= items.length) next = 0;
      if (next < -1 || (next === -1 && step === 1)) next = items.length - 1;
      choose(next);
    } else if (event.key === "Enter" && open && active >= 0) {
      event.preventDefault();
      go(active);
    } else if (event.key === "Escape" && !list.hidden) {
      event.preventDefault();
      close();
    } else if (event.key === "Tab") {
      close();
    }
  });
  input.addEventListener("blur", function () { setTimeout(close, 150); });
})();

// "Sao chép liên kết": beside the directive's title and every section heading,
// a button copying the link to it (the page itself, or the section's anchor;
// never the search that led here). Without JavaScript the "§" links are there.
(function () {
  var article = document.querySelector("article.directive");
  if (!article) return;
  var status = document.createElement("div");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  article.appendChild(status);
  var page = location.origin + location.pathname;

  function copied(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    // Plain-http intranets have no Clipboard API: the older way still works there.
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "visually-hidden";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }
  function button(url, what) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "copy-link";
    b.textContent = "Sao chép liên kết";
    b.setAttribute("data-url", url);
    b.setAttribute("aria-label", "Sao chép liên kết tới " + what);
    b.addEventListener("click", function () {
      copied(url).then(function () {
        b.textContent = "Đã sao chép";
        status.textContent = "Đã sao chép liên kết tới " + what;
      }, function () {
        b.textContent = "Không sao chép được";
        status.textContent = "Không sao chép được; liên kết: " + url;
      }).then(function () {
        setTimeout(function () { b.textContent = "Sao chép liên kết"; }, 2500);
      });
    });
    return b;
  }
  var title = article.querySelector("h1");
  if (title) title.insertAdjacentElement("afterend", button(page, "văn bản này"));
  article.querySelectorAll(".doc-section").forEach(function (section) {
    var heading = section.querySelector(":scope > h3, :scope > h4, :scope > h5, :scope > h6");
    if (!heading) return;
    var name = heading.textContent.replace("§", "").replace(/\s+/g, " ").trim();
    heading.appendChild(button(page + "#" + section.id, "mục " + name));
  });
})();

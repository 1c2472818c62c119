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

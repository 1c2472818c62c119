// Progressive enhancement: ticking a facet box applies it at once. Without
// JavaScript the "Áp dụng bộ lọc" button does the same.
document.addEventListener("change", function (event) {
  var box = event.target;
  if (box.matches && box.matches(".facet-form input[type=checkbox]")) {
    box.form.submit();
  }
});

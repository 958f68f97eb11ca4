// The application form (apply/): fills in what the link that led here carries after "#" (the
// agency, the information's name, 文号 and 索引号; a fragment never reaches any server), and prints.
(() => {
  const form = document.getElementById("gk-apply-form");
  if (!form) return;
  const given = new URLSearchParams(window.location.hash.slice(1));
  for (const name of ["agency", "title", "doc_no", "index_no"]) {
    const value = given.get(name);
    const field = form.elements.namedItem(name);
    if (value && field) field.value = value;
  }
  form.addEventListener("submit", (event) => event.preventDefault());
  document.getElementById("gk-apply-print").addEventListener("click", () => window.print());
})();

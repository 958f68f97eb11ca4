// The header's controls, loaded with defer on every page (generator/portal/theme/partials/header.html).
//
// The navigation drawer (phones and narrow windows) from the keyboard: the theme's menu label
// becomes a button that says whether the drawer is open, Escape closes it, and a closed
// drawer's links are inert, so Tab does not wander into them off screen.
(() => {
  // A record page's drawer lists the sections its tabs show (partials/gk-drawer.html): copied
  // from the tabs here, rather than written out twice in each of the portal's record pages.
  for (const list of document.querySelectorAll('[data-gk-nav="tabs"]')) {
    for (const tab of document.querySelectorAll(".md-tabs__link")) {
      const item = document.createElement("li");
      const link = document.createElement("a");
      item.className = "md-nav__item";
      link.className = "md-nav__link";
      link.href = tab.getAttribute("href");
      link.textContent = tab.textContent.trim();
      item.append(link);
      list.append(item);
    }
  }
  const toggle = document.getElementById("__drawer");
  const label = document.querySelector('label.md-header__button[for="__drawer"]');
  const drawer = document.querySelector(".md-sidebar--primary");
  if (!toggle || !label || !drawer) return;
  const narrow = window.matchMedia("(max-width: 76.1875em)");
  const button = document.createElement("button");
  button.type = "button";
  button.className = `${label.className} gk-drawer-button`;
  button.innerHTML = label.innerHTML;
  button.setAttribute("aria-label", label.title);
  button.setAttribute("aria-controls", "gk-drawer");
  drawer.id = drawer.id || "gk-drawer";
  label.replaceWith(button);
  const sync = () => {
    button.setAttribute("aria-expanded", String(toggle.checked));
    drawer.inert = narrow.matches && !toggle.checked;
  };
  const set = (open) => {
    toggle.checked = open;
    toggle.dispatchEvent(new Event("change"));
    sync();
  };
  button.addEventListener("click", () => {
    set(!toggle.checked);
    if (toggle.checked) drawer.querySelector("a, button, input, label[tabindex]")?.focus();
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && toggle.checked) {
      set(false);
      button.focus();
    }
  });
  toggle.addEventListener("change", sync);
  narrow.addEventListener("change", sync);
  sync();
})();
(() => {
  const button = document.getElementById("gk-elder-toggle");
  if (!button) return;
  const root = document.documentElement;
  const show = () => button.setAttribute("aria-pressed", String(root.classList.contains("gk-elder")));
  button.hidden = false;
  show();
  button.addEventListener("click", () => {
    const on = root.classList.toggle("gk-elder");
    try {
      localStorage.setItem("gongkai-elder", on ? "1" : "0");
    } catch (e) {
      // storage refused (private mode): the mode holds for this page only
    }
    show();
  });
})();

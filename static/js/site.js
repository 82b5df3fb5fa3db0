// Progressive enhancement only: every page works without this file.
// The mobile menu is a <details> element; this adds Escape and click-outside to close it,
// and opens it on wide screens in browsers that cannot style ::details-content.
(() => {
  const menu = document.querySelector("[data-site-menu]");
  if (!menu) return;
  const toggle = menu.querySelector("summary");
  const wide = window.matchMedia("(min-width: 60em)");
  const canStyleContent = CSS.supports("selector(::details-content)");

  const fitToScreen = () => {
    if (!canStyleContent) menu.open = wide.matches;
  };
  fitToScreen();
  wide.addEventListener("change", fitToScreen);

  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && menu.open && !wide.matches) {
      menu.open = false;
      toggle.focus();
    }
  });
  document.addEventListener("click", (event) => {
    if (menu.open && !wide.matches && !menu.contains(event.target)) menu.open = false;
  });
})();

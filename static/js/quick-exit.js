// Quick exit on sensitive pages: the button, or Escape pressed twice within a second, replaces
// this page with a neutral website. location.replace() swaps the current history entry, so
// Back does not return here. Without this file the button is an ordinary link.
(() => {
  const exit = document.querySelector("[data-quick-exit]");
  if (!exit) return;
  const neutralUrl = exit.dataset.neutralUrl;
  const link = exit.querySelector("[data-quick-exit-link]");
  const hint = exit.querySelector("[data-quick-exit-hint]");
  const DOUBLE_PRESS_MS = 1000;
  let lastEscape = 0;

  const leave = (event) => {
    if (event) event.preventDefault();
    document.body.hidden = true; // hide the page at once, before the next one loads
    document.title = "";
    window.location.replace(neutralUrl);
  };

  if (hint) hint.hidden = false;
  link.addEventListener("click", leave);
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || event.repeat) return;
    const now = Date.now();
    if (now - lastEscape < DOUBLE_PRESS_MS) {
      leave(event);
    } else {
      lastEscape = now;
    }
  });
})();

// Loads the wasm app. Kept as a file (not inline) so the page's CSP can forbid inline scripts.
// The splash in index.html shows while the wasm downloads; it goes once the app has mounted,
// or says plainly that loading failed.
import init from "/frontend.js";
const splash = document.getElementById("splash");
init({ module_or_path: "/frontend_bg.wasm" })
  .then(() => splash && splash.remove())
  .catch(() => splash && splash.classList.add("failed"));

// Loads the wasm app. Kept as a file (not inline) so the page's CSP can forbid inline scripts.
// The splash in index.html shows while the wasm downloads; it goes once the app has mounted,
// or says plainly that loading failed.
// Once the app runs, the service worker (sw.js) is registered so that the portal opens again
// without a network. It never holds up the app: it starts after the app, and any failure of
// it is ignored (the portal then simply needs the network, as before).
import init from "/frontend.js";
const splash = document.getElementById("splash");

function registerServiceWorker() {
  try {
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.register("/sw.js").catch(() => {});
    }
  } catch (_) {
    // Private windows and old browsers may refuse service workers.
  }
}

init({ module_or_path: "/frontend_bg.wasm" })
  .then(() => {
    if (splash) splash.remove();
    registerServiceWorker();
  })
  .catch(() => splash && splash.classList.add("failed"));

// Loads the wasm app. Kept as a file (not inline) so the page's CSP can forbid inline scripts.
// The splash in index.html shows while the wasm downloads; it goes once the app has mounted,
// or says plainly that loading failed.
//
// Three builds of the same app (issue 15, `src/bundle.rs`): "light" holds sign-in and a caring
// mother's home page, "volunteer" also her other screens, "full" every screen. A phone fetches
// only what the address needs: staff roles always get the full one (the app remembers it in
// "shouwang.bundle"), and a page that meets a screen it lacks asks for the bundle that has it
// for that address ("shouwang.bundle-for") and reloads.
// The build writes the content-hashed file names below; those files are cached for a year, this
// one and index.html are revalidated on every visit.
//
// Once the app runs, the service worker (sw.js) is registered so that the portal opens again
// without a network, and is told which files this bundle is made of. It never holds up the app:
// any failure of it is ignored (the portal then simply needs the network, as before).
const BUNDLES = {
  light: { js: "/__LIGHT_JS__", wasm: "/__LIGHT_BG_WASM__" },
  volunteer: { js: "/__VOLUNTEER_JS__", wasm: "/__VOLUNTEER_BG_WASM__" },
  full: { js: "/__FULL_JS__", wasm: "/__FULL_BG_WASM__" },
};
// The addresses each smaller bundle serves (everything else is in the full one).
const LIGHT_PATHS = /^\/(?:login)?\/?$/;
const VOLUNTEER_PATHS =
  /^\/(?:register|account|hours|events(?:\/(?!new$)[^/]+)?|my\/(?:events|child))\/?$/;
const splash = document.getElementById("splash");

function remembered(storage, key) {
  try {
    return window[storage].getItem(key);
  } catch (_) {
    return null; // storage refused (private window): the light bundle, then the address decides
  }
}

// A request for a bundle counts once, for the address it was made for: kept, it could send a
// later person (or a reload) to a bundle that no longer suits them.
function takeRequest() {
  const asked = remembered("sessionStorage", "shouwang.bundle-for");
  try {
    window.sessionStorage.removeItem("shouwang.bundle-for");
  } catch (_) {
    // nothing kept, nothing to remove
  }
  return (asked || "").split(" ");
}

function chooseBundle() {
  const path = location.pathname;
  const asked = takeRequest();
  if (remembered("localStorage", "shouwang.bundle") === "full") return "full";
  if (asked.length === 2 && asked[1] === path && BUNDLES[asked[0]]) return asked[0];
  if (LIGHT_PATHS.test(path)) return "light";
  if (VOLUNTEER_PATHS.test(path)) return "volunteer";
  return "full";
}

function registerServiceWorker(files) {
  try {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.register("/sw.js").catch(() => {});
    navigator.serviceWorker.ready
      .then((registration) => {
        if (registration.active) registration.active.postMessage({ keep: files });
      })
      .catch(() => {});
  } catch (_) {
    // Private windows and old browsers may refuse service workers.
  }
}

const name = chooseBundle();
const bundle = BUNDLES[name];
document.documentElement.dataset.bundle = name;
import(bundle.js)
  .then((module) => module.default({ module_or_path: bundle.wasm }))
  .then(() => {
    if (splash) splash.remove();
    registerServiceWorker([bundle.js, bundle.wasm, "/__STYLE_CSS__"]);
  })
  .catch(() => splash && splash.classList.add("failed"));

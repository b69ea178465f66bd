// The service worker: keeps the app shell on the phone, so that after one sign-in online the
// portal opens in a village without a network (issue 12).
//
// - The app's code and style have content-hashed names (issue 15): such a file never changes, so
//   it is served from the cache first and fetched only once. The page tells the worker which
//   ones it runs on (a light or a full bundle) and those are kept; older ones of the same kind
//   are dropped.
// - The other shell files (index.html, boot.js, the manifest, icons) keep their names, so they
//   are network-first: a new build is used as soon as the network answers, and the cached copy
//   only when it does not.
// - /api/* is never touched: no answer from the server is cached here. The app keeps the little
//   it needs offline (the visit list, drafts) itself, and clears it on sign-out.
// - A page address (/visits, /children/…) is the single-page app: offline it gets the cached
//   index.html.
// Change the version to drop every copy kept by an older worker.
const CACHE = "shouwang-shell-v2";
const SHELL = [
  "/",
  "/index.html",
  "/__STYLE_CSS__",
  "/boot.js",
  "/manifest.webmanifest",
  "/icon-192.png",
  "/icon.svg",
];
// light-0123456789abcdef.js, volunteer-…, full-…_bg.wasm, style-….css: written by the build.
const HASHED = /^\/(light|volunteer|full|style)-[0-9a-f]{16}(_bg\.wasm|\.js|\.css)$/;
// On a weak signal a page address waits this long for the network before the cached shell is
// shown (the network answer, when it comes, still refreshes the cache).
const NAVIGATION_WAIT_MS = 6000;

self.addEventListener("install", (event) => {
  // The page has just loaded these files, so they mostly come from the browser's HTTP cache.
  // One file failing (a missing icon) must not stop the worker from installing.
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) =>
        Promise.all(
          SHELL.map((path) =>
            fetch(path, { credentials: "same-origin" })
              .then((response) => (isCacheable(response) ? cache.put(path, response) : undefined))
              .catch(() => undefined),
          ),
        ),
      )
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            .filter((name) => name.startsWith("shouwang-") && name !== CACHE)
            .map((name) => caches.delete(name)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") {
    return;
  }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  // The API (also a download opened as a page, such as an export) goes to the network as is.
  if (url.pathname === "/api" || url.pathname.startsWith("/api/")) {
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(navigation(event));
    return;
  }
  if (HASHED.test(url.pathname)) {
    event.respondWith(hashedFile(request, url.pathname));
    return;
  }
  if (SHELL.includes(url.pathname)) {
    event.respondWith(shellFile(request, url.pathname));
  }
});

// The page names the hashed files it runs on: keep them (mostly from the browser's HTTP cache,
// as the page has just loaded them), and drop older files of the same kind.
self.addEventListener("message", (event) => {
  const files = event.data && Array.isArray(event.data.keep) ? event.data.keep : [];
  const wanted = files.filter((path) => typeof path === "string" && HASHED.test(path));
  if (wanted.length === 0) {
    return;
  }
  const kind = (path) => path.replace(/-[0-9a-f]{16}/, "");
  event.waitUntil(
    caches.open(CACHE).then(async (cache) => {
      for (const request of await cache.keys()) {
        const path = new URL(request.url).pathname;
        if (HASHED.test(path) && !wanted.includes(path) && wanted.some((w) => kind(w) === kind(path))) {
          await cache.delete(request);
        }
      }
      await Promise.all(
        wanted.map(async (path) => {
          if (!(await cache.match(path))) {
            const response = await fetch(path, { credentials: "same-origin" }).catch(() => undefined);
            if (isCacheableCode(response)) {
              await cache.put(path, response);
            }
          }
        }),
      );
    }),
  );
});

// A content-hashed file never changes: the cached copy, else the network's (then kept).
async function hashedFile(request, path) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(path);
  if (cached) {
    return cached;
  }
  const response = await fetch(request);
  if (isCacheableCode(response)) {
    await cache.put(path, response.clone());
  }
  return response;
}

function isCacheable(response) {
  return Boolean(response) && response.ok && response.type === "basic" && !response.redirected;
}

// A hashed file is code or style, never a page: a missing one is answered with the app's
// index.html, which must not be kept under the file's name.
function isCacheableCode(response) {
  return isCacheable(response) && !isHtml(response);
}

function isHtml(response) {
  const type = response.headers.get("content-type") || "";
  return type.includes("text/html");
}

// Network first; the cached copy when the network fails. A good answer refreshes the cache.
async function shellFile(request, path) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (isCacheable(response)) {
      await cache.put(path, response.clone());
    }
    return response;
  } catch (failure) {
    const cached = await cache.match(path);
    if (cached) {
      return cached;
    }
    throw failure;
  }
}

// A page address: the network's index.html, or the cached one when the network fails, is too
// slow, or the server is down (5xx) — when a cached copy exists.
async function navigation(event) {
  const request = event.request;
  const cache = await caches.open(CACHE);
  const fromNetwork = fetch(request).then(async (response) => {
    if (isCacheable(response) && isHtml(response)) {
      await cache.put("/index.html", response.clone());
    }
    return response;
  });
  // Keeps the worker alive until the network has answered, even when the cached copy was shown.
  try {
    event.waitUntil(fromNetwork.catch(() => undefined));
  } catch (_) {
    // The browser no longer takes extensions for this event: nothing is lost but the refresh.
  }
  const cachedShell = async () =>
    (await cache.match("/index.html")) || (await cache.match("/"));
  let timer;
  const slow = new Promise((resolve) => {
    timer = setTimeout(resolve, NAVIGATION_WAIT_MS, "slow");
  });
  try {
    const first = await Promise.race([fromNetwork, slow]);
    if (first === "slow") {
      return (await cachedShell()) || (await fromNetwork);
    }
    if (first.status >= 500) {
      return (await cachedShell()) || first;
    }
    return first;
  } catch (failure) {
    const cached = await cachedShell();
    if (cached) {
      return cached;
    }
    throw failure;
  } finally {
    clearTimeout(timer);
  }
}

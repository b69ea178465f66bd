// Loads the wasm app. Kept as a file (not inline) so the page's CSP can forbid inline scripts.
import init from "/frontend.js";
init({ module_or_path: "/frontend_bg.wasm" });

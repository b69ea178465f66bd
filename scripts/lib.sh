# Shared by scripts/run and scripts/test: install what is missing (idempotent, quick when all is
# present) and build the frontend. Source it; do not run it.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
TOOLS="$ROOT/.tools"
export PATH="$HOME/.cargo/bin:$TOOLS/node_modules/.bin:$PATH"
# Tool versions are pinned: wasm-bindgen's CLI must equal the library in Cargo.lock.
BINARYEN_VERSION="132.0.0"

log() { printf '\033[1;32m==>\033[0m %s\n' "$*" >&2; }

lock_version() {
  awk -v name="$1" '$0 == "name = \"" name "\"" { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

ensure_wasm_target() {
  if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    log "adding the wasm32 target"
    rustup target add wasm32-unknown-unknown
  fi
}

ensure_wasm_bindgen() {
  local want; want="$(lock_version wasm-bindgen)"
  if [[ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$want" ]]; then
    log "installing wasm-bindgen-cli $want (matches Cargo.lock)"
    cargo install -q wasm-bindgen-cli --version "=$want" --force
  fi
}

# wasm-opt from the npm package: Debian's binaryen is too old and breaks wasm-bindgen output.
ensure_wasm_opt() {
  if [[ ! -x "$TOOLS/node_modules/.bin/wasm-opt" ]] || \
     [[ "$(cat "$TOOLS/.binaryen-version" 2>/dev/null)" != "$BINARYEN_VERSION" ]]; then
    log "installing binaryen $BINARYEN_VERSION (wasm-opt) from npm"
    mkdir -p "$TOOLS"
    npm install --silent --no-audit --no-fund --prefix "$TOOLS" "binaryen@$BINARYEN_VERSION" >/dev/null
    echo "$BINARYEN_VERSION" > "$TOOLS/.binaryen-version"
  fi
}

ensure_debian_packages() {
  local missing=()
  for pair in "$@"; do
    local command="${pair%%:*}" package="${pair##*:}"
    command -v "$command" >/dev/null 2>&1 || missing+=("$package")
  done
  if (( ${#missing[@]} )); then
    log "installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

# Chinese glyphs for headless Chromium: the browser tests measure text as a phone shows it, and
# screenshots should show characters, not empty boxes.
ensure_cjk_font() {
  if ! fc-list :lang=zh 2>/dev/null | grep -q .; then
    log "installing a Chinese font for the browser (fonts-noto-cjk)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk fontconfig >/dev/null
  fi
}

# The infrastructure templates' linters, pinned. checkov lives in a virtualenv of its own: it pins
# libraries (networkx, pydantic, boto3 …) to versions that cfn-lint and schemathesis, installed
# beside each other, do not want.
CFN_LINT_VERSION="1.58.0"
CHECKOV_VERSION="3.3.30"
CHECKOV_VENV="$TOOLS/checkov"

ensure_infra_linters() {
  if [[ "$(cfn-lint --version 2>/dev/null | awk '{print $2}')" != "$CFN_LINT_VERSION" ]]; then
    log "installing cfn-lint $CFN_LINT_VERSION"
    python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore "cfn-lint==$CFN_LINT_VERSION"
  fi
  if [[ "$("$CHECKOV_VENV/bin/checkov" --version 2>/dev/null)" != "$CHECKOV_VERSION" ]]; then
    log "installing checkov $CHECKOV_VERSION (in .tools/checkov)"
    rm -rf "$CHECKOV_VENV"
    if ! python3 -m venv "$CHECKOV_VENV" >/dev/null 2>&1; then
      log "installing Debian's python3-venv"
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
      rm -rf "$CHECKOV_VENV"
      python3 -m venv "$CHECKOV_VENV"
    fi
    "$CHECKOV_VENV/bin/python" -m pip install -q --disable-pip-version-check "checkov==$CHECKOV_VERSION"
  fi
}

# cfn-lint for a global and a China region, checkov offline (no API key, nothing downloaded,
# every skip written in the template with its reason), and infra/waf.yaml's web ACL still the
# template's.
check_infra() {
  cfn-lint --regions us-east-1 cn-north-1 -- "$ROOT/infra/template.yaml"
  cfn-lint --regions us-east-1 -- "$ROOT/infra/waf.yaml"
  CKV_SKIP_PACKAGE_UPDATE_CHECK=true "$CHECKOV_VENV/bin/checkov" --quiet --compact --skip-download \
    --framework cloudformation -f "$ROOT/infra/template.yaml" -f "$ROOT/infra/waf.yaml"
  local web_acl='/^  WebAcl:$/ { on = 1; next } on && /^(  )?[A-Za-z]/ { exit }
                 on && NF && !/^ *#/ && !/^    Condition:/'
  if ! diff <(awk "$web_acl" "$ROOT/infra/template.yaml") <(awk "$web_acl" "$ROOT/infra/waf.yaml") >&2; then
    echo "infra/waf.yaml's WebAcl differs from infra/template.yaml's: keep the two in step" >&2
    return 1
  fi
}

# Builds the frontend into $ROOT/dist: cargo → wasm-bindgen → (optionally) wasm-opt, plus the
# static files and precompressed copies the server hands out.
build_frontend() {
  local optimise="${1:-optimise}"
  ensure_wasm_target
  ensure_wasm_bindgen
  local out="$ROOT/dist" wasm_dir="$CARGO_TARGET_DIR/wasm32-unknown-unknown/wasm-release"
  rm -rf "$out.tmp" && mkdir -p "$out.tmp"
  # Three builds of one app (issue 15, frontend/src/bundle.rs): "full" with every screen,
  # "volunteer" with a caring mother's screens, "light" with sign-in and her home page. Cargo
  # keeps each feature set's build apart, so building one does not undo another.
  local bundle features
  for bundle in full volunteer light; do
    case "$bundle" in
      full) features=() ;;
      volunteer) features=(--no-default-features --features volunteer) ;;
      light) features=(--no-default-features) ;;
    esac
    log "building the frontend (wasm, $bundle bundle)"
    cargo build -q -p frontend --target wasm32-unknown-unknown --profile wasm-release "${features[@]}"
    wasm-bindgen --target web --no-typescript --out-dir "$out.tmp" --out-name "$bundle" \
      "$wasm_dir/frontend.wasm"
    if [[ "$optimise" == optimise ]]; then
      ensure_wasm_opt
      wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
        --enable-mutable-globals --enable-reference-types --enable-multivalue \
        "$out.tmp/${bundle}_bg.wasm" -o "$out.tmp/${bundle}_bg.wasm"
    fi
  done
  cp "$ROOT"/frontend/static/* "$out.tmp/"
  # Content-hashed names: those files are cached for a year (the server says `immutable`);
  # index.html, boot.js and sw.js keep their names and are revalidated, and name the others.
  local file hashed substitutions=()
  for file in full.js full_bg.wasm volunteer.js volunteer_bg.wasm light.js light_bg.wasm style.css; do
    local stem="${file%%[._]*}" rest="${file#*[._]}"
    local sep="${file:${#stem}:1}"
    hashed="$stem-$(sha256sum "$out.tmp/$file" | cut -c1-16)$sep$rest"
    mv "$out.tmp/$file" "$out.tmp/$hashed"
    substitutions+=(-e "s#__$(echo "$file" | tr 'a-z._' 'A-Z__')__#$hashed#g")
  done
  sed -i "${substitutions[@]}" "$out.tmp/boot.js" "$out.tmp/sw.js" "$out.tmp/index.html"
  if grep -q '__[A-Z_]*__' "$out.tmp/boot.js" "$out.tmp/sw.js" "$out.tmp/index.html"; then
    echo "a content-hashed name was not filled in" >&2
    return 1
  fi
  for file in "$out.tmp"/*.{wasm,js,css,html}; do
    gzip -9 -k -f "$file"
  done
  rm -rf "$out" && mv "$out.tmp" "$out"
}

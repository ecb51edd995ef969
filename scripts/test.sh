#!/usr/bin/env bash
# The whole test suite (`make test`, and CI through .ci/run). Prints how long each stage took.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export MPLBACKEND=Agg PYTHONWARNINGS="ignore::DeprecationWarning" OMP_NUM_THREADS=2 MKL_NUM_THREADS=2
timings=()
stage() {
  local name=$1; shift
  local t0=$SECONDS
  echo "::: $name"
  "$@"
  timings+=("$(printf '%-28s %5d s' "$name" $((SECONDS - t0)))")
}

export_in_sync() {
  # nbdev_export must change nothing: the package is generated from the notebooks (case C16).
  local before; before=$(mktemp -d)
  cp -r oracle_nb "$before/"
  local log; log=$($BIN/nbdev_export 2>&1) || { echo "$log"; return 1; }
  if grep -qi "could not find" <<<"$log"; then echo "$log"; echo "nbdev_export warned: treat as error"; return 1; fi
  diff -r -x __pycache__ "$before/oracle_nb" oracle_nb || { echo "oracle_nb/ is out of sync with nbs/: run nbdev_export and commit"; return 1; }
  [ -z "$(git status --porcelain -- oracle_nb 2>/dev/null)" ] || [ -z "${CI:-}" ] || { git status --porcelain -- oracle_nb; echo "exported files differ from the commit"; return 1; }
}

notebooks_clean() {
  local before; before=$(mktemp -d)
  cp -r nbs "$before/"
  $BIN/nbdev_clean
  diff -r -x figs "$before/nbs" nbs >/dev/null || { diff -r -x figs "$before/nbs" nbs | head -20; echo "notebooks were not clean: nbdev_clean changed them"; return 1; }
}

stage "export in sync" export_in_sync
stage "notebooks clean" notebooks_clean
stage "nbdev_test" $BIN/nbdev_test --n_workers 2 --timing
stage "pytest" $BIN/pytest tests -m "not slow" -p no:cacheprovider
reports_on_real_data() {
  # oracle_report in quick mode on every real export in ../shared/data, two at a time (2 cores); any failure fails.
  local pids=() names=() rc=0
  for f in ../shared/data/*/*.csv; do
    local name; name=$(basename "$(dirname "$f")")
    mkdir -p "reports/ci-$name"
    $BIN/oracle_report --quick --data "$f" --out "reports/ci-$name" >"reports/ci-$name/log.txt" 2>&1 &
    pids+=($!); names+=("$name")
  done
  for i in "${!pids[@]}"; do
    if wait "${pids[$i]}"; then echo "report ${names[$i]}: ok"; else rc=1; echo "report ${names[$i]}: FAILED"; fi
    grep -v -E "IPKernelApp|^\s*$" "reports/ci-${names[$i]}/log.txt" | tail -n 25
  done
  return $rc
}
if compgen -G "../shared/data/*/*.csv" >/dev/null; then stage "reports on real data" reports_on_real_data; fi
echo "::: stage timings"; printf '%s\n' "${timings[@]}"

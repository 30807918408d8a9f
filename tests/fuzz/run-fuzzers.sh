#!/usr/bin/env bash
# Builds the fuzz targets with clang as libFuzzer binaries under ASan and UBSan and
# runs each for a while, starting from the seed corpus.
#
#   tests/fuzz/run-fuzzers.sh [SECONDS_PER_TARGET] [BUILD_DIR]     (defaults: 600, build-fuzz)
#
# What a target finds is added to BUILD_DIR/fuzz-corpus/TARGET; an input that breaks an
# invariant or trips a sanitizer is saved as BUILD_DIR/fuzz-artifacts/TARGET-crash-*.
# Replay one with: BUILD_DIR/tests/fuzz/TARGET FILE. Exits 1 when a target failed.
set -euo pipefail

seconds=${1:-600}
source_dir=$(cd "$(dirname "$0")/../.." && pwd)
build_dir=${2:-$source_dir/build-fuzz}
targets=(fuzz_requestparser fuzz_connection fuzz_flatjson)

CC=${CC:-clang} CXX=${CXX:-clang++} cmake -S "$source_dir" -B "$build_dir" -G Ninja \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHOOKSCOPE_FUZZ=ON >/dev/null
cmake --build "$build_dir" --target "${targets[@]}" -j2

mkdir -p "$build_dir/fuzz-artifacts"
status=0
for target in "${targets[@]}"; do
    corpus="$build_dir/fuzz-corpus/$target"
    log="$build_dir/fuzz-artifacts/$target.log"
    mkdir -p "$corpus"
    seeds=parser dict=http.dict
    if [ "$target" = fuzz_flatjson ]; then seeds=json dict=json.dict; fi
    echo "== $target for ${seconds}s (log: $log)"
    if "$build_dir/tests/fuzz/$target" -max_total_time="$seconds" -max_len=16384 -timeout=10 -rss_limit_mb=1024 \
        -print_final_stats=1 -dict="$source_dir/tests/fuzz/$dict" \
        -artifact_prefix="$build_dir/fuzz-artifacts/$target-" \
        "$corpus" "$source_dir/tests/fuzz/corpus/$seeds" >"$log" 2>&1; then
        result=passed
    else
        result=FAILED
        status=1
    fi
    executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
    coverage=$(grep -o 'cov: [0-9]*' "$log" | tail -1 || true)
    echo "$target: $result, ${executions:-?} executions in ${seconds}s, ${rate:-?} exec/s, ${coverage:-cov: ?}," \
        "corpus $(ls "$corpus" | wc -l) inputs"
    if [ "$result" = FAILED ]; then
        tail -40 "$log"
    fi
done
exit $status

#!/bin/sh
# run.sh runs tracegen's span benchmarks next to its peers' in one go test
# process, then prints benchstat's tables (medians with confidence
# intervals) and the ratio of tracegen's median time to each other column's.
#
# Usage: ./run.sh [raw-output-file]
#
# COUNT (default 10) and BENCHTIME (default 1s) are passed to go test. With
# -count, go test runs every sub-benchmark once per round, so the
# implementations are interleaved and share the machine's load. The raw
# results are kept in the file given, or in a temporary file, for
# benchstat comparisons across changes.
set -eu
cd "$(dirname "$0")"

count=${COUNT:-10}
benchtime=${BENCHTIME:-1s}
raw=${1:-$(mktemp "${TMPDIR:-/tmp}/tracegen-bench.XXXXXX")}
benchstat="go run golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da"

go test -run '^$' -bench '^Benchmark(Noop|Mock)$' -benchmem \
	-count="$count" -benchtime="$benchtime" . >"$raw"
echo "raw results: $raw"

# ratios reads benchstat's CSV and prints, for each row of the first table
# (time per op), the first column's median divided by each other column's.
ratios() {
	awk -F, '
	!header && /^,/ { for (i = 2; i <= NF; i++) if ($i != "") col[++n] = i; for (j = 1; j <= n; j++) name[j] = $(col[j]); header = 1; next }
	header == 1 && $2 == "sec/op" { next }
	header == 1 && $0 == "" { exit }
	header == 1 && $1 != "geomean" {
		line = sprintf("%-14s", "parent=" $1)
		for (j = 2; j <= n; j++) {
			base = $(col[1]); v = $(col[j])
			if (base != "" && v != "") line = line sprintf("  %s/%s = %.3f", name[1], name[j], base / v)
		}
		print line
	}'
}

for group in 'Noop /impl@(tracegen untraced opentracing otel)' 'Mock /impl@(tracegen opentracing)'; do
	name=${group%% *}
	cols=${group#* }
	echo
	echo "## Benchmark$name"
	$benchstat -filter ".name:$name" -col "$cols" -row /parent "$raw"
	echo
	echo "ratios of medians (time per op):"
	$benchstat -filter ".name:$name" -col "$cols" -row /parent -format csv "$raw" 2>/dev/null | ratios
done

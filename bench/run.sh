#!/bin/sh
# run.sh runs tracegen's span benchmarks next to its peers', then prints
# benchstat's tables (medians with confidence intervals) and the ratio of
# tracegen's median time to each peer's.
#
# Usage: ./run.sh [raw-output-file]
#
# COUNT (default 10) and BENCHTIME (default 1s). The test binary is built
# once and run COUNT times, each run measuring every sub-benchmark once, so
# the implementations are interleaved round by round and share the
# machine's changing load (go test -count=N would run each sub-benchmark N
# times in a row). The raw results are kept in the file given, or in a
# temporary file, for benchstat comparisons across changes.
set -eu
cd "$(dirname "$0")"

count=${COUNT:-10}
benchtime=${BENCHTIME:-1s}
raw=${1:-$(mktemp "${TMPDIR:-/tmp}/tracegen-bench.XXXXXX")}
benchstat="go run golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da"

bin=$(mktemp "${TMPDIR:-/tmp}/tracegen-bench-bin.XXXXXX")
trap 'rm -f "$bin"' EXIT
GOWORK=off go test -c -o "$bin" .
: >"$raw"
i=0
while [ "$i" -lt "$count" ]; do
	"$bin" -test.run '^$' -test.bench '^Benchmark(Noop|Mock|Tracer(Child|ChildTagsError|Unsampled|BatchDrops)|Propagation.*)$' \
		-test.benchmem -test.count=1 -test.benchtime="$benchtime" >>"$raw"
	i=$((i + 1))
done
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

# The recording tracer against its peers: medians of each sub-benchmark
# (time, allocations, and exported/started for BatchDrops), then the ratios
# the issue sets targets for.
echo
echo "## Recording tracer (medians)"
awk '
function median(list,    n, a, i, j, t) {
	n = split(list, a, " ")
	for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] + 0 > t + 0; j--) a[j + 1] = a[j]; a[j + 1] = t }
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
/^Benchmark(Tracer|Propagation)/ {
	name = $1; sub(/-[0-9]+$/, "", name)
	for (i = 3; i < NF; i++) {
		if ($(i + 1) == "ns/op") ns[name] = ns[name] " " $i
		if ($(i + 1) == "allocs/op") al[name] = al[name] " " $i
		if ($(i + 1) == "exported/started") ex[name] = ex[name] " " $i
	}
	if (!(name in seen)) { seen[name] = 1; order[++n] = name }
}
END {
	for (k = 1; k <= n; k++) {
		name = order[k]; med[name] = median(ns[name])
		line = sprintf("%-50s %10.1f ns/op %6s allocs/op", name, med[name], median(al[name]))
		if (name in ex) line = line sprintf("  %.4f exported/started", median(ex[name]))
		print line
	}
	print ""
	print "ratios of medians (targets from the issue):"
	r("BenchmarkTracerChild/tracegen", "BenchmarkTracerChild/otelsdk", "sampled child vs OTel SDK (<= 0.333)")
	r("BenchmarkTracerChild/tracegen-keep", "BenchmarkTracerChild/otelsdk", "  the same, exporter keeping spans (no reuse)")
	r("BenchmarkTracerChildTagsError/tracegen", "BenchmarkTracerChildTagsError/otelsdk", "+2 tags +error vs OTel SDK (<= 0.2)")
	r("BenchmarkTracerChildTagsError/tracegen-keep", "BenchmarkTracerChildTagsError/otelsdk", "  the same, exporter keeping spans (no reuse)")
	r("BenchmarkTracerUnsampled/tracegen", "BenchmarkTracerUnsampled/noop-installed", "unsampled vs noop path (<= 2)")
	for (k = 1; k <= n; k++)
		if (order[k] ~ /^BenchmarkPropagation.*\/impl=tracegen(-tracer)?$/) {
			peer = order[k]; sub(/\/impl=tracegen(-tracer)?$/, "/impl=otel", peer)
			what = order[k]; sub(/^BenchmarkPropagation/, "", what)
			r(order[k], peer, "W3C inject+extract " what " vs OTel (<= 0.5)")
		}
}
function r(a, b, what) { if (med[a] > 0 && med[b] > 0) printf "  %-58s %.3f\n", what, med[a] / med[b] }
' "$raw"

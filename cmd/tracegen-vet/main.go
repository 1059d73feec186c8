// Command tracegen-vet is tracegen's check as a vet tool: it reports the
// functions whose tracing instrumentation is missing, stale or orphaned,
// directive errors, and calls that break the trace (see package analyzer),
// with fixes.
//
//	go get -tool github.com/tracegen/tracegen/cmd/tracegen-vet
//	go vet -vettool=$(go tool -n tracegen-vet) ./...
//	go fix -fixtool=$(go tool -n tracegen-vet) -diff ./...
//
// Its flags are the analyzer's: -tracegen.config FILE, -tracegen.norules
// and -tracegen.template NAME.
package main

import (
	"golang.org/x/tools/go/analysis/unitchecker"

	"github.com/tracegen/tracegen/analyzer"
)

func main() { unitchecker.Main(analyzer.Analyzer) }

// Package analyzer is tracegen's check as a go/analysis Analyzer, for the
// drivers Go developers already run: go vet -vettool, go fix -fixtool,
// golangci-lint and gopls.
//
// It reports, at each function's name:
//
//   - a function whose instrumentation is missing, stale (not as its
//     directive or rule now says) or orphaned (generated code that nothing
//     asks for), with a suggested fix whose edits are exactly what the
//     tracegen command writes: the function's new text and the file's
//     import changes;
//   - each directive error and each near miss (// trace:span), at its
//     place;
//   - in an instrumented function, a call that passes context.Background()
//     or context.TODO() where the function's own context is in scope: the
//     callee's spans then start a new trace. The fix passes the function's
//     context (r.Context() for a request).
//
// Rules come from -config, or from the tracegen.yaml next to the go.mod
// above the package's files. The checks that need every function of the
// module (that a rule selects some function, that each of its tags fits
// one) are the tracegen command's.
//
// Run it with go vet:
//
//	go get -tool github.com/tracegen/tracegen/cmd/tracegen-vet
//	go vet -vettool=$(go tool -n tracegen-vet) ./...
//
// and apply its fixes with go fix (Go 1.26):
//
//	go fix -fixtool=$(go tool -n tracegen-vet) -diff ./...
//	go fix -fixtool=$(go tool -n tracegen-vet) ./...
package analyzer

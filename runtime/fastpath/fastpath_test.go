package fastpath_test

import (
	"go/importer"
	"go/token"
	"go/types"
	"testing"
)

// TestInterfacesMatchTheRuntime: each exported interface here has exactly
// the method set of the unexported one the runtime asserts, so a tracer
// that implements it gets the fast path. The packages are type-checked from
// source.
func TestInterfacesMatchTheRuntime(t *testing.T) {
	imp := importer.ForCompiler(token.NewFileSet(), "source", nil)
	runtimePkg, err := imp.Import("github.com/tracegen/tracegen/runtime")
	if err != nil {
		t.Fatal(err)
	}
	fastpathPkg, err := imp.Import("github.com/tracegen/tracegen/runtime/fastpath")
	if err != nil {
		t.Fatal(err)
	}
	pairs := map[string]string{
		"SpanStarter":    "spanStarter",
		"ContextStarter": "contextStarter",
		"ChildSkipper":   "childSkipper",
		"ErrorRecorder":  "errorRecorder",
		"ErrorFinisher":  "errorFinisher",
		"FieldTagger":    "fieldTagger",
	}
	for exported, unexported := range pairs {
		e := fastpathPkg.Scope().Lookup(exported)
		u := runtimePkg.Scope().Lookup(unexported)
		if e == nil || u == nil {
			t.Errorf("fastpath.%s: %v, runtime.%s: %v", exported, e, unexported, u)
			continue
		}
		if !types.Identical(e.Type().Underlying(), u.Type().Underlying()) {
			t.Errorf("fastpath.%s is %v\nbut the runtime asserts %v", exported, e.Type().Underlying(), u.Type().Underlying())
		}
	}
	// Every interface of this package is in the list.
	for _, name := range fastpathPkg.Scope().Names() {
		obj := fastpathPkg.Scope().Lookup(name)
		if _, ok := obj.Type().Underlying().(*types.Interface); ok && obj.Exported() {
			if _, ok := pairs[name]; !ok {
				t.Errorf("fastpath.%s is not checked against the runtime", name)
			}
		}
	}
}

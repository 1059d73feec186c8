package unnamed

import "context"

import tracegen "github.com/tracegen/tracegen/runtime" //tracegen:generated

//trace:span
func Underscore(_tracegenCtx context.Context, n int) (tracegenErr error) {
	defer tracegen.Start(&_tracegenCtx, "unnamed.Underscore").End(&tracegenErr) //tracegen:generated oneline
	return nil
}

//trace:span
func Unnamed(tracegenCtx context.Context, _ int) (tracegenErr error) {
	defer tracegen.Start(&tracegenCtx, "unnamed.Unnamed").End(&tracegenErr) //tracegen:generated oneline
	return nil
}

//trace:span
func UnnamedNoResults(tracegenCtx context.Context, _ string) {
	defer tracegen.Start(&tracegenCtx, "unnamed.UnnamedNoResults").End(nil) //tracegen:generated oneline
}

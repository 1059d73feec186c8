package ctximports

import "context"

import tracegen "github.com/tracegen/tracegen/runtime" //tracegen:generated

// Ctx is another name for context.Context.
type Ctx = context.Context

// MyCtx is a different type, not a context.
type MyCtx context.Context

//trace:span
func TypeAlias(c Ctx) (tracegenErr error) {
	defer tracegen.Start(&c, "ctximports.TypeAlias").End(&tracegenErr) //tracegen:generated oneline
	return c.Err()
}

//trace:span root
func DefinedType(c MyCtx) (tracegenErr error) {
	defer tracegen.Start(nil, "ctximports.DefinedType").End(&tracegenErr) //tracegen:generated oneline
	return nil
}

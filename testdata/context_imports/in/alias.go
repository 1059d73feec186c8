package ctximports

import "context"

// Ctx is another name for context.Context.
type Ctx = context.Context

// MyCtx is a different type, not a context.
type MyCtx context.Context

//trace:span
func TypeAlias(c Ctx) error { return c.Err() }

//trace:span root
func DefinedType(c MyCtx) error { return nil }

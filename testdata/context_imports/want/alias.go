package ctximports

import (
	"context"

	tracegen "github.com/tracegen/tracegen/runtime" //tracegen:generated joined
)

// Ctx is another name for context.Context.
type Ctx = context.Context

// MyCtx is a different type, not a context.
type MyCtx context.Context

//trace:span
func TypeAlias(c Ctx) (err error) {
	defer tracegen.Start(&c, "ctximports.TypeAlias").End(&err) //tracegen:generated oneline err=unnamed
	return c.Err()
}

//trace:span root
func DefinedType(c MyCtx) (err error) {
	defer tracegen.Start(nil, "ctximports.DefinedType").End(&err) //tracegen:generated oneline err=unnamed
	return nil
}

package ctxnames

import (
	"context"

	tracegen "github.com/tracegen/tracegen/runtime" //tracegen:generated joined
)

//trace:span
func C(c context.Context) (err error) {
	defer tracegen.Start(&c, "ctxnames.C").End(&err) //tracegen:generated oneline err=unnamed
	return c.Err()
}

// Shadow names its context after the package.
//
//trace:span
func Shadow(context context.Context) (err error) {
	defer tracegen.Start(&context, "ctxnames.Shadow").End(&err) //tracegen:generated
	return context.Err()
}

package ctxnames

import "context"

import tracegen "github.com/tracegen/tracegen/runtime" //tracegen:generated

//trace:span
func C(c context.Context) (tracegenErr error) {
	defer tracegen.Start(&c, "ctxnames.C").End(&tracegenErr) //tracegen:generated oneline
	return c.Err()
}

// Shadow names its context after the package.
//
//trace:span
func Shadow(context context.Context) (err error) {
	defer tracegen.Start(&context, "ctxnames.Shadow").End(&err) //tracegen:generated
	return context.Err()
}

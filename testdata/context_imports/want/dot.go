package ctximports

import . "context"

import tracegen "github.com/tracegen/tracegen/runtime" //tracegen:generated

//trace:span tags=name
func Dot(ctx Context, name string) (tracegenErr error) {
	defer tracegen.Start(&ctx, "ctximports.Dot").TagString("name", name).End(&tracegenErr) //tracegen:generated oneline
	return ctx.Err()
}

package ctximports

import (
	. "context"

	tracegen "github.com/tracegen/tracegen/runtime" //tracegen:generated joined
)

//trace:span tags=name
func Dot(ctx Context, name string) (err error) {
	defer tracegen.Start(&ctx, "ctximports.Dot").TagString("name", name).End(&err) //tracegen:generated oneline err=unnamed
	return ctx.Err()
}

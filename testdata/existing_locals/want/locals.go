package locals

import (
	"context"
	"fmt"

	tracegen2 "github.com/tracegen/tracegen/runtime" //tracegen:generated
)

//trace:span
func Locals(ctx context.Context, tracegenErr int) (_ int, err error) {
	defer tracegen2.Start(&ctx, "locals.Locals").End(&err) //tracegen:generated err=unnamed
	span := "span"
	tracegen := 1
	tracegenSpan := 2
	ctx = context.WithValue(ctx, span, tracegen)
	fmt.Println(tracegenSpan, tracegenErr)
	return 0, ctx.Err()
}

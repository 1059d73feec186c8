package locals

import (
	"context"
	"fmt"
)

//trace:span
func Locals(ctx context.Context, tracegenErr int) (int, error) {
	span := "span"
	tracegen := 1
	tracegenSpan := 2
	ctx = context.WithValue(ctx, span, tracegen)
	fmt.Println(tracegenSpan, tracegenErr)
	return 0, ctx.Err()
}

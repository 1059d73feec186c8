package later

import (
	"context"
	"errors"
	"strconv"

	tracegen "github.com/tracegen/tracegen/runtime" //tracegen:generated
)

// Parse declares err itself, and shadows it in a block.
//
//trace:span tags=s
func Parse(ctx context.Context, s string) (_ int, tracegenErr error) {
	defer tracegen.Start(&ctx, "later.Parse").TagString("s", s).End(&tracegenErr) //tracegen:generated tracegenErr=unnamed
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, err
	}
	if n < 0 {
		err := errors.New("negative")
		return 0, err
	}
	return n, nil
}

// Bare uses bare returns.
//
//trace:span
func Bare(ctx context.Context, s string) (n int, err error) {
	defer tracegen.Start(&ctx, "later.Bare").End(&err) //tracegen:generated
	n, err = strconv.Atoi(s)
	if err != nil {
		return
	}
	n *= 2
	return
}

package later

import (
	"context"
	"errors"
	"strconv"
)

// Parse declares err itself, and shadows it in a block.
//
//trace:span tags=s
func Parse(ctx context.Context, s string) (int, error) {
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
	n, err = strconv.Atoi(s)
	if err != nil {
		return
	}
	n *= 2
	return
}

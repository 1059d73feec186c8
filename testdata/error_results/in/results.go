package results

import (
	"context"
	"errors"
)

//trace:span
func Unnamed(ctx context.Context) (int, string, error) { return 0, "", nil }

//trace:span
func TwoErrors(ctx context.Context) (error, error) {
	return nil, errors.New("second")
}

//trace:span
func NamedUnderscore(ctx context.Context) (n int, _ error) {
	return 1, errors.New("x")
}

//trace:span
func Named(ctx context.Context) (n int, err error) {
	n = 2
	return
}

//trace:span
func NoError(ctx context.Context) int { return 3 }

//trace:span
func NamedNoError(ctx context.Context) (n int) { return 4 }

package results

import (
	"context"
	"errors"

	tracegen "github.com/tracegen/tracegen/runtime" //tracegen:generated
)

//trace:span
func Unnamed(ctx context.Context) (_ int, _ string, err error) {
	defer tracegen.Start(&ctx, "results.Unnamed").End(&err) //tracegen:generated oneline err=unnamed
	return 0, "", nil
}

//trace:span
func TwoErrors(ctx context.Context) (_ error, err error) {
	defer tracegen.Start(&ctx, "results.TwoErrors").End(&err) //tracegen:generated err=unnamed
	return nil, errors.New("second")
}

//trace:span
func NamedUnderscore(ctx context.Context) (n int, err error) {
	defer tracegen.Start(&ctx, "results.NamedUnderscore").End(&err) //tracegen:generated err=_
	return 1, errors.New("x")
}

//trace:span
func Named(ctx context.Context) (n int, err error) {
	defer tracegen.Start(&ctx, "results.Named").End(&err) //tracegen:generated
	n = 2
	return
}

//trace:span
func NoError(ctx context.Context) int {
	defer tracegen.Start(&ctx, "results.NoError").End(nil) //tracegen:generated oneline
	return 3
}

//trace:span
func NamedNoError(ctx context.Context) (n int) {
	defer tracegen.Start(&ctx, "results.NamedNoError").End(nil) //tracegen:generated oneline
	return 4
}

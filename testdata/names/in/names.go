// Package names shows the names instrumentation gives: the conventional ctx,
// r and err where they are free in the function, a reserved name where not.
package names

import (
	"context"
	"errors"
	"net/http"
	"strconv"
)

// Free gets ctx and err.
//
//trace:span
func Free(context.Context, string) (int, error) {
	return 0, nil
}

// Blank gets ctx and err for its blank names.
//
//trace:span
func Blank(_ context.Context, _ string) (_ int, _ error) {
	return 0, nil
}

// ErrTaken declares err in its body: naming the result err would make that
// err the result, so the result gets a reserved name.
//
//trace:span
func ErrTaken(ctx context.Context, s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, err
	}
	return n, nil
}

// CtxTaken has a local ctx.
//
//trace:span
func CtxTaken(context.Context) error {
	ctx := "not a context"
	_ = ctx
	return errors.New("no")
}

// Handler gets r for its request.
//
//trace:span
func Handler(w http.ResponseWriter, _ *http.Request) {
	w.WriteHeader(http.StatusNoContent)
}

// Recv uses r for its receiver, so the request gets a reserved name.
//
//trace:span
func (r *T) Recv(http.ResponseWriter, *http.Request) {}

// NoError does not record its error: the result keeps no name.
//
//trace:span noerror
func NoError(ctx context.Context) (int, error) {
	return 0, nil
}

// T is a receiver.
type T struct{}

package svc

import (
	"context"
	"errors"
	"net/http"
)

//trace:span tags=id,name,ok kind=client
func Fetch(ctx context.Context, id int, name string, ok bool) (string, error) {
	if !ok {
		return "", errors.New("not ok")
	}
	return name, nil
}

//trace:span root
func Root() {}

//trace:span
func Handle(w http.ResponseWriter, r *http.Request) {
	_ = r.Context()
}

//trace:span noerror
func Quiet(ctx context.Context) error { return ctx.Err() }

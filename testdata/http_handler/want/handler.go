package handler

import (
	"fmt"
	"net/http"

	tracegen "github.com/tracegen/tracegen/runtime" //tracegen:generated
)

// Hello is an HTTP handler.
//
//trace:span kind=server
func Hello(w http.ResponseWriter, r *http.Request) {
	defer tracegen.StartRequest(&r, "handler.Hello", tracegen.KindServer).End(nil) //tracegen:generated
	fmt.Fprintf(w, "hello %s", r.URL.Path)
}

//trace:span
func Unnamed(_ http.ResponseWriter, r *http.Request) {
	defer tracegen.StartRequest(&r, "handler.Unnamed").End(nil) //tracegen:generated oneline r=unnamed
}

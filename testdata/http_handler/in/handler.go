package handler

import (
	"fmt"
	"net/http"
)

// Hello is an HTTP handler.
//
//trace:span kind=server
func Hello(w http.ResponseWriter, r *http.Request) {
	fmt.Fprintf(w, "hello %s", r.URL.Path)
}

//trace:span
func Unnamed(http.ResponseWriter, *http.Request) {}

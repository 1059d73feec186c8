//go:build !go1.23

package tracehttp

import "net/http"

// routePattern is "": Request.Pattern came with Go 1.23.
func routePattern(*http.Request) string { return "" }

//go:build go1.23

package tracehttp

import "net/http"

// routePattern is the ServeMux pattern r matched, "" when none.
func routePattern(r *http.Request) string { return r.Pattern }
